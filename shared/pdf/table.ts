// Tables of the PDF text engine, for the dossier and the transparency report alike: the columns (a
// header, a share of the width, the alignment and face of their text), their widths (by weight, or
// from the content as a browser sizes a table) and where they start, and each cell's lines, cut with
// an ellipsis when there are too many. How a table is drawn is its document's: the dossier's tables
// flow across pages (layout.ts), the report's are fixed grids (transparency/render.ts).
import type { Atom, Line, TextLayout } from './text-layout';
import type { TextFace } from './text-runs';

/** Table content up to this wide (points) keeps to one line when columns are sized from content. */
const SHORT_CELL = 50;

export interface TableColumn {
  header: string;
  /** Share of the table's width, relative to the other columns. */
  weight: number;
  align?: 'left' | 'right' | 'center';
  face?: TextFace;
  bold?: boolean;
  color?: string;
}

/** Column widths in proportion to the columns' weights. */
export function widthsByWeight(columns: readonly TableColumn[], width: number): number[] {
  const total = columns.reduce((s, c) => s + c.weight, 0);
  return columns.map((c) => (c.weight / total) * width);
}

/** Where each column starts, the first at `x`. */
export function columnStarts(x: number, widths: readonly number[]): number[] {
  return widths.map((_, i) => x + widths.slice(0, i).reduce((s, w) => s + w, 0));
}

/**
 * Column widths: by the columns' weights, or (`auto`) from the content as a browser sizes a table:
 * each column its natural width when all fit, else between its widest unbreakable piece and its
 * natural width, in proportion; the weights then only set a floor.
 */
export function columnWidths(
  text: TextLayout,
  columns: readonly TableColumn[],
  cells: readonly (readonly (readonly Atom[])[])[],
  header: readonly (readonly Atom[])[],
  width: number,
  padX: number,
  auto: boolean,
): number[] {
  const total = columns.reduce((s, c) => s + c.weight, 0);
  const byWeight = widthsByWeight(columns, width);
  if (!auto || cells.length === 0) return byWeight;
  const pad = 2 * padX + 0.5;
  const extents = columns.map((_, i) => {
    let natural = header[i] ? text.extent(header[i]!).natural : 0;
    let piece = header[i] ? text.extent(header[i]!).minimum : 0;
    for (const row of cells) {
      const e = text.extent(row[i]!);
      if (e.natural > natural) natural = e.natural;
      if (e.minimum > piece) piece = e.minimum;
    }
    return { natural: pad + natural, piece: pad + Math.min(width * 0.22, piece) };
  });
  const natural = extents.map((e) => e.natural);
  // Short content (a status, an amount, a two-character Chinese label) is never broken.
  const minimum = extents.map((e, i) => Math.min(e.natural, Math.max(byWeight[i]! * 0.45, e.piece, SHORT_CELL + pad)));
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const naturalSum = sum(natural);
  if (naturalSum <= width) {
    // Room to spare: shared out by weight.
    const spare = width - naturalSum;
    return natural.map((n, i) => n + (spare * columns[i]!.weight) / total);
  }
  const minimumSum = sum(minimum);
  if (minimumSum >= width) {
    // Not even the minimums fit: the widest columns (hashes, long text) give way, down to a level
    // at which all fit, and the narrow ones (numbers, times, labels) stay whole.
    const sorted = [...minimum].sort((a, b) => a - b);
    let rest = width;
    let level = 0;
    for (let k = 0; k < sorted.length; k++) {
      level = rest / (sorted.length - k);
      if (sorted[k]! >= level) break;
      rest -= sorted[k]!;
    }
    return minimum.map((m) => Math.min(m, level));
  }
  const flexible = naturalSum - minimumSum;
  return minimum.map((m, i) => m + ((width - minimumSum) * (natural[i]! - m)) / flexible);
}

/** A cell's lines, `width` wide and at most `limit` of them: the last of a cut cell ends in an ellipsis. */
export function cellLines(text: TextLayout, atoms: readonly Atom[], size: number, width: number, limit: number, ellipsisColor: string): Line[] {
  let lines = text.breakAtoms(atoms, size, width);
  if (lines.length > limit) {
    lines = lines.slice(0, limit);
    const last = lines[limit - 1]!;
    const ellipsis = text.measure('sans', size, '…');
    last.items.push({ text: '…', font: 'sans', size, color: ellipsisColor, x: Math.min(last.width, width - ellipsis), width: ellipsis });
  }
  return lines;
}
