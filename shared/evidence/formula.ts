// CSV injection (OWASP "CSV Injection"): a cell a spreadsheet would run as a formula, e.g.
// `=HYPERLINK("http://evil","click")` or `+cmd|' /C calc'!A0`. Evidence keeps such cells verbatim
// (they are what the party sent) and never evaluates them; anything that writes records out as CSV
// goes through `toSafeCsv`, which neutralises them by prefixing a single quote.

/** Characters that make a spreadsheet read a cell as a formula (ASCII, and their full-width forms,
 *  which some spreadsheets accept from an input method). */
const TRIGGERS = new Set(['=', '+', '-', '@', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20']);

/** A plain signed number: what `-12.5` or `+3` or `-1,234.50` is, and not a formula. */
const PLAIN_NUMBER = /^[+-]?(?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)(?:\.[0-9]+)?$/;

/**
 * Would a spreadsheet treat this cell as a formula? True when it starts with a tab or carriage
 * return, or — after optional spaces — with `=`, `+`, `-` or `@` (or their full-width forms),
 * unless the whole cell is a plain number such as `-12.5`.
 */
export function isFormulaLike(cell: string): boolean {
  if (cell.length === 0) return false;
  const first = cell[0];
  if (first === '\t' || first === '\r') return true;
  const trimmed = cell.replace(/^[ \u00A0\u3000]+/, '');
  if (trimmed.length === 0) return false;
  if (!TRIGGERS.has(trimmed[0]!)) return false;
  return !PLAIN_NUMBER.test(trimmed.trimEnd());
}

/**
 * Worth a warning when parsing: formula-like, and not merely the dashes exports write for "no
 * value" (`-`, `--`), which `toSafeCsv` still neutralises but which cannot call anything.
 */
export function isFormulaWarning(cell: string): boolean {
  return isFormulaLike(cell) && !/^[ \u00A0]*[-+]{1,3}[ \u00A0]*$/.test(cell);
}

/** The cell made inert for a spreadsheet: formula-like cells get a leading `'`; others are unchanged. */
export function neutralizeFormula(cell: string): string {
  return isFormulaLike(cell) ? `'${cell}` : cell;
}

export interface SafeCsvOptions {
  /** Start with a UTF-8 byte-order mark, so Excel reads Chinese text correctly. Default false. */
  bom?: boolean;
}

/**
 * The one way records leave as CSV: every cell neutralised, every cell quoted (RFC 4180: quotes
 * doubled inside), records ended by CRLF.
 */
export function toSafeCsv(rows: readonly (readonly string[])[], options: SafeCsvOptions = {}): string {
  let out = options.bom ? '\uFEFF' : '';
  for (const row of rows) {
    out += row.map((cell) => `"${neutralizeFormula(String(cell)).replace(/"/g, '""')}"`).join(',') + '\r\n';
  }
  return out;
}
