// Understanding evidence: from an exhibit's bytes and type to records the workstation can show,
// sort and search. The original is never changed: a file that cannot be parsed is still an
// exhibit, with the reason (a message key, and the line and column for text).
//
// Text types are checked before they are read: the content must be plain text (sniffed), UTF-8
// (else the line and column of the first invalid sequence), with no line over 1 MiB, and at most
// 64 MiB in all. A UTF-8 byte-order mark is skipped. Pure TypeScript: runs on the server and in
// the desktop renderer alike.
import { headerName, matchColumns, parseJson, type EvidenceError, type EvidenceWarning, type JsonNode } from './common';
import { parseTrades, detectTradeFormat, type GenericMapping, type TradeKind, type TradeRecord } from './trades';
import { parseActivity, ACTIVITY_SPEC, type ActivityRecord } from './activity';
import { parseChat, CHAT_SPEC, type ChatRecord } from './chat';
import { parseOnchainReferences, checkReference, ONCHAIN_SPEC, type OnchainRecord, type ReferenceKind } from './onchain';
import { imageInfo, pdfInfo } from './media';
import { sniffMediaType, isAllowedMediaType, SNIFF_LENGTH, type SniffResult } from './sniff';
import { DEFAULT_MAX_LINE_LENGTH } from './lines';
import { checkText } from './text-check';
import { parseCsv } from '../csv';

export type { EvidenceError, EvidenceWarning } from './common';
export type { GenericMapping, TradeFormat, TradeKind, TradeRecord } from './trades';
export type { ActivityRecord } from './activity';
export type { ChatRecord } from './chat';
export type { OnchainRecord, Chain, ReferenceKind } from './onchain';
export { detectTradeFormat, parseTrades } from './trades';
export { parseActivity, normalizeIp } from './activity';
export { parseChat } from './chat';
export { parseOnchainReferences, checkReference } from './onchain';
export { imageInfo, pdfInfo } from './media';
export { sniffMediaType, isAllowedMediaType, ALLOWED_MEDIA_TYPES } from './sniff';
export { isFormulaLike, neutralizeFormula, toSafeCsv } from './formula';
export { createUtf8Checker } from './utf8';
export { createLineSplitter } from './lines';
export { createTextCheck, type TextCheck } from './text-check';

export const EXHIBIT_TYPES = ['image', 'pdf', 'trade_records', 'order_history', 'fills', 'activity_log', 'chat_transcript', 'onchain_reference', 'document'] as const;
export type ExhibitType = (typeof EXHIBIT_TYPES)[number];

/** Largest text parsed into records; larger files are kept but not parsed. */
export const MAX_TEXT_BYTES = 64 * 1024 * 1024;

// Records as stored and searched: one flat shape per kind. Trade and on-chain records have a kind
// of their own (order/fill/trade, tx/address); here it is `tradeKind` / `referenceKind`.
export type TradeEvidence = Omit<TradeRecord, 'kind'> & { kind: 'trade'; tradeKind: TradeKind; searchText: string };
export type ActivityEvidence = ActivityRecord & { kind: 'activity'; searchText: string };
export type ChatEvidence = ChatRecord & { kind: 'chat'; searchText: string };
export type OnchainEvidence = Omit<OnchainRecord, 'kind'> & { kind: 'onchain'; referenceKind: ReferenceKind; searchText: string };
export type EvidenceRecord = TradeEvidence | ActivityEvidence | ChatEvidence | OnchainEvidence;
export type EvidenceRecordKind = EvidenceRecord['kind'];

export type ParseResult =
  | { status: 'parsed'; records: EvidenceRecord[]; metadata: Record<string, unknown>; warnings: EvidenceWarning[] }
  | { status: 'failed'; error: EvidenceError }
  /** Nothing to read records from (images, PDFs, documents); `metadata` has what the header tells. */
  | { status: 'not_applicable'; metadata: Record<string, unknown> };

export interface ParseEvidenceInput {
  bytes: Uint8Array;
  type: ExhibitType;
  /** Column mapping for trade exports in no known format (also gives `timeZone`). */
  mapping?: GenericMapping | Record<string, string>;
  /** Zone of naive times when the file does not state one ('UTC', '+08:00'); default: UTC, with a warning. */
  timeZone?: string;
  /** Longest line accepted in text evidence, in bytes. Default 1 MiB. */
  maxLineLength?: number;
  /** Largest text parsed. Default 64 MiB. */
  maxTextBytes?: number;
}

const TEXT_TYPES: readonly ExhibitType[] = ['trade_records', 'order_history', 'fills', 'activity_log', 'chat_transcript', 'onchain_reference'];

/** Types read as text into records (the others are images, PDFs and documents). */
export function isTextExhibitType(type: ExhibitType): boolean {
  return TEXT_TYPES.includes(type);
}

const failed = (messageKey: string, params: Record<string, string | number> = {}, extra: Partial<EvidenceError> = {}): ParseResult => ({
  status: 'failed',
  error: { messageKey, params, ...extra },
});

const lower = (parts: readonly (string | undefined)[]) =>
  parts
    .filter((p): p is string => !!p)
    .join(' ')
    .toLowerCase();

export function parseEvidence(input: ParseEvidenceInput): ParseResult {
  const { bytes, type } = input;
  if (bytes.length === 0) return failed('evidence.parse.empty');
  const sniffed = sniffMediaType(bytes.subarray(0, SNIFF_LENGTH));
  if (!isAllowedMediaType(sniffed.mediaType)) return failed('evidence.parse.disallowed_type', { mediaType: sniffed.mediaType });
  const base = { mediaType: sniffed.mediaType, size: bytes.length };

  if (type === 'document') return { status: 'not_applicable', metadata: base };
  if (type === 'image') {
    if (sniffed.family !== 'image') return failed('evidence.parse.type_mismatch', { expected: 'image', mediaType: sniffed.mediaType });
    const info = imageInfo(bytes);
    if (!info.ok) return { status: 'failed', error: info.error };
    return { status: 'not_applicable', metadata: { ...base, format: info.format, width: info.width, height: info.height } };
  }
  if (type === 'pdf') {
    if (sniffed.family !== 'pdf') return failed('evidence.parse.type_mismatch', { expected: 'pdf', mediaType: sniffed.mediaType });
    const info = pdfInfo(bytes);
    if (!info.ok) return { status: 'failed', error: info.error };
    return { status: 'not_applicable', metadata: { ...base, version: info.version, pageCount: info.pageCount, pageCountMethod: info.pageCountMethod } };
  }
  if (!TEXT_TYPES.includes(type)) return failed('evidence.parse.unknown_type', { type: String(type) });

  // Text: plain, UTF-8, bounded lines and size.
  const maxText = input.maxTextBytes ?? MAX_TEXT_BYTES;
  const refused = refusedText(sniffed, bytes.length, maxText, () =>
    checkText(bytes.subarray(0, Math.min(bytes.length, maxText)), input.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH, bytes.length <= maxText),
  );
  if (refused) return refused;
  const text = new TextDecoder('utf-8', { ignoreBOM: false }).decode(bytes);
  if (text.trim() === '') return failed('evidence.parse.empty');

  const mapping = input.mapping as (GenericMapping & Record<string, string>) | undefined;
  const timeZone = input.timeZone ?? (typeof mapping?.timeZone === 'string' ? mapping.timeZone : undefined);
  switch (type) {
    case 'trade_records':
    case 'order_history':
    case 'fills': {
      const hasMapping = mapping && typeof mapping.time === 'string' && typeof mapping.symbol === 'string' && typeof mapping.side === 'string';
      const r = parseTrades(text, { mapping: hasMapping ? mapping : undefined, timeZone });
      if (!r.ok) return { status: 'failed', error: r.error };
      return {
        status: 'parsed',
        records: r.records.map((rec) => {
          // Turned into its evidence shape in place (no copy of a possibly large list).
          const out = rec as unknown as TradeEvidence;
          out.tradeKind = rec.kind;
          out.kind = 'trade';
          out.searchText = lower([rec.time, rec.symbol, rec.side, rec.orderType, rec.status, rec.orderId, rec.tradeId, rec.price, rec.quantity, rec.feeAsset]);
          return out;
        }),
        metadata: { ...base, format: r.format, recordCount: r.records.length, timeZone: r.timeZone, timeZoneSource: r.timeZoneSource },
        warnings: r.warnings,
      };
    }
    case 'activity_log': {
      const r = parseActivity(text, { timeZone });
      if (!r.ok) return { status: 'failed', error: r.error };
      return {
        status: 'parsed',
        records: r.records.map((rec) => {
          const out = rec as ActivityEvidence;
          out.kind = 'activity';
          out.searchText = lower([rec.time, rec.ip, rec.device, rec.action, rec.location, rec.result, rec.userAgent]);
          return out;
        }),
        metadata: { ...base, format: r.source, recordCount: r.records.length, timeZone: r.timeZone, timeZoneSource: r.timeZoneSource },
        warnings: r.warnings,
      };
    }
    case 'chat_transcript': {
      const r = parseChat(text, { timeZone });
      if (!r.ok) return { status: 'failed', error: r.error };
      return {
        status: 'parsed',
        records: r.records.map((rec) => ({ ...rec, kind: 'chat' as const, searchText: lower([rec.time, rec.speaker, rec.text]) })),
        metadata: { ...base, format: r.source, recordCount: r.records.length, timeZone: r.timeZone, timeZoneSource: r.timeZoneSource },
        warnings: r.warnings,
      };
    }
    case 'onchain_reference': {
      const r = parseOnchainReferences(text);
      if (!r.ok) return { status: 'failed', error: r.error };
      return {
        status: 'parsed',
        records: r.records.map(({ kind, ...rest }) => ({
          ...rest,
          kind: 'onchain' as const,
          referenceKind: kind,
          searchText: lower([rest.chain, kind, rest.value, rest.note]),
        })),
        metadata: { ...base, format: r.source, recordCount: r.records.length },
        warnings: [],
      };
    }
  }
  return failed('evidence.parse.unknown_type', { type: String(type) });
}

/**
 * Text is refused before it is read when it is not plain text, then for the first problem within the
 * part that would be read (`check`: invalid UTF-8 or a line too long; a 200 MB single line is a line
 * too long, found after 1 MiB), then for its size. Null: it is read.
 */
function refusedText(sniffed: SniffResult, size: number, maxText: number, check: () => EvidenceError | null): ParseResult | null {
  if (sniffed.mediaType !== 'text/plain') return failed('evidence.parse.not_text', { mediaType: sniffed.mediaType });
  const checked = check();
  if (checked) return { status: 'failed', error: checked };
  if (size > maxText) return failed('evidence.parse.too_large', { maximum: maxText });
  return null;
}

/**
 * parseEvidence's answer for text evidence larger than `maxTextBytes`, from what was seen of it while
 * it streamed in, without holding its bytes: `head`, its first bytes (at least SNIFF_LENGTH of them),
 * and `textCheck`, the answer of a createTextCheck (with the default line limit) fed its first
 * `maxTextBytes` bytes and ended with `whole` false. Such text is never read into records: the
 * answer is a problem found in that part, else evidence.parse.too_large. Null when parseEvidence needs
 * the bytes themselves: a file that is not too large, or whose type is not a text type.
 */
export function parseOversizedText(input: { head: Uint8Array; size: number; type: ExhibitType; textCheck: EvidenceError | null; maxTextBytes?: number }): ParseResult | null {
  const maxText = input.maxTextBytes ?? MAX_TEXT_BYTES;
  if (input.size <= maxText || !isTextExhibitType(input.type)) return null;
  const sniffed = sniffMediaType(input.head.subarray(0, SNIFF_LENGTH));
  if (!isAllowedMediaType(sniffed.mediaType)) return failed('evidence.parse.disallowed_type', { mediaType: sniffed.mediaType });
  return refusedText(sniffed, input.size, maxText, () => input.textCheck);
}

/**
 * The exhibit type a file most likely is, from its sniffed media type and its first bytes as text
 * (possibly cut mid-line): images and PDFs by type; for text, a trade export's header
 * (order history, fills, trade records), an activity log's or chat's columns or keys, a transcript's
 * timestamped lines, on-chain references; otherwise a document.
 */
export function suggestExhibitType(mediaType: string, headText: string): ExhibitType {
  const mt = mediaType.trim().toLowerCase();
  if (mt.startsWith('image/') && isAllowedMediaType(mt)) return 'image';
  if (mt === 'application/pdf') return 'pdf';
  if (mt !== 'text/plain') return 'document';
  const text = headText.replace(/^\uFEFF/, '');
  const trimmed = text.trimStart();
  if (trimmed === '') return 'document';

  // JSON, unless the bracket opens a transcript's timestamp: `[2026-03-01 12:00:05] Alice: …`.
  if (trimmed.startsWith('{') || (trimmed.startsWith('[') && !/^\[\s*\d{4}[-/.]\d{1,2}[-/.]\d{1,2}/.test(trimmed))) return suggestFromJson(text);

  // CSV: look at the first few records for a header.
  const lines = text.split(/\r\n|\n|\r/);
  const complete = lines.length > 1 ? lines.slice(0, -1) : lines; // the last piece may be cut
  const { records } = parseCsv(complete.slice(0, 8).join('\n'));
  for (const record of records.slice(0, 6)) {
    const format = detectTradeFormat(record.fields);
    if (format) return format === 'okx_fills' ? 'fills' : format === 'binance_trade_history' ? 'trade_records' : 'order_history';
  }
  const header = records[0]?.fields.map((h) => headerName(h).key) ?? [];
  if (header.length > 1) {
    if (ACTIVITY_SPEC.required.every((f) => matchColumns(header, ACTIVITY_SPEC.aliases).columns[f] !== undefined)) return 'activity_log';
    if (CHAT_SPEC.required.every((f) => matchColumns(header, CHAT_SPEC.aliases).columns[f] !== undefined)) return 'chat_transcript';
    const onchain = matchColumns(header, ONCHAIN_SPEC.aliases).columns;
    if (onchain.value !== undefined && (onchain.chain !== undefined || onchain.kind !== undefined)) return 'onchain_reference';
  }
  // Text lines.
  const content = complete.map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  if (content.length === 0) return 'document';
  const chatLines = content.filter((l) => /^\[?\d{4}[-/.]\d{1,2}[-/.]\d{1,2}[T ]\d{1,2}:\d{2}(?::\d{2})?[^\]]*\]?\s*[^:：]{1,80}[:：]/.test(l)).length;
  if (chatLines > 0 && chatLines * 2 >= content.length) return 'chat_transcript';
  const references = content.filter((l) => {
    const m = /^(?:([A-Za-z]+)\s*[:：]\s*)?(\S+)/.exec(l);
    if (!m) return false;
    const r = checkReference(m[2]!);
    return r.ok || r.messageKey === 'evidence.onchain.chain_required';
  }).length;
  if (references * 2 > content.length) return 'onchain_reference';
  return 'document';
}

function suggestFromJson(text: string): ExhibitType {
  // The head may be cut: take the first complete object that is a record (not a wrapper holding a
  // list of records, like `{"messages": [...]}`).
  let tries = 0;
  for (let start = text.indexOf('{'); start >= 0 && tries < 50; start = text.indexOf('{', start + 1), tries++) {
    const end = objectEnd(text, start);
    if (end < 0) continue;
    const parsed = parseJson(text, start, end);
    if (!parsed.ok || parsed.node.type !== 'object') continue;
    const isWrapper = parsed.node.entries.some((e) => e.value.type === 'array' && e.value.items.some((x: JsonNode) => x.type === 'object'));
    if (isWrapper) continue;
    const keys = parsed.node.entries.map((e) => headerName(e.key).key);
    const has = <F extends string>(spec: { aliases: Readonly<Record<F, readonly string[]>>; required: readonly F[] }) => {
      const { columns } = matchColumns(keys, spec.aliases);
      return spec.required.every((f) => columns[f] !== undefined);
    };
    if (has(ACTIVITY_SPEC)) return 'activity_log';
    if (has(CHAT_SPEC)) return 'chat_transcript';
    if (has(ONCHAIN_SPEC)) return 'onchain_reference';
    return 'document';
  }
  return 'document';
}

/** Offset just past the `}` closing the object opened at `start`, or -1 when the text ends first. */
function objectEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let k = start; k < text.length; k++) {
    const c = text[k];
    if (inString) {
      if (c === '\\') k++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if ((c === '}' || c === ']') && --depth === 0) return k + 1;
  }
  return -1;
}
