// What the evidence parsers share: the error shape (a message key with the line and column it
// concerns), positions in text counted in characters, time zones and timestamps, header names,
// and a JSON reader that remembers where each value starts.
//
// Pure TypeScript: no node: imports, so the server and the desktop renderer run the same code.
import { parseCsv, type CsvRecord } from '../csv';
//
// Lines and columns are 1-based. A column counts characters (Unicode code points) from the start
// of its line; a leading byte-order mark is not a column. Line breaks are CRLF, LF or a lone CR,
// as in shared/csv.ts.

export type Params = Record<string, string | number>;

/** A problem a person reads: a message key (shared/i18n/evidence.messages.ts) and where it is. */
export interface EvidenceError {
  messageKey: string;
  /** Line and column of the offending text; absent for binary files (images, PDFs) and empty files. */
  line?: number;
  column?: number;
  /** Byte offset, where one is meaningful (invalid UTF-8, binary headers). */
  byteOffset?: number;
  /** Always carries `line` and `column` when the error has them, plus the message's own values. */
  params: Params;
}

/** Something worth showing that does not stop the parse (a formula-like cell, an assumed time zone). */
export interface EvidenceWarning {
  messageKey: string;
  line: number;
  column: number;
  params: Params;
}

export type Failure = { ok: false; error: EvidenceError };

export function errorAt(messageKey: string, line: number, column: number, params: Params = {}): EvidenceError {
  return { messageKey, line, column, params: { line, column, ...params } };
}

export function warningAt(messageKey: string, line: number, column: number, params: Params = {}): EvidenceWarning {
  return { messageKey, line, column, params: { line, column, ...params } };
}

export const fail = (error: EvidenceError): Failure => ({ ok: false, error });

/** A value as it may appear in a message: one line, at most `max` characters. */
export function shown(value: string, max = 60): string {
  const oneLine = value.replace(/[\r\n\t]+/g, ' ');
  const chars = Array.from(oneLine);
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : oneLine;
}

// ---------------------------------------------------------------------------------------------
// Positions

/** Number of code points in text[from, to): a surrogate pair is one character. */
export function codePointCount(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff && i > from) {
      const prev = text.charCodeAt(i - 1);
      if (prev >= 0xd800 && prev <= 0xdbff) continue; // second half of a pair
    }
    count++;
  }
  return count;
}

/** Turns offsets in a string into 1-based lines and character columns. Built lazily, once. */
export class TextPositions {
  private starts: number[] | null = null;
  constructor(readonly text: string) {}

  private lineStarts(): number[] {
    if (this.starts) return this.starts;
    const text = this.text;
    const starts = [text.charCodeAt(0) === 0xfeff ? 1 : 0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x0d) {
        if (text.charCodeAt(i + 1) === 0x0a) i++;
        starts.push(i + 1);
      } else if (c === 0x0a) starts.push(i + 1);
    }
    this.starts = starts;
    return starts;
  }

  /** Line and character column of the character at `offset`. */
  at(offset: number): { line: number; column: number } {
    const starts = this.lineStarts();
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    const start = starts[lo]!;
    return { line: lo + 1, column: codePointCount(this.text, start, Math.max(start, offset)) + 1 };
  }

  /** Converts a column counted in UTF-16 code units (as shared/csv.ts reports) into characters. */
  charColumn(line: number, utf16Column: number): number {
    const start = this.lineStarts()[line - 1];
    if (start === undefined) return utf16Column;
    return codePointCount(this.text, start, start + utf16Column - 1) + 1;
  }
}

// ---------------------------------------------------------------------------------------------
// Time zones and timestamps

/** A fixed offset from UTC in minutes (east positive), as evidence exports state them. */
export type ZoneOffset = number;

const ZONE_PATTERN = /^(?:(?:UTC|GMT|Z)|(?:(?:UTC|GMT)\s*)?([+-])\s*(\d{1,2})(?::?(\d{2}))?)$/i;

/** Reads 'UTC', 'Z', 'GMT', '+08:00', '+8', '+0800', 'UTC+8', 'GMT-05:30'. Null when it is none of those. */
export function parseZone(spec: string): ZoneOffset | null {
  const m = ZONE_PATTERN.exec(spec.trim());
  if (!m) return null;
  if (!m[1]) return 0;
  const hours = Number(m[2]);
  const minutes = m[3] === undefined ? 0 : Number(m[3]);
  if (hours > 14 || minutes > 59 || (hours === 14 && minutes > 0)) return null;
  const offset = hours * 60 + minutes;
  return m[1] === '-' && offset !== 0 ? -offset : offset;
}

export function formatZone(offset: ZoneOffset): string {
  if (offset === 0) return 'UTC';
  const abs = Math.abs(offset);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${offset < 0 ? '-' : '+'}${hh}:${mm}`;
}

const DATE_TIME =
  /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|(?:UTC|GMT)(?:\s*[+-]\d{1,2}(?::?\d{2})?)?|[+-]\d{2}(?::?\d{2})?)?$/i;

export type TimestampResult = { ok: true; iso: string; naive: boolean } | { ok: false };

/**
 * Reads a timestamp into ISO 8601 UTC (`2026-03-01T04:00:00.000Z`).
 * - `2026-03-01 12:00:00`, `2026/03/01 12:00`, `2026-03-01T12:00:00.123`: naive, read in `zone`
 *   (the caller decides the zone: the column header, an option, else UTC; `naive` tells it was used);
 * - the same with `Z`, `+08:00`, `+0800`, `UTC`, `UTC+8` after it: that offset wins;
 * - 13 digits: milliseconds since 1970 (OKX exports); 10 digits: seconds since 1970.
 * Calendar dates are checked (no 31 April); years 1970 to 9999; fractions beyond milliseconds are cut.
 */
export function parseTimestamp(value: string, zone: ZoneOffset): TimestampResult {
  const text = value.trim();
  if (/^\d{13}$/.test(text) || /^\d{10}$/.test(text)) {
    const ms = text.length === 13 ? Number(text) : Number(text) * 1000;
    return { ok: true, iso: new Date(ms).toISOString(), naive: false };
  }
  const m = DATE_TIME.exec(text);
  if (!m) return { ok: false };
  const [, y, mo, d, h, mi, s, frac, zoneText] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = s === undefined ? 0 : Number(s);
  const ms = frac === undefined ? 0 : Number(frac.slice(0, 3).padEnd(3, '0'));
  if (year < 1970 || month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return { ok: false };
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const daysInMonth = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  if (day < 1 || day > daysInMonth) return { ok: false };
  let offset = zone;
  if (zoneText !== undefined) {
    const parsed = parseZone(zoneText);
    if (parsed === null) return { ok: false };
    offset = parsed;
  }
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, ms) - offset * 60_000;
  return { ok: true, iso: new Date(utc).toISOString(), naive: zoneText === undefined };
}

// ---------------------------------------------------------------------------------------------
// Header names

export interface HeaderName {
  /** Lower-cased, NFKC-folded (full-width letters and brackets become ASCII), zone note removed,
   *  runs of spaces, `_`, `.` and `-` made one space: `Avg. Fill Price` → `avg fill price`. */
  key: string;
  /** Zone stated in the header (`Date(UTC)`, `时间(UTC+8)`, `Order Time (UTC+08:00)`), else null. */
  zone: ZoneOffset | null;
}

const HEADER_ZONE = /\s*[([]\s*((?:UTC|GMT)\s*(?:[+-]\s*\d{1,2}(?::?\d{2})?)?)\s*[)\]]\s*|\s+((?:UTC|GMT)(?:[+-]\d{1,2}(?::?\d{2})?)?)\s*$/i;

export function headerName(raw: string): HeaderName {
  let text = raw.normalize('NFKC').trim();
  let zone: ZoneOffset | null = null;
  const m = HEADER_ZONE.exec(text);
  if (m) {
    const parsed = parseZone((m[1] ?? m[2] ?? '').replace(/\s+/g, ''));
    if (parsed !== null) {
      zone = parsed;
      text = (text.slice(0, m.index) + ' ' + text.slice(m.index + m[0].length)).trim();
    }
  }
  const key = text
    .toLowerCase()
    .replace(/[\s_.-]+/g, ' ')
    .trim();
  return { key, zone };
}

/** Column names to recognise for each field, already in `headerName().key` form. */
export type FieldAliases<F extends string> = Readonly<Record<F, readonly string[]>>;

/**
 * Finds each field's column: for each field, its aliases in order, the first column whose key
 * matches. Returns the column index per field, and the first alias match found twice (ambiguous).
 */
export function matchColumns<F extends string>(
  keys: readonly string[],
  aliases: FieldAliases<F>,
): { columns: Partial<Record<F, number>>; duplicate: { field: F; index: number } | null } {
  const columns: Partial<Record<F, number>> = {};
  let duplicate: { field: F; index: number } | null = null;
  for (const field of Object.keys(aliases) as F[]) {
    for (const alias of aliases[field]) {
      const index = keys.indexOf(alias);
      if (index < 0) continue;
      const again = keys.indexOf(alias, index + 1);
      if (again >= 0 && !duplicate) duplicate = { field, index: again };
      columns[field] = index;
      break;
    }
  }
  return { columns, duplicate };
}

// ---------------------------------------------------------------------------------------------
// JSON with positions

export type JsonNode =
  | { type: 'object'; offset: number; entries: { key: string; keyOffset: number; value: JsonNode }[] }
  | { type: 'array'; offset: number; items: JsonNode[] }
  | { type: 'string'; offset: number; value: string }
  | { type: 'number'; offset: number; raw: string }
  | { type: 'boolean'; offset: number; value: boolean }
  | { type: 'null'; offset: number };

export type JsonResult = { ok: true; node: JsonNode } | { ok: false; messageKey: string; offset: number; params: Params };

const MAX_JSON_DEPTH = 256;

class JsonSyntax {
  constructor(
    readonly messageKey: string,
    readonly offset: number,
    readonly params: Params = {},
  ) {}
}

function tokenShown(text: string, offset: number): string {
  const cp = text.codePointAt(offset)!;
  if (cp < 0x20 || cp === 0x7f) return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  return String.fromCodePoint(cp);
}

/**
 * A strict JSON reader (RFC 8259) over text[start, end) that keeps where each value starts, so
 * messages can name a line and column. Numbers stay text (`raw`); nesting is limited to 256.
 */
export function parseJson(text: string, start = 0, end = text.length): JsonResult {
  let i = start;
  const ws = () => {
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
      else break;
    }
  };
  const unexpected = (): never => {
    if (i >= end) throw new JsonSyntax('evidence.json.unexpected_end', end);
    throw new JsonSyntax('evidence.json.unexpected_token', i, { token: tokenShown(text, i) });
  };
  const readString = (): string => {
    const open = i;
    i++; // opening quote
    let out = '';
    let segment = i;
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        out += text.slice(segment, i);
        i++;
        return out;
      }
      if (c === 0x5c) {
        out += text.slice(segment, i);
        const e = text[i + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && i + 1 < end && Object.hasOwn(simple, e)) {
          out += simple[e];
          i += 2;
        } else if (e === 'u' && i + 6 <= end && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else {
          throw new JsonSyntax('evidence.json.bad_escape', i);
        }
        segment = i;
        continue;
      }
      if (c < 0x20) throw new JsonSyntax('evidence.json.control_character', i, { token: tokenShown(text, i) });
      i++;
    }
    throw new JsonSyntax('evidence.json.unterminated_string', open);
  };
  const readValue = (depth: number): JsonNode => {
    if (depth > MAX_JSON_DEPTH) throw new JsonSyntax('evidence.json.too_deep', i, { max: MAX_JSON_DEPTH });
    ws();
    if (i >= end) unexpected();
    const offset = i;
    const c = text[i];
    if (c === '{') {
      i++;
      const entries: { key: string; keyOffset: number; value: JsonNode }[] = [];
      ws();
      if (text[i] === '}' && i < end) {
        i++;
        return { type: 'object', offset, entries };
      }
      for (;;) {
        ws();
        if (text[i] !== '"' || i >= end) unexpected();
        const keyOffset = i;
        const key = readString();
        ws();
        if (text[i] !== ':' || i >= end) unexpected();
        i++;
        const value = readValue(depth + 1);
        entries.push({ key, keyOffset, value });
        ws();
        if (i < end && text[i] === ',') {
          i++;
          continue;
        }
        if (i < end && text[i] === '}') {
          i++;
          return { type: 'object', offset, entries };
        }
        unexpected();
      }
    }
    if (c === '[') {
      i++;
      const items: JsonNode[] = [];
      ws();
      if (text[i] === ']' && i < end) {
        i++;
        return { type: 'array', offset, items };
      }
      for (;;) {
        items.push(readValue(depth + 1));
        ws();
        if (i < end && text[i] === ',') {
          i++;
          continue;
        }
        if (i < end && text[i] === ']') {
          i++;
          return { type: 'array', offset, items };
        }
        unexpected();
      }
    }
    if (c === '"') return { type: 'string', offset, value: readString() };
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      const m = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
      m.lastIndex = i;
      const found = m.exec(text);
      if (!found || i + found[0].length > end) throw new JsonSyntax('evidence.json.bad_number', offset);
      i += found[0].length;
      const next = text[i];
      if (i < end && next !== undefined && /[0-9.eE+-]/.test(next)) throw new JsonSyntax('evidence.json.bad_number', offset);
      return { type: 'number', offset, raw: found[0] };
    }
    for (const [word, node] of [
      ['true', { type: 'boolean', offset, value: true }],
      ['false', { type: 'boolean', offset, value: false }],
      ['null', { type: 'null', offset }],
    ] as const) {
      if (text.startsWith(word, i) && i + word.length <= end) {
        i += word.length;
        return node;
      }
    }
    return unexpected();
  };
  try {
    const node = readValue(0);
    ws();
    if (i < end) throw new JsonSyntax('evidence.json.trailing_content', i, { token: tokenShown(text, i) });
    return { ok: true, node };
  } catch (e) {
    if (e instanceof JsonSyntax) return { ok: false, messageKey: e.messageKey, offset: e.offset, params: e.params };
    throw e;
  }
}

/** Text of a scalar JSON value as a cell: strings as they are, numbers as written, null → undefined. */
export function jsonScalar(node: JsonNode): string | undefined {
  switch (node.type) {
    case 'string':
      return node.value;
    case 'number':
      return node.raw;
    case 'boolean':
      return String(node.value);
    default:
      return undefined;
  }
}

/** A JSON parse failure as an EvidenceError with line and column. */
export function jsonError(result: Extract<JsonResult, { ok: false }>, positions: TextPositions): EvidenceError {
  const { line, column } = positions.at(result.offset);
  return errorAt(result.messageKey, line, column, result.params);
}

// ---------------------------------------------------------------------------------------------
// Tables: rows of cells from CSV (with a header) or JSON (an array of objects, or JSON lines)

export interface Cell {
  value: string;
  /** Where the cell starts: its opening quote when quoted (CSV field, JSON string). */
  line: number;
  column: number;
  /** The value's first character is one column after `column`. */
  quoted?: boolean;
}

/** A cell whose line and column are worked out only when asked (for an error or a warning):
 *  a big file has millions of cells and needs few positions. */
export class CellAt implements Cell {
  private where: { line: number; column: number } | null = null;
  constructor(
    readonly value: string,
    private readonly offset: number,
    private readonly positions: TextPositions,
    readonly quoted?: boolean,
  ) {}
  get line(): number {
    return (this.where ??= this.positions.at(this.offset)).line;
  }
  get column(): number {
    return (this.where ??= this.positions.at(this.offset)).column;
  }
}

export interface TableRow<F extends string> {
  /** Line where the row (CSV record, JSON object) starts, and its column. */
  line: number;
  column: number;
  cells: Partial<Record<F, Cell>>;
  /** Every cell of the row by its column name (JSON: key) as written, for display. */
  raw: Record<string, string>;
  /** Every cell with its position, in order (for formula checks). */
  all: Cell[];
}

export interface Table<F extends string> {
  source: 'csv' | 'json';
  rows: TableRow<F>[];
  /** Zone stated in each field's column header (CSV) or key (JSON), when one was. */
  zones: Partial<Record<F, ZoneOffset>>;
}

/** Does the text look like JSON (an array or an object first)? */
export function looksLikeJson(text: string): boolean {
  const m = /^[\uFEFF\s]*([[{])/.exec(text);
  return m !== null;
}

/** Unique display names for raw maps: empty names become `#n`, repeats get ` (n)`. */
export function rawNames(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.map((name, k) => {
    let n = name.trim() === '' ? `#${k + 1}` : name.trim();
    if (seen.has(n)) n = `${n} (${k + 1})`;
    seen.add(n);
    return n;
  });
}

/** Text of a JSON value for a cell: scalars as written; a chat export's list of text pieces
 *  (strings or objects with `text`) joined; an object's `text`; otherwise undefined. */
export function jsonText(node: JsonNode): string | undefined {
  if (node.type === 'array') {
    const parts = node.items.map(jsonText);
    return parts.every((p) => p !== undefined) ? parts.join('') : undefined;
  }
  if (node.type === 'object') {
    const text = node.entries.find((e) => e.key === 'text');
    return text ? jsonText(text.value) : undefined;
  }
  return jsonScalar(node);
}

/** Compact JSON rendering of a node (for raw display of nested values). */
export function jsonRender(node: JsonNode): string {
  switch (node.type) {
    case 'object':
      return `{${node.entries.map((e) => `${JSON.stringify(e.key)}:${jsonRender(e.value)}`).join(',')}}`;
    case 'array':
      return `[${node.items.map(jsonRender).join(',')}]`;
    case 'string':
      return JSON.stringify(node.value);
    case 'number':
      return node.raw;
    case 'boolean':
      return String(node.value);
    case 'null':
      return 'null';
  }
}

export interface TableSpec<F extends string> {
  aliases: FieldAliases<F>;
  required: readonly F[];
  /** Name of each field as messages show it (an English column name, e.g. `ip`). */
  names: Readonly<Record<F, string>>;
}

/** Rows read before the first problem, and that problem: callers check the rows in order first,
 *  so the earliest problem in the file is the one reported. */
export interface TableRead<F extends string> {
  table: Table<F>;
  error: EvidenceError | null;
}

/** Error for a CSV parse problem, its column in characters. */
export function csvProblem(e: { messageKey: string; line: number; column: number; params: Params }, positions: TextPositions): EvidenceError {
  const column = positions.charColumn(e.line, e.column);
  return errorAt(e.messageKey, e.line, column, { ...e.params, line: e.line, column });
}

/** Reads a CSV file whose first record names the columns. */
export function readCsvTable<F extends string>(text: string, positions: TextPositions, spec: TableSpec<F>): TableRead<F> {
  const { records, errors } = parseCsv(text, { positions: true });
  const table: Table<F> = { source: 'csv', rows: [], zones: {} };
  const firstCsvError = errors[0] ? csvProblem(errors[0], positions) : null;
  const header = records[0];
  if (!header || header.index !== 0) {
    return { table, error: firstCsvError ?? errorAt('evidence.parse.empty', 1, 1) };
  }
  const names = header.fields.map(headerName);
  const keys = names.map((n) => n.key);
  const { columns, duplicate } = matchColumns(keys, spec.aliases);
  const headerPos = (k: number) => positions.at(header.offsets![k]!);
  if (duplicate) {
    const at = headerPos(duplicate.index);
    return { table, error: errorAt('evidence.header.duplicate_column', at.line, at.column, { name: shown(header.fields[duplicate.index]!) }) };
  }
  for (const field of spec.required) {
    if (columns[field] === undefined) {
      return { table, error: errorAt('evidence.header.missing_column', header.line, 1, { name: spec.names[field] }) };
    }
  }
  for (const field of Object.keys(columns) as F[]) {
    const zone = names[columns[field]!]!.zone;
    if (zone !== null) table.zones[field] = zone;
  }
  const display = rawNames(header.fields);
  for (const record of records.slice(1)) {
    if (firstCsvError && firstCsvError.line! < record.line) return { table, error: firstCsvError };
    const countError = fieldCountProblem(record, header.fields.length, positions);
    if (countError) return { table, error: countError };
    table.rows.push(tableRow(record, display, columns, positions));
  }
  return { table, error: firstCsvError };
}

/** A record with more or fewer fields than the header has columns (extra empty fields at the end are let go). */
export function fieldCountProblem(record: CsvRecord, expected: number, positions: TextPositions): EvidenceError | null {
  const found = record.fields.length;
  if (found === expected) return null;
  if (found > expected && record.fields.slice(expected).every((f) => f.trim() === '')) return null;
  const at = found > expected ? positions.at(record.offsets![expected]!) : { line: record.line, column: 1 };
  return errorAt('csv.field_count', at.line, at.column, { found, expected });
}

export function tableRow<F extends string>(
  record: CsvRecord,
  display: readonly string[],
  columns: Partial<Record<F, number>>,
  positions: TextPositions,
): TableRow<F> {
  const all: Cell[] = [];
  const raw: Record<string, string> = {};
  display.forEach((name, k) => {
    const value = record.fields[k] ?? '';
    raw[name] = value;
    const offset = record.offsets![k];
    if (offset !== undefined) all.push(new CellAt(value, offset, positions));
  });
  const cells: Partial<Record<F, Cell>> = {};
  for (const field of Object.keys(columns) as F[]) {
    const k = columns[field]!;
    const offset = record.offsets![k];
    if (offset !== undefined) cells[field] = new CellAt(record.fields[k]!, offset, positions, positions.text.charCodeAt(offset) === 0x22);
  }
  return { line: record.line, column: 1, cells, raw, all };
}

/** Keys under which exports wrap their list of objects: `{"messages": [...]}`. */
const WRAPPER_KEYS = ['messages', 'records', 'data', 'items', 'logs', 'events', 'list', 'rows', 'references'];

/**
 * Reads JSON: an array of objects, an object wrapping one (`{"messages": [...]}`), or JSON lines
 * (one object per line). Keys are matched like CSV column names.
 */
export function readJsonTable<F extends string>(text: string, positions: TextPositions, spec: TableSpec<F>): TableRead<F> {
  const table: Table<F> = { source: 'json', rows: [], zones: {} };
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const whole = parseJson(text, start);
  let objects: JsonNode[];
  if (whole.ok) {
    const node = whole.node;
    if (node.type === 'array') objects = node.items;
    else if (node.type === 'object') {
      const wrapped = node.entries.find((e) => WRAPPER_KEYS.includes(e.key.toLowerCase()) && e.value.type === 'array');
      if (wrapped && wrapped.value.type === 'array') objects = wrapped.value.items;
      else objects = [node]; // JSON lines with a single line
    } else {
      const at = positions.at(node.offset);
      return { table, error: errorAt('evidence.json.not_array', at.line, at.column) };
    }
  } else if (whole.messageKey === 'evidence.json.trailing_content') {
    // JSON lines: one value per line.
    objects = [];
    let lineStart = start;
    while (lineStart < text.length) {
      let lineEnd = lineStart;
      while (lineEnd < text.length && text[lineEnd] !== '\n' && text[lineEnd] !== '\r') lineEnd++;
      if (text.slice(lineStart, lineEnd).trim() !== '') {
        const one = parseJson(text, lineStart, lineEnd);
        if (!one.ok) return { table, error: jsonError(one, positions) };
        objects.push(one.node);
      }
      lineStart = lineEnd + (text[lineEnd] === '\r' && text[lineEnd + 1] === '\n' ? 2 : 1);
    }
  } else {
    return { table, error: jsonError(whole, positions) };
  }
  let zonesRead = false;
  for (const node of objects) {
    const at = positions.at(node.offset);
    if (node.type !== 'object') return { table, error: errorAt('evidence.json.not_object', at.line, at.column) };
    const names = node.entries.map((e) => headerName(e.key));
    const { columns, duplicate } = matchColumns(
      names.map((n) => n.key),
      spec.aliases,
    );
    if (duplicate) {
      const d = positions.at(node.entries[duplicate.index]!.keyOffset);
      return { table, error: errorAt('evidence.header.duplicate_column', d.line, d.column, { name: shown(node.entries[duplicate.index]!.key) }) };
    }
    const cells: Partial<Record<F, Cell>> = {};
    const raw: Record<string, string> = {};
    const all: Cell[] = [];
    const display = rawNames(node.entries.map((e) => e.key));
    node.entries.forEach((entry, k) => {
      const value = jsonText(entry.value);
      raw[display[k]!] = value ?? jsonRender(entry.value);
      if (value !== undefined) all.push(new CellAt(value, entry.value.offset, positions));
    });
    for (const field of Object.keys(columns) as F[]) {
      const entry = node.entries[columns[field]!]!;
      const value = jsonText(entry.value);
      if (value === undefined && entry.value.type !== 'null') {
        const v = positions.at(entry.value.offset);
        return { table, error: errorAt('evidence.json.bad_value', v.line, v.column, { name: shown(entry.key) }) };
      }
      if (value !== undefined) cells[field] = new CellAt(value, entry.value.offset, positions, entry.value.type === 'string');
    }
    for (const field of spec.required) {
      if (cells[field] === undefined) return { table, error: errorAt('evidence.parse.missing_field', at.line, at.column, { name: spec.names[field] }) };
    }
    if (!zonesRead) {
      zonesRead = true;
      for (const field of Object.keys(columns) as F[]) {
        const zone = names[columns[field]!]!.zone;
        if (zone !== null) table.zones[field] = zone;
      }
    }
    table.rows.push({ line: at.line, column: at.column, cells, raw, all });
  }
  return { table, error: null };
}

/** Resolves the zone for naive timestamps: the column header's, else the caller's, else UTC (assumed). */
export interface ZoneChoice {
  offset: ZoneOffset;
  /** Where it came from; 'assumed' adds a warning at the first naive timestamp. */
  source: 'header' | 'option' | 'assumed';
}

export function chooseZone(headerZone: ZoneOffset | undefined, option: string | undefined): ZoneChoice | EvidenceError {
  if (headerZone !== undefined) return { offset: headerZone, source: 'header' };
  if (option !== undefined) {
    const parsed = parseZone(option);
    if (parsed === null) return { messageKey: 'evidence.parse.bad_time_zone', params: { value: shown(option) } };
    return { offset: parsed, source: 'option' };
  }
  return { offset: 0, source: 'assumed' };
}

export function isEvidenceError(x: unknown): x is EvidenceError {
  return typeof x === 'object' && x !== null && 'messageKey' in x;
}

/**
 * Reads a timestamp cell, warning once (through `state`) when UTC had to be assumed for a naive one.
 * Returns the ISO time or an error at the cell.
 */
export function readTime(
  cell: Cell,
  zone: ZoneChoice,
  state: { warned: boolean; warnings: EvidenceWarning[] },
): { ok: true; iso: string } | Failure {
  const t = parseTimestamp(cell.value, zone.offset);
  if (!t.ok) return fail(errorAt('evidence.parse.bad_time', cell.line, cell.column, { value: shown(cell.value) }));
  if (t.naive && zone.source === 'assumed' && !state.warned) {
    state.warned = true;
    state.warnings.push(warningAt('evidence.parse.time_zone_assumed', cell.line, cell.column, { timeZone: 'UTC' }));
  }
  return { ok: true, iso: t.iso };
}
