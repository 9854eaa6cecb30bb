// An RFC 4180 CSV parser: quoted fields with embedded delimiters, quotes ("" inside quotes) and
// line breaks; CRLF, LF or CR line endings; a leading byte-order mark. Malformed input is reported
// with its line and column, never guessed at: the record it spoils is left out, the rest of the
// file still parses. Used by the complaint import and, later, by evidence parsing (trade exports).
//
// Lines and columns are 1-based; a column counts UTF-16 code units from the start of its line
// (after the byte-order mark on line 1). Values are always strings: numbers stay text.

export type CsvErrorKey = 'csv.unterminated_quote' | 'csv.stray_quote' | 'csv.text_after_quote' | 'csv.field_count';

export interface CsvError {
  /** Message key (see shared/i18n/domain.messages.ts); params carry line and column. */
  messageKey: CsvErrorKey;
  line: number;
  column: number;
  /** Index of the record the error spoils (0 is the first record, the header when there is one). */
  record: number;
  params: Record<string, string | number>;
}

export interface CsvRecord {
  /** 0-based position among the file's records, counting spoiled ones (blank lines are not records). */
  index: number;
  /** Line on which the record starts. */
  line: number;
  fields: string[];
  /** Offset in the input of each field's first character, its opening quote when quoted (same
   *  length as `fields`); only with the `positions` option. Numbers, not objects: cheap on big files. */
  offsets?: number[];
}

export interface CsvParseResult {
  records: CsvRecord[];
  errors: CsvError[];
}

export interface CsvOptions {
  /** One character, not a quote or line break. Default `,`. */
  delimiter?: string;
  /** Leave out lines with nothing on them (a record of one empty, unquoted field). Default true. */
  skipEmptyLines?: boolean;
  /** Also tell where each field starts (`CsvRecord.offsets`), for messages that point at a cell. Default false. */
  positions?: boolean;
  /** Streaming: called with each record as it is read, instead of collecting them (`records` then
   *  comes back empty); return false to stop reading. */
  onRecord?: (record: CsvRecord) => boolean | void;
  /** Stop reading after this many errors. Default: read to the end. */
  maxErrors?: number;
}

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

export function parseCsv(input: string, options: CsvOptions = {}): CsvParseResult {
  const delimiter = options.delimiter ?? ',';
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\r' || delimiter === '\n')
    throw new RangeError('parseCsv: the delimiter must be one character other than a quote or a line break');
  const delim = delimiter.charCodeAt(0);
  const skipEmptyLines = options.skipEmptyLines ?? true;
  const withPositions = options.positions ?? false;
  const onRecord = options.onRecord;
  const maxErrors = options.maxErrors ?? Infinity;
  const text = input;
  const n = text.length;

  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let lineStart = i;
  const records: CsvRecord[] = [];
  const errors: CsvError[] = [];
  let recordIndex = 0;

  /** Length of the line break at `pos` (2 for CRLF), 0 when there is none. */
  const breakAt = (pos: number): number => {
    const c = text.charCodeAt(pos);
    if (c === CR) return text.charCodeAt(pos + 1) === LF ? 2 : 1;
    return c === LF ? 1 : 0;
  };
  const column = (pos: number) => pos - lineStart + 1;
  const fail = (messageKey: CsvErrorKey, errLine: number, errColumn: number) =>
    errors.push({ messageKey, line: errLine, column: errColumn, record: recordIndex, params: { line: errLine, column: errColumn } });
  /** After an error: drop the rest of the physical line, line break included. */
  const skipRestOfLine = () => {
    while (i < n) {
      const nl = breakAt(i);
      if (nl) {
        i += nl;
        line++;
        lineStart = i;
        return;
      }
      i++;
    }
  };

  while (i < n) {
    const recordLine = line;
    const fields: string[] = [];
    const offsets: number[] | null = withPositions ? [] : null;
    let spoiled = false;
    let onlyFieldQuoted = false;

    for (;;) {
      let value: string;
      offsets?.push(i);
      if (text.charCodeAt(i) === QUOTE) {
        const openLine = line;
        const openColumn = column(i);
        if (fields.length === 0) onlyFieldQuoted = true;
        i++;
        let segmentStart = i;
        value = '';
        let closed = false;
        while (i < n) {
          const c = text.charCodeAt(i);
          if (c === QUOTE) {
            if (text.charCodeAt(i + 1) === QUOTE) {
              value += text.slice(segmentStart, i + 1);
              i += 2;
              segmentStart = i;
              continue;
            }
            value += text.slice(segmentStart, i);
            i++;
            closed = true;
            break;
          }
          const nl = breakAt(i);
          if (nl) {
            i += nl;
            line++;
            lineStart = i;
            continue;
          }
          i++;
        }
        if (!closed) {
          fail('csv.unterminated_quote', openLine, openColumn);
          spoiled = true;
          break; // the quote ran to the end of the input
        }
        if (i < n && text.charCodeAt(i) !== delim && !breakAt(i)) {
          fail('csv.text_after_quote', line, column(i));
          spoiled = true;
          skipRestOfLine();
          break;
        }
      } else {
        const start = i;
        let stray = false;
        while (i < n) {
          const c = text.charCodeAt(i);
          if (c === delim || c === CR || c === LF) break;
          if (c === QUOTE) {
            fail('csv.stray_quote', line, column(i));
            stray = true;
            break;
          }
          i++;
        }
        if (stray) {
          spoiled = true;
          skipRestOfLine();
          break;
        }
        value = text.slice(start, i);
      }
      fields.push(value);

      if (i >= n) break;
      if (text.charCodeAt(i) === delim) {
        i++;
        continue;
      }
      const nl = breakAt(i);
      i += nl;
      line++;
      lineStart = i;
      break;
    }

    if (spoiled) {
      recordIndex++;
      if (errors.length >= maxErrors) break;
      continue;
    }
    if (skipEmptyLines && fields.length === 1 && fields[0] === '' && !onlyFieldQuoted) continue;
    const record: CsvRecord = offsets ? { index: recordIndex, line: recordLine, fields, offsets } : { index: recordIndex, line: recordLine, fields };
    recordIndex++;
    if (!onRecord) records.push(record);
    else if (onRecord(record) === false) break;
  }
  return { records, errors };
}

export interface CsvObjectRow {
  /** 1-based data row: the first record after the header is row 1. */
  row: number;
  line: number;
  values: Record<string, string>;
}

export interface CsvObjectsResult {
  /** The header's column names, or null when the input has no (well-formed) header record. */
  header: string[] | null;
  rows: CsvObjectRow[];
  /** Parse errors and rows whose field count differs from the header's; `row` names the data row. */
  errors: (CsvError & { row: number })[];
}

/** Parses CSV whose first record names the columns; each later record becomes a column → value map. */
export function parseCsvObjects(input: string, options: CsvOptions = {}): CsvObjectsResult {
  const { records, errors } = parseCsv(input, options);
  const first = records[0];
  const headerSpoiled = errors.some((e) => e.record === 0);
  if (!first || first.index !== 0 || headerSpoiled) {
    return { header: null, rows: [], errors: errors.map((e) => ({ ...e, row: e.record })) };
  }
  const header = first.fields;
  const rowErrors: (CsvError & { row: number })[] = errors.map((e) => ({ ...e, row: e.record }));
  const rows: CsvObjectRow[] = [];
  for (const record of records.slice(1)) {
    if (record.fields.length !== header.length) {
      rowErrors.push({
        messageKey: 'csv.field_count',
        line: record.line,
        column: 1,
        record: record.index,
        row: record.index,
        params: { line: record.line, column: 1, found: record.fields.length, expected: header.length },
      });
      continue;
    }
    const values: Record<string, string> = {};
    header.forEach((name, k) => {
      values[name] = record.fields[k]!;
    });
    rows.push({ row: record.index, line: record.line, values });
  }
  rowErrors.sort((a, b) => a.record - b.record);
  return { header, rows, errors: rowErrors };
}
