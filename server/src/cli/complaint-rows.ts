// Turns the rows of an import file into request bodies for POST /api/v1/complaints. Only the
// shape changes here (CSV text → JSON object); every judgement about the values is the server's,
// so a CSV row is validated exactly as a complaint posted by an integration.
import { parseCsvObjects, type CsvError } from '../../../shared/csv';

/** The CSV columns, in the order docs/intake.md lists them. Nested fields use dotted names. */
export const CSV_COLUMNS = [
  'externalRef',
  'channel',
  'category',
  'subcategory',
  'description',
  'occurredAt',
  'urgent',
  'complainant.exchangeUid',
  'complainant.name',
  'complainant.email',
  'complainant.phone',
  'complainant.vipLevel',
  'complainant.language',
  'complainant.region',
  'complainant.idDocumentNumber',
  'amounts',
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

export interface ImportItem {
  /** 1-based: the position in a JSON array, or the data row of a CSV file (the header is not a row). */
  row: number;
  /** The CSV line the row starts on; absent for JSON. */
  line?: number;
  body?: unknown;
  /** A row the CSV parser could not read; it is reported and never sent. */
  csvError?: CsvError;
}

export type HeaderProblem =
  | { messageKey: 'validation.csv_header_missing'; params: Record<string, string> }
  | { messageKey: 'intake.cli.csv_unknown_columns'; params: { columns: string; known: string } }
  | { messageKey: 'intake.cli.csv_duplicate_columns'; params: { columns: string } };

/** `BTC:0.5;USDT:1200.25` → [{asset: 'BTC', amount: '0.5'}, …]. Amounts stay strings. */
export function parseAmountList(text: string): { asset: string; amount?: string }[] {
  return text
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const colon = part.indexOf(':');
      // Without a colon there is no amount: the server then names amounts.N.amount as missing.
      if (colon < 0) return { asset: part };
      return { asset: part.slice(0, colon).trim(), amount: part.slice(colon + 1).trim() };
    });
}

function convert(column: CsvColumn, value: string): unknown {
  switch (column) {
    case 'complainant.vipLevel':
      // An integer only when it is all digits; anything else goes as text for the server to refuse.
      return /^[0-9]{1,15}$/.test(value) ? Number(value) : value;
    case 'urgent': {
      const v = value.trim().toLowerCase();
      if (v === 'true' || v === '1' || v === 'yes') return true;
      if (v === 'false' || v === '0' || v === 'no') return false;
      return value;
    }
    case 'amounts':
      return parseAmountList(value);
    default:
      return value;
  }
}

/** One CSV row as a complaint body. Empty cells are left out, so optional fields stay absent. */
export function csvRowToComplaint(values: Record<string, string>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const complainant: Record<string, unknown> = {};
  for (const column of CSV_COLUMNS) {
    const raw = values[column];
    if (raw === undefined || raw === '') continue;
    const value = convert(column, raw);
    if (column.startsWith('complainant.')) complainant[column.slice('complainant.'.length)] = value;
    else body[column] = value;
  }
  if (Object.keys(complainant).length > 0) body.complainant = complainant;
  return body;
}

export function checkCsvHeader(header: string[] | null): HeaderProblem | null {
  if (!header) return { messageKey: 'validation.csv_header_missing', params: {} };
  const known = new Set<string>(CSV_COLUMNS);
  if (!header.some((h) => known.has(h))) return { messageKey: 'validation.csv_header_missing', params: {} };
  const unknown = header.filter((h) => !known.has(h));
  if (unknown.length)
    return { messageKey: 'intake.cli.csv_unknown_columns', params: { columns: unknown.map((u) => JSON.stringify(u)).join(', '), known: CSV_COLUMNS.join(', ') } };
  const duplicates = header.filter((h, i) => header.indexOf(h) !== i);
  if (duplicates.length) return { messageKey: 'intake.cli.csv_duplicate_columns', params: { columns: [...new Set(duplicates)].join(', ') } };
  return null;
}

/** The rows of a CSV file, in file order, with the rows that could not be parsed in their places. */
export function csvImportItems(text: string): { items: ImportItem[]; headerProblem: HeaderProblem | null } {
  const parsed = parseCsvObjects(text);
  const header = parsed.header?.map((h) => h.trim()) ?? null;
  const headerProblem = checkCsvHeader(header);
  if (headerProblem) return { items: [], headerProblem };
  const items: ImportItem[] = [
    ...parsed.rows.map((r) => {
      const values: Record<string, string> = {};
      parsed.header!.forEach((h, k) => (values[header![k]!] = r.values[h]!));
      return { row: r.row, line: r.line, body: csvRowToComplaint(values) };
    }),
    ...parsed.errors.map((e) => ({ row: e.row, line: e.line, csvError: e })),
  ];
  items.sort((a, b) => a.row - b.row);
  return { items, headerProblem: null };
}

/** The elements of a JSON array, sent as they are. */
export function jsonImportItems(data: unknown): ImportItem[] | null {
  if (!Array.isArray(data)) return null;
  return data.map((body, i) => ({ row: i + 1, body }));
}
