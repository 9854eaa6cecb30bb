// Trade records, order history and fills from OKX and Binance CSV exports, and from any other
// export through a column mapping. The columns accepted are written down in
// docs/evidence-formats.md; keep the two in step.
//
// Numbers stay decimal strings (never floats): thousands separators are removed ("1,234.5"),
// exponents refused ("1e5"), and the value written canonically (no trailing fraction zeros).
// Times become ISO 8601 UTC. A naive time ("2026-03-01 12:00:00") is read in the zone its column
// header states ("Date(UTC)", "时间(UTC+8)"), else in the caller's `timeZone`, else UTC with a
// warning. A time with its own offset, or a 13-digit millisecond epoch, needs no zone.
//
// The first problem stops the parse: an error with the line and column where the offending cell
// starts (columns count characters). Formula-like cells are kept verbatim in `raw` and listed in
// `warnings`; they are never evaluated, and exports go through `toSafeCsv`.
import { parseCsv, type CsvRecord } from '../csv';
import {
  TextPositions,
  chooseZone,
  csvProblem,
  errorAt,
  fail,
  fieldCountProblem,
  formatZone,
  headerName,
  isEvidenceError,
  matchColumns,
  parseTimestamp,
  rawNames,
  shown,
  warningAt,
  type EvidenceError,
  type EvidenceWarning,
  type FieldAliases,
  type Failure,
  type HeaderName,
  type ZoneChoice,
} from './common';
import { isFormulaWarning } from './formula';

export type TradeFormat = 'okx_order_history' | 'okx_fills' | 'binance_order_history' | 'binance_trade_history';
export const TRADE_FORMATS: readonly TradeFormat[] = ['okx_order_history', 'okx_fills', 'binance_order_history', 'binance_trade_history'];

export type TradeKind = 'order' | 'fill' | 'trade';

export interface TradeRecord {
  /** 1-based position among the file's records. */
  seq: number;
  /** Line where the record starts. */
  line: number;
  kind: TradeKind;
  /** ISO 8601 UTC. */
  time: string;
  /** Upper-case, base and quote joined by `-`: `BTC-USDT` (`BTCUSDT` is split on a known quote asset). */
  symbol: string;
  side: 'buy' | 'sell';
  orderType?: string;
  price?: string;
  quantity?: string;
  filledQuantity?: string;
  averagePrice?: string;
  /** Value in the quote asset (Binance `Amount`/`Trading total`, OKX `Filled value`). */
  total?: string;
  /** Negative when charged as a negative amount (OKX), as written. */
  fee?: string;
  feeAsset?: string;
  status?: string;
  orderId?: string;
  tradeId?: string;
  /** Every cell of the row, as written, by its column name. */
  raw: Record<string, string>;
}

export type TradeField =
  | 'time'
  | 'symbol'
  | 'side'
  | 'orderType'
  | 'price'
  | 'quantity'
  | 'filledQuantity'
  | 'averagePrice'
  | 'total'
  | 'fee'
  | 'feeAsset'
  | 'status'
  | 'orderId'
  | 'tradeId';

/** For any other export: which column holds what (names as in its header, compared like headers). */
export interface GenericMapping {
  time: string;
  symbol: string;
  side: string;
  orderType?: string;
  price?: string;
  quantity?: string;
  filledQuantity?: string;
  averagePrice?: string;
  total?: string;
  fee?: string;
  feeAsset?: string;
  status?: string;
  orderId?: string;
  tradeId?: string;
  /** Zone of naive times when the time column's header does not state one: 'UTC', '+08:00', … */
  timeZone?: string;
  /** What the rows are. Default 'trade'. */
  kind?: TradeKind;
}

export interface ParseTradesOptions {
  /** Read as this format instead of detecting it from the header. */
  format?: TradeFormat;
  /** Read with this column mapping (takes precedence over `format`). */
  mapping?: GenericMapping;
  /** Zone of naive times when the header states none ('UTC', '+08:00', …). `mapping.timeZone` wins. */
  timeZone?: string;
}

export type ParseTradesResult =
  | {
      ok: true;
      records: TradeRecord[];
      format: TradeFormat | 'generic';
      warnings: EvidenceWarning[];
      /** The header row as written. */
      header: string[];
      /** Zone naive times were read in ('UTC', '+08:00') and where it came from. */
      timeZone: string;
      timeZoneSource: ZoneChoice['source'];
    }
  | Failure;

// ---------------------------------------------------------------------------------------------
// Formats

interface FormatSpec {
  format: TradeFormat;
  variant: string;
  kind: TradeKind;
  aliases: FieldAliases<TradeField>;
  /** Columns the header must have. */
  required: readonly TradeField[];
  /** Cells that must not be empty (time, symbol and side always). */
  values: readonly TradeField[];
  /** Numbers may carry an asset after them (Binance: `0.00100000BTC`). */
  assetSuffix: boolean;
}

const none: readonly string[] = [];
const spec = (s: Omit<FormatSpec, 'aliases'> & { aliases: Partial<Record<TradeField, readonly string[]>> }): FormatSpec => ({
  ...s,
  aliases: {
    time: none,
    symbol: none,
    side: none,
    orderType: none,
    price: none,
    quantity: none,
    filledQuantity: none,
    averagePrice: none,
    total: none,
    fee: none,
    feeAsset: none,
    status: none,
    orderId: none,
    tradeId: none,
    ...s.aliases,
  },
});

/** Header keys as `headerName` makes them: lower case, zone note removed, `.`/`_`/`-` as spaces. */
export const FORMAT_SPECS: readonly FormatSpec[] = [
  spec({
    format: 'binance_order_history',
    variant: 'binance spot order history',
    kind: 'order',
    assetSuffix: true,
    required: ['time', 'orderId', 'symbol', 'side', 'quantity', 'filledQuantity', 'status'],
    values: ['orderId'],
    aliases: {
      time: ['date', '日期'],
      orderId: ['orderno', 'order no', '订单号', '订单编号'],
      symbol: ['pair', '交易对'],
      orderType: ['type', '类型', '订单类型'],
      side: ['side', '方向', '买卖方向'],
      price: ['order price', '委托价格', '委托价'],
      quantity: ['order amount', '委托数量', '委托量'],
      filledQuantity: ['executed', '已成交', '成交数量'],
      averagePrice: ['average price', 'avgtrading price', 'avg trading price', '成交均价', '平均价格'],
      total: ['trading total', 'total', '成交额', '成交金额'],
      status: ['status', '状态'],
    },
  }),
  spec({
    format: 'okx_order_history',
    variant: 'okx order history',
    kind: 'order',
    assetSuffix: false,
    required: ['orderId', 'time', 'symbol', 'side', 'filledQuantity', 'averagePrice', 'status'],
    values: ['orderId'],
    aliases: {
      orderId: ['order id', 'ordid', '订单id', '订单编号', '订单号'],
      time: ['order time', 'time', 'created time', 'create time', 'ctime', '下单时间', '委托时间', '创建时间', '时间'],
      symbol: ['instrument', 'symbol', 'instid', 'pair', '交易品种', '币对', '交易对', '产品'],
      side: ['side', 'action', '方向', '买卖方向'],
      orderType: ['order type', 'ordtype', 'type', '订单类型', '委托类型'],
      price: ['order price', 'price', 'px', '委托价格', '委托价', '价格'],
      quantity: ['order amount', 'amount', 'size', 'sz', '委托数量', '委托总量', '数量'],
      filledQuantity: ['filled', 'filled amount', 'accfillsz', '已成交', '已成交数量', '成交数量'],
      averagePrice: ['avg fill price', 'average fill price', 'avg price', 'avgpx', '成交均价'],
      total: ['filled value', 'fill value', '成交金额', '成交额'],
      fee: ['fee', '手续费'],
      feeAsset: ['fee currency', 'fee unit', 'feeccy', 'fee coin', '手续费币种', '手续费单位'],
      status: ['status', 'state', '状态', '订单状态'],
    },
  }),
  spec({
    format: 'binance_trade_history',
    variant: 'binance spot trade history',
    kind: 'trade',
    assetSuffix: true,
    required: ['time', 'symbol', 'side', 'price', 'quantity', 'fee'],
    values: ['price', 'quantity'],
    aliases: {
      time: ['date', '日期', '时间'],
      symbol: ['pair', '交易对'],
      side: ['side', '方向'],
      price: ['price', '价格', '成交价格', '成交价'],
      quantity: ['executed', '已成交', '成交数量', '数量'],
      total: ['amount', '成交额', '成交金额', '金额'],
      fee: ['fee', '手续费'],
      feeAsset: ['fee coin', 'fee asset', '手续费币种'],
    },
  }),
  spec({
    format: 'binance_trade_history',
    variant: 'binance spot trade history (before 2021)',
    kind: 'trade',
    assetSuffix: true,
    required: ['time', 'symbol', 'side', 'price', 'quantity', 'total', 'fee', 'feeAsset'],
    values: ['price', 'quantity'],
    aliases: {
      time: ['date'],
      symbol: ['market'],
      side: ['type'],
      price: ['price'],
      quantity: ['amount'],
      total: ['total'],
      fee: ['fee'],
      feeAsset: ['fee coin'],
    },
  }),
  spec({
    format: 'okx_fills',
    variant: 'okx trading history (fills)',
    kind: 'fill',
    assetSuffix: false,
    required: ['tradeId', 'time', 'symbol', 'side', 'quantity', 'price'],
    values: ['tradeId', 'price', 'quantity'],
    aliases: {
      tradeId: ['id', 'trade id', 'tradeid', 'bill id', '成交id', '成交编号', '账单id'],
      orderId: ['order id', 'ordid', '订单id', '订单编号'],
      time: ['time', 'fill time', 'filled time', 'ts', '成交时间', '时间'],
      symbol: ['symbol', 'instrument', 'instid', '交易品种', '币对', '交易对'],
      side: ['action', 'side', '方向', '买卖方向'],
      quantity: ['amount', 'fill amount', 'fill size', 'fillsz', 'filled', '成交数量', '数量'],
      price: ['filled price', 'fill price', 'fillpx', '成交价格', '成交价'],
      fee: ['fee', '手续费'],
      feeAsset: ['fee unit', 'fee currency', 'feeccy', '手续费单位', '手续费币种'],
    },
  }),
];

/** Names of fields as messages show them (English column names). */
const FIELD_NAMES: Record<TradeField, string> = {
  time: 'time',
  symbol: 'symbol',
  side: 'side',
  orderType: 'order type',
  price: 'price',
  quantity: 'quantity',
  filledQuantity: 'filled quantity',
  averagePrice: 'average price',
  total: 'total',
  fee: 'fee',
  feeAsset: 'fee asset',
  status: 'status',
  orderId: 'order ID',
  tradeId: 'trade ID',
};

interface Match {
  spec: FormatSpec;
  columns: Partial<Record<TradeField, number>>;
  score: number;
}

function matchSpecs(keys: readonly string[], specs: readonly FormatSpec[]): Match | null {
  let best: Match | null = null;
  for (const s of specs) {
    const { columns } = matchColumns(keys, s.aliases);
    if (!s.required.every((f) => columns[f] !== undefined)) continue;
    const score = Object.keys(columns).length;
    if (!best || score > best.score) best = { spec: s, columns, score };
  }
  return best;
}

/**
 * Which export a header row comes from: every column the format needs is there (names compared
 * case-insensitively, spaces trimmed, full-width folded, `(UTC+8)` notes ignored), and of several
 * candidates the one that recognises most columns wins.
 */
export function detectTradeFormat(header: readonly string[]): TradeFormat | null {
  return matchSpecs(header.map((h) => headerName(h).key), FORMAT_SPECS)?.spec.format ?? null;
}

// ---------------------------------------------------------------------------------------------
// Values

/** Quote assets, to split `BTCUSDT` into `BTC-USDT`; longest first. */
const QUOTE_ASSETS = [
  'FDUSD', 'USDT', 'USDC', 'BUSD', 'TUSD', 'USDP', 'BIDR', 'BVND', 'AEUR', 'EURI', 'IDRT',
  'DAI', 'PAX', 'BTC', 'ETH', 'BNB', 'TRX', 'XRP', 'DOGE', 'SOL', 'EUR', 'GBP', 'TRY', 'BRL', 'AUD',
  'RUB', 'UAH', 'JPY', 'ZAR', 'PLN', 'RON', 'ARS', 'NGN', 'MXN', 'COP', 'CZK', 'USD',
].sort((a, b) => b.length - a.length);

const SYMBOL_PART = /^[\p{L}\p{N}]+$/u;

/** `BTC-USDT`, `btc/usdt`, `BTC_USDT` → `BTC-USDT`; `BTCUSDT` → `BTC-USDT`; `BTC-USDT-SWAP` stays. */
export function normalizeSymbol(value: string): string | null {
  const text = value.normalize('NFKC').trim().toUpperCase();
  if (text === '') return null;
  const parts = text.split(/\s*[-/_]\s*/);
  if (parts.length > 1) return parts.every((p) => SYMBOL_PART.test(p)) ? parts.join('-') : null;
  if (!SYMBOL_PART.test(text)) return null;
  for (const quote of QUOTE_ASSETS) {
    if (text.endsWith(quote) && text.length > quote.length + 1) return `${text.slice(0, -quote.length)}-${quote}`;
  }
  return text;
}

const SIDES: Record<string, 'buy' | 'sell'> = {
  buy: 'buy',
  b: 'buy',
  bid: 'buy',
  long: 'buy',
  'open long': 'buy',
  'close short': 'buy',
  买: 'buy',
  买入: 'buy',
  开多: 'buy',
  平空: 'buy',
  sell: 'sell',
  s: 'sell',
  ask: 'sell',
  short: 'sell',
  'open short': 'sell',
  'close long': 'sell',
  卖: 'sell',
  卖出: 'sell',
  开空: 'sell',
  平多: 'sell',
};

export function normalizeSide(value: string): 'buy' | 'sell' | null {
  const key = value.normalize('NFKC').trim().toLowerCase().replace(/[\s_]+/g, ' ');
  return SIDES[key] ?? null;
}

const NUMBER = /^([+-]?)((?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+))(?:\.([0-9]+))?$/;
const ASSET_AFTER = /^(.*?[0-9])\s*([A-Za-z][A-Za-z0-9]{1,19})$/;

export type DecimalResult = { ok: true; value: string; asset?: string } | { ok: false };

/**
 * A plain decimal as written in an export, canonically: `1,234.50` → `1234.5`, `0.00100000` → `0.001`.
 * Refuses exponents, hexadecimal, `NaN`, a bare `.5`, badly grouped thousands (`1,23`) and, unless
 * `signed`, a sign. With `assets`, a trailing asset among them is split off: `0.5BTC` → 0.5 and BTC
 * (longest first, so `0.51INCH` with 1INCH among them reads as 0.5 1INCH); with `assets: true`,
 * any asset of two or more letters and digits (a fee may be paid in BNB whatever the pair).
 */
export function parseDecimal(cell: string, options: { signed?: boolean; assets?: readonly string[] | true } = {}): DecimalResult {
  if (!options.assets && PLAIN.test(cell)) return { ok: true, value: canonical('', cell) }; // the common case, quickly
  let text = cell.trim();
  if (/^[+-]?[0-9.,]*[0-9]e[+-]?[0-9]+$/i.test(text)) return { ok: false }; // an exponent, not a BTC amount of asset "E5"
  let asset: string | undefined;
  if (options.assets) {
    const known = options.assets === true ? [] : [...options.assets].sort((a, b) => b.length - a.length);
    const upper = text.toUpperCase();
    const hit = known.find((a) => a !== '' && upper.endsWith(a) && /[0-9]\s*$/.test(text.slice(0, -a.length)));
    if (hit) {
      asset = hit;
      text = text.slice(0, -hit.length).trim();
    } else if (options.assets === true) {
      const m = ASSET_AFTER.exec(text);
      if (m) {
        asset = m[2]!.toUpperCase();
        text = m[1]!.trim();
      }
    }
  }
  const m = NUMBER.exec(text);
  if (!m) return { ok: false };
  const [, sign, int, frac] = m;
  if (sign && !options.signed) return { ok: false };
  const digits = int!.replace(/,/g, '');
  if (digits.length > 40 || (frac?.length ?? 0) > 40) return { ok: false };
  const value = canonical(sign!, frac === undefined ? digits : `${digits}.${frac}`);
  return asset === undefined ? { ok: true, value } : { ok: true, value, asset };
}

const PLAIN = /^[0-9]{1,40}(?:\.[0-9]{1,40})?$/;

/** Canonical text of digits with an optional fraction, as Decimal's toFixed() writes it: no
 *  leading or trailing zeros, and no "-0". */
function canonical(sign: string, number: string): string {
  const dot = number.indexOf('.');
  const whole = (dot < 0 ? number : number.slice(0, dot)).replace(/^0+(?=[0-9])/, '');
  const fraction = dot < 0 ? '' : number.slice(dot + 1).replace(/0+$/, '');
  const magnitude = fraction ? `${whole}.${fraction}` : whole;
  return sign === '-' && magnitude !== '0' ? `-${magnitude}` : magnitude;
}

/** Cells that stand for "nothing" in exports: empty, `--`, `-`, `N/A`. */
const BLANK = /^\s*(?:|--?|n\/a|null)\s*$/i;
const isBlank = (value: string) => value.length === 0 || (value.length <= 6 && BLANK.test(value)) || (value.trim() === '');
/** A market order's price as some exports write it. */
const MARKET_PRICE = /^\s*(?:market|市价)\s*$/i;

// ---------------------------------------------------------------------------------------------
// Parsing

const NUMBER_FIELDS = ['price', 'quantity', 'filledQuantity', 'averagePrice', 'total', 'fee'] as const;
type NumberField = (typeof NUMBER_FIELDS)[number];
const TEXT_FIELDS = ['orderType', 'feeAsset', 'status', 'orderId', 'tradeId'] as const;

/** Message keys of a cell that is not a plain decimal, per field. */
export const BAD_NUMBER_KEYS: Record<NumberField, string> = {
  price: 'evidence.trade.bad_price',
  quantity: 'evidence.trade.bad_quantity',
  filledQuantity: 'evidence.trade.bad_filled_quantity',
  averagePrice: 'evidence.trade.bad_average_price',
  total: 'evidence.trade.bad_total',
  fee: 'evidence.trade.bad_fee',
};

/** How many records (after the first) may come before the header: exports sometimes start with a title. */
const MAX_PREAMBLE = 5;

export function parseTrades(text: string, options: ParseTradesOptions = {}): ParseTradesResult {
  const positions = new TextPositions(text);
  const mappingSpec = options.mapping ? specFromMapping(options.mapping) : null;
  const specs = mappingSpec ? [mappingSpec] : options.format ? FORMAT_SPECS.filter((s) => s.format === options.format) : FORMAT_SPECS;

  // Records are handled as the CSV parser reads them (nothing else of the file is held), and
  // reading stops at the first problem: a CSV syntax error, or a cell that does not pass.
  const leading: CsvRecord[] = []; // records before the header is found
  let reader: RowReader | null = null;
  let failure: Failure | null = null;
  const { errors } = parseCsv(text, {
    positions: true,
    maxErrors: 1,
    onRecord: (record) => {
      if (reader) {
        const problem = reader.read(record);
        if (problem) failure = problem;
        return !problem;
      }
      // The header is the first of the leading records that fits the mapping or a known format.
      leading.push(record);
      const names = record.fields.map(headerName);
      const match = matchSpecs(
        names.map((n) => n.key),
        specs,
      );
      if (match) {
        const started = startReading(record, names, match, positions, options);
        if (!started.ok) {
          failure = started;
          return false;
        }
        reader = started.reader;
        return true;
      }
      return leading.length <= MAX_PREAMBLE;
    },
  });
  if (failure) return failure;
  const csvError = errors[0] ? csvProblem(errors[0], positions) : null;
  if (csvError) return fail(csvError); // every record before it was fine
  if (!reader) {
    const first = leading[0];
    if (!first) return fail({ messageKey: 'evidence.parse.empty', params: {} });
    const keys = first.fields.map((h) => headerName(h).key);
    if (options.mapping || options.format) {
      // Name the first column needed that the header lacks.
      const s = specs[0]!;
      const { columns } = matchColumns(keys, s.aliases);
      const missing = s.required.find((f) => columns[f] === undefined)!;
      const name = options.mapping ? (options.mapping[missing] as string) : s.aliases[missing][0]!;
      return fail(errorAt('evidence.header.missing_column', first.line, 1, { name: shown(name) }));
    }
    return fail(errorAt('evidence.trade.unknown_format', first.line, 1));
  }
  const done = (reader as RowReader).result();
  return { ok: true, ...done, format: mappingSpec ? 'generic' : done.format };
}

interface RowReader {
  /** Reads one data record; returns the problem that stops the parse, or null. */
  read(record: CsvRecord): Failure | null;
  result(): { records: TradeRecord[]; format: TradeFormat; warnings: EvidenceWarning[]; header: string[]; timeZone: string; timeZoneSource: ZoneChoice['source'] };
}

/** Checks the header (duplicates, the time zone) and returns what reads the rows after it. */
function startReading(
  header: CsvRecord,
  names: HeaderName[],
  match: Match,
  positions: TextPositions,
  options: ParseTradesOptions,
): { ok: true; reader: RowReader } | Failure {
  const duplicate = matchColumns(
    names.map((n) => n.key),
    match.spec.aliases,
  ).duplicate;
  if (duplicate) {
    const at = positions.at(header.offsets![duplicate.index]!);
    return fail(errorAt('evidence.header.duplicate_column', at.line, at.column, { name: shown(header.fields[duplicate.index]!) }));
  }
  // Zone of naive times: the time column's header, else the mapping's or the option, else UTC.
  const zone = chooseZone(names[match.columns.time!]!.zone ?? undefined, options.mapping?.timeZone ?? options.timeZone);
  if (isEvidenceError(zone)) return fail(zone); // the option is wrong, not the file: no position

  const display = rawNames(header.fields);
  const warnings: EvidenceWarning[] = [];
  const state = { warned: false, warnings };
  const out: TradeRecord[] = [];
  return {
    ok: true,
    reader: {
      read(record) {
        const countError = fieldCountProblem(record, header.fields.length, positions);
        if (countError) return fail(countError);
        const built = buildRecord(record, out.length + 1, match, display, zone, positions, state);
        if (!built.ok) return built;
        out.push(built.record);
        return null;
      },
      result: () => ({
        records: out,
        format: match.spec.format,
        warnings,
        header: header.fields,
        timeZone: formatZone(zone.offset),
        timeZoneSource: zone.source,
      }),
    },
  };
}

function specFromMapping(mapping: GenericMapping): FormatSpec {
  const aliases: Partial<Record<TradeField, readonly string[]>> = {};
  const fields: TradeField[] = ['time', 'symbol', 'side', 'orderType', 'price', 'quantity', 'filledQuantity', 'averagePrice', 'total', 'fee', 'feeAsset', 'status', 'orderId', 'tradeId'];
  for (const f of fields) {
    const column = mapping[f];
    if (typeof column === 'string' && column.trim() !== '') aliases[f] = [headerName(column).key];
  }
  return spec({
    format: 'binance_trade_history', // unused for mappings
    variant: 'generic mapping',
    kind: mapping.kind ?? 'trade',
    assetSuffix: true,
    required: (Object.keys(aliases) as TradeField[]).filter((f) => aliases[f]!.length > 0),
    values: [],
    aliases,
  });
}

function buildRecord(
  record: CsvRecord,
  seq: number,
  match: Match,
  display: readonly string[],
  zone: ZoneChoice,
  positions: TextPositions,
  state: { warned: boolean; warnings: EvidenceWarning[] },
): { ok: true; record: TradeRecord } | Failure {
  // Cells are read by column; a position is worked out only for an error or a warning.
  const { spec: s, columns } = match;
  const fields = record.fields;
  const offsets = record.offsets!;
  const problem = (messageKey: string, k: number, params: Record<string, string | number> = {}): Failure => {
    const at = positions.at(offsets[k]!);
    return fail(errorAt(messageKey, at.line, at.column, params));
  };
  const missing = (field: TradeField): Failure => problem('evidence.parse.missing_value', columns[field]!, { name: FIELD_NAMES[field] });

  const raw: Record<string, string> = {};
  for (let k = 0; k < display.length; k++) raw[display[k]!] = fields[k] ?? '';
  // Formula-like cells: kept, never evaluated, flagged.
  for (let k = 0; k < fields.length; k++) {
    if (isFormulaWarning(fields[k]!)) {
      const at = positions.at(offsets[k]!);
      state.warnings.push(warningAt('evidence.parse.formula_cell', at.line, at.column, { value: shown(fields[k]!) }));
    }
  }

  const timeText = fields[columns.time!]!;
  if (isBlank(timeText)) return missing('time');
  const time = parseTimestamp(timeText, zone.offset);
  if (!time.ok) return problem('evidence.parse.bad_time', columns.time!, { value: shown(timeText) });
  if (time.naive && zone.source === 'assumed' && !state.warned) {
    state.warned = true;
    const at = positions.at(offsets[columns.time!]!);
    state.warnings.push(warningAt('evidence.parse.time_zone_assumed', at.line, at.column, { timeZone: 'UTC' }));
  }

  const symbolText = fields[columns.symbol!]!;
  if (isBlank(symbolText)) return missing('symbol');
  const symbol = cachedSymbol(symbolText);
  if (!symbol) return problem('evidence.trade.bad_symbol', columns.symbol!, { value: shown(symbolText) });

  const sideText = fields[columns.side!]!;
  if (isBlank(sideText)) return missing('side');
  const side = cachedSide(sideText);
  if (!side) return problem('evidence.trade.bad_side', columns.side!, { value: shown(sideText) });

  const out: TradeRecord = { seq, line: record.line, kind: s.kind, time: time.iso, symbol, side, raw };
  const dash = symbol.indexOf('-');
  const pairAssets = dash < 0 ? [symbol] : [symbol.slice(0, dash), symbol.slice(dash + 1).split('-')[0]!];
  for (const field of NUMBER_FIELDS) {
    const k = columns[field];
    if (k === undefined) continue;
    const value = fields[k]!;
    if (isBlank(value) || ((field === 'price' || field === 'averagePrice') && MARKET_PRICE.test(value))) {
      if (s.values.includes(field)) return missing(field);
      continue;
    }
    // Binance writes the asset after amounts (`0.002BTC`, `130USDT`, a fee in any asset), never after prices.
    const assets = !s.assetSuffix || field === 'price' || field === 'averagePrice' ? undefined : field === 'fee' ? (true as const) : pairAssets;
    const parsed = parseDecimal(value, { signed: field === 'fee', assets });
    if (!parsed.ok) return problem(BAD_NUMBER_KEYS[field], k, { value: shown(value) });
    out[field] = parsed.value;
    if (field === 'fee' && parsed.asset) out.feeAsset = parsed.asset;
  }
  for (const field of TEXT_FIELDS) {
    const k = columns[field];
    if (k === undefined) continue;
    const value = fields[k]!;
    if (isBlank(value)) {
      if (s.values.includes(field)) return missing(field);
      continue;
    }
    out[field] = field === 'feeAsset' ? value.trim().toUpperCase() : value.trim();
  }
  return { ok: true, record: out };
}

// Symbols and sides repeat on every row: read each distinct text once.
const symbolCache = new Map<string, string | null>();
const sideCache = new Map<string, 'buy' | 'sell' | null>();
function cachedSymbol(text: string): string | null {
  let v = symbolCache.get(text);
  if (v === undefined) {
    v = normalizeSymbol(text);
    if (symbolCache.size > 10_000) symbolCache.clear();
    symbolCache.set(text, v);
  }
  return v;
}
function cachedSide(text: string): 'buy' | 'sell' | null {
  let v = sideCache.get(text);
  if (v === undefined) {
    v = normalizeSide(text);
    if (sideCache.size > 1_000) sideCache.clear();
    sideCache.set(text, v);
  }
  return v;
}

export type { EvidenceError };
