// On-chain references: transaction hashes and addresses on Bitcoin, Ethereum and TRON, checked
// before they are kept as records, so a mistyped character is caught at intake.
//
// - BTC transaction: 64 hex digits. Addresses: P2PKH `1…` and P2SH `3…` (Base58Check: version
//   0x00 or 0x05, checksum = first 4 bytes of double SHA-256), and native SegWit `bc1…` (BIP-173
//   bech32 for witness version 0, BIP-350 bech32m for versions 1–16). Mainnet only.
// - ETH transaction: `0x` and 64 hex digits. Address: `0x` and 40 hex digits; when the letters are
//   of mixed case, the EIP-55 checksum (Keccak-256 of the lower-case address) must hold.
// - TRON transaction: 64 hex digits (no `0x`). Address: `T…` Base58Check with version 0x41.
// A bare 64-hex hash could be BTC or TRON: the chain must be given (a `chain` column or key, or a
// `TRON:` prefix on the line), else 'evidence.onchain.chain_required'.
import { sha256 } from '@noble/hashes/sha2.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import {
  TextPositions,
  errorAt,
  fail,
  headerName,
  jsonError,
  jsonScalar,
  looksLikeJson,
  matchColumns,
  parseJson,
  readCsvTable,
  shown,
  type Cell,
  type Failure,
  type JsonNode,
  type TableSpec,
} from './common';
import { parseCsv } from '../csv';

export type Chain = 'BTC' | 'ETH' | 'TRON';
export type ReferenceKind = 'tx' | 'address';

export interface OnchainRecord {
  seq: number;
  line: number;
  chain: Chain;
  kind: ReferenceKind;
  /** As written (trimmed, without a `chain:` prefix). */
  value: string;
  note?: string;
}

export type ReferenceCheck =
  | { ok: true; chain: Chain; kind: ReferenceKind }
  /** `index`: the offending character's position in the value, when one character is to blame. */
  | { ok: false; messageKey: string; index?: number; params: Record<string, string | number> };

// ---------------------------------------------------------------------------------------------
// Encodings

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** Base58 to bytes, or the index of the first character outside the alphabet. */
export function base58Decode(text: string): Uint8Array | { badIndex: number } {
  const bytes: number[] = []; // little-endian
  for (let k = 0; k < text.length; k++) {
    let carry = BASE58.indexOf(text[k]!);
    if (carry < 0) return { badIndex: k };
    for (let j = 0; j < bytes.length; j++) {
      carry += bytes[j]! * 58;
      bytes[j] = carry & 0xff;
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push(carry & 0xff);
      carry >>= 8;
    }
  }
  for (let k = 0; k < text.length && text[k] === '1'; k++) bytes.push(0);
  return Uint8Array.from(bytes.reverse());
}

type Base58Check = { ok: true; version: number } | { ok: false; messageKey: string; index?: number; params: Record<string, string> };

/** A 25-byte Base58Check address: version byte, 20-byte hash, 4-byte checksum. */
function base58Check(text: string, versions: readonly number[]): Base58Check {
  const decoded = base58Decode(text);
  if (!(decoded instanceof Uint8Array)) {
    return { ok: false, messageKey: 'evidence.onchain.bad_character', index: decoded.badIndex, params: { char: text[decoded.badIndex]! } };
  }
  if (decoded.length !== 25) return { ok: false, messageKey: 'evidence.onchain.bad_length', params: {} };
  const payload = decoded.subarray(0, 21);
  const check = sha256(sha256(payload));
  for (let k = 0; k < 4; k++) if (check[k] !== decoded[21 + k]) return { ok: false, messageKey: 'evidence.onchain.bad_checksum', params: {} };
  if (!versions.includes(decoded[0]!)) return { ok: false, messageKey: 'evidence.onchain.bad_version', params: {} };
  return { ok: true, version: decoded[0]! };
}

const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const BECH32_CONST = 1;
const BECH32M_CONST = 0x2bc830a3;

function polymod(values: readonly number[]): number {
  const GEN = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = (((chk & 0x1ffffff) << 5) ^ v) >>> 0;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk = (chk ^ GEN[i]!) >>> 0;
  }
  return chk;
}

function hrpExpand(hrp: string): number[] {
  const out: number[] = [];
  for (const c of hrp) out.push(c.charCodeAt(0) >> 5);
  out.push(0);
  for (const c of hrp) out.push(c.charCodeAt(0) & 31);
  return out;
}

/** Regroups bits (5 → 8 for a witness program) without padding; null when the padding is wrong. */
function convertBits(data: readonly number[], from: number, to: number): number[] | null {
  let acc = 0;
  let bits = 0;
  const out: number[] = [];
  const maxv = (1 << to) - 1;
  for (const value of data) {
    acc = (acc << from) | value;
    bits += from;
    while (bits >= to) {
      bits -= to;
      out.push((acc >> bits) & maxv);
    }
    acc &= (1 << bits) - 1;
  }
  if (bits >= from || ((acc << (to - bits)) & maxv) !== 0) return null;
  return out;
}

/** A mainnet SegWit address (`bc1…`), BIP-173 and BIP-350. */
function segwitCheck(text: string): ReferenceCheck {
  if (text !== text.toLowerCase() && text !== text.toUpperCase()) return { ok: false, messageKey: 'evidence.onchain.mixed_case', params: {} };
  const lower = text.toLowerCase();
  if (lower.length > 90) return { ok: false, messageKey: 'evidence.onchain.bad_length', params: {} };
  const sep = lower.lastIndexOf('1');
  const hrp = lower.slice(0, sep);
  if (hrp !== 'bc') return { ok: false, messageKey: 'evidence.onchain.unknown_format', params: {} };
  const data: number[] = [];
  for (let k = sep + 1; k < lower.length; k++) {
    const v = BECH32.indexOf(lower[k]!);
    if (v < 0) return { ok: false, messageKey: 'evidence.onchain.bad_character', index: k, params: { char: text[k]! } };
    data.push(v);
  }
  if (data.length < 7) return { ok: false, messageKey: 'evidence.onchain.bad_length', params: {} };
  const check = polymod([...hrpExpand(hrp), ...data]);
  const version = data[0]!;
  const expected = version === 0 ? BECH32_CONST : BECH32M_CONST;
  if (check !== expected) return { ok: false, messageKey: 'evidence.onchain.bad_checksum', params: {} };
  if (version > 16) return { ok: false, messageKey: 'evidence.onchain.bad_witness', params: {} };
  const program = convertBits(data.slice(1, -6), 5, 8);
  if (!program || program.length < 2 || program.length > 40 || (version === 0 && program.length !== 20 && program.length !== 32))
    return { ok: false, messageKey: 'evidence.onchain.bad_witness', params: {} };
  return { ok: true, chain: 'BTC', kind: 'address' };
}

/** EIP-55: the letters of a mixed-case address are upper case where Keccak-256 of the lower-case
 *  hex has a nibble of 8 or more. */
export function eip55Checksum(address: string): string {
  const hex = address.slice(2).toLowerCase();
  const hash = keccak_256(new TextEncoder().encode(hex));
  let out = '0x';
  for (let k = 0; k < hex.length; k++) {
    const nibble = (hash[k >> 1]! >> (k % 2 === 0 ? 4 : 0)) & 0x0f;
    out += nibble >= 8 ? hex[k]!.toUpperCase() : hex[k]!;
  }
  return out;
}

function ethCheck(text: string): ReferenceCheck {
  const bad = /[^0-9a-fA-F]/.exec(text.slice(2));
  if (bad) return { ok: false, messageKey: 'evidence.onchain.bad_character', index: bad.index + 2, params: { char: bad[0] } };
  const digits = text.length - 2;
  if (digits === 64) return { ok: true, chain: 'ETH', kind: 'tx' };
  if (digits !== 40) return { ok: false, messageKey: 'evidence.onchain.bad_length', params: {} };
  const body = text.slice(2);
  if ((body === body.toLowerCase() || body === body.toUpperCase()) && text.startsWith('0x')) return { ok: true, chain: 'ETH', kind: 'address' };
  if (eip55Checksum(text) !== `0x${body}` || !text.startsWith('0x')) return { ok: false, messageKey: 'evidence.onchain.bad_checksum', params: {} };
  return { ok: true, chain: 'ETH', kind: 'address' };
}

const HEX64 = /^[0-9a-fA-F]{64}$/;

/**
 * Checks one reference. Without `chain`, the chain is told from the form (`0x` → ETH, `bc1`/`1`/`3`
 * → BTC, `T` → TRON); a bare 64-hex hash then needs the chain. With `chain`, the value must be of
 * that chain.
 */
export function checkReference(value: string, chain?: Chain): ReferenceCheck {
  const text = value.trim();
  const notFor = (c: Chain): ReferenceCheck => ({ ok: false, messageKey: 'evidence.onchain.not_for_chain', params: { chain: c } });
  if (HEX64.test(text)) {
    if (chain === 'BTC' || chain === 'TRON') return { ok: true, chain, kind: 'tx' };
    if (chain === 'ETH') return notFor('ETH');
    return { ok: false, messageKey: 'evidence.onchain.chain_required', params: {} };
  }
  if ((chain === 'BTC' || chain === 'TRON') && /^[0-9a-fA-F]{40,}$/.test(text)) {
    // Hex, but not 64 digits: a hash cut short or run on.
    return { ok: false, messageKey: 'evidence.onchain.bad_length', params: {} };
  }
  if (/^0x/.test(text)) {
    if (chain && chain !== 'ETH') return notFor(chain);
    return ethCheck(text);
  }
  if (/^bc1/i.test(text)) {
    if (chain && chain !== 'BTC') return notFor(chain);
    return segwitCheck(text);
  }
  if (/^[13]/.test(text)) {
    if (chain && chain !== 'BTC') return notFor(chain);
    if (text.length < 26 || text.length > 35) return lengthOrCharacter(text);
    const r = base58Check(text, [text[0] === '1' ? 0x00 : 0x05]);
    return r.ok ? { ok: true, chain: 'BTC', kind: 'address' } : r;
  }
  if (/^T/.test(text)) {
    if (chain && chain !== 'TRON') return notFor(chain);
    if (text.length !== 34) return lengthOrCharacter(text);
    const r = base58Check(text, [0x41]);
    return r.ok ? { ok: true, chain: 'TRON', kind: 'address' } : r;
  }
  if (chain) return notFor(chain);
  return { ok: false, messageKey: 'evidence.onchain.unknown_format', params: {} };
}

/** For a Base58 value of the wrong length: a bad character is the likelier explanation when there is one. */
function lengthOrCharacter(text: string): ReferenceCheck {
  const decoded = base58Decode(text);
  if (!(decoded instanceof Uint8Array)) return { ok: false, messageKey: 'evidence.onchain.bad_character', index: decoded.badIndex, params: { char: text[decoded.badIndex]! } };
  return { ok: false, messageKey: 'evidence.onchain.bad_length', params: {} };
}

// ---------------------------------------------------------------------------------------------
// Reference files

const CHAINS: Record<string, Chain> = {
  btc: 'BTC',
  bitcoin: 'BTC',
  xbt: 'BTC',
  比特币: 'BTC',
  eth: 'ETH',
  ethereum: 'ETH',
  erc20: 'ETH',
  'erc 20': 'ETH',
  以太坊: 'ETH',
  tron: 'TRON',
  trx: 'TRON',
  trc20: 'TRON',
  'trc 20': 'TRON',
  波场: 'TRON',
};

const KINDS: Record<string, ReferenceKind> = {
  tx: 'tx',
  txid: 'tx',
  'tx id': 'tx',
  'tx hash': 'tx',
  txhash: 'tx',
  transaction: 'tx',
  'transaction hash': 'tx',
  hash: 'tx',
  交易: 'tx',
  交易哈希: 'tx',
  哈希: 'tx',
  address: 'address',
  addr: 'address',
  wallet: 'address',
  地址: 'address',
};

export function parseChain(text: string): Chain | null {
  return CHAINS[text.normalize('NFKC').trim().toLowerCase().replace(/[\s_-]+/g, ' ')] ?? null;
}

function parseKind(text: string): ReferenceKind | null {
  return KINDS[text.normalize('NFKC').trim().toLowerCase().replace(/[\s_-]+/g, ' ')] ?? null;
}

export type OnchainField = 'chain' | 'kind' | 'value' | 'note';

export const ONCHAIN_SPEC: TableSpec<OnchainField> = {
  aliases: {
    chain: ['chain', 'network', 'blockchain', 'coin', '链', '网络', '公链'],
    kind: ['type', 'kind', 'reference type', '类型'],
    value: ['value', 'reference', 'hash', 'txid', 'tx hash', 'tx', 'address', 'transaction', '值', '哈希', '交易哈希', '地址'],
    note: ['note', 'notes', 'memo', 'comment', 'description', '备注', '说明'],
  },
  required: ['value'],
  names: { chain: 'chain', kind: 'type', value: 'value', note: 'note' },
};

export type ParseOnchainResult = { ok: true; records: OnchainRecord[]; source: 'json' | 'csv' | 'text' } | Failure;

interface Reference {
  line: number;
  /** The value's cell: errors point where it starts. */
  value: Cell;
  /** Column of the value text's first character (after a quote or a `chain:` prefix). */
  inner: number;
  chain?: Cell;
  kind?: Cell;
  note?: string;
  /** A chain given as a `TRON:` prefix. */
  prefixChain?: Chain;
}

function recordFrom(ref: Reference, seq: number): { ok: true; record: OnchainRecord } | Failure {
  let chain: Chain | undefined = ref.prefixChain;
  if (ref.chain && ref.chain.value.trim() !== '') {
    const parsed = parseChain(ref.chain.value);
    if (!parsed) return fail(errorAt('evidence.onchain.unknown_chain', ref.chain.line, ref.chain.column, { value: shown(ref.chain.value) }));
    chain = parsed;
  }
  let kind: ReferenceKind | undefined;
  if (ref.kind && ref.kind.value.trim() !== '') {
    const parsed = parseKind(ref.kind.value);
    if (!parsed) return fail(errorAt('evidence.onchain.unknown_kind', ref.kind.line, ref.kind.column, { value: shown(ref.kind.value) }));
    kind = parsed;
  }
  const raw = ref.value.value;
  const value = raw.trim();
  const lead = raw.length - raw.trimStart().length;
  if (value === '') return fail(errorAt('evidence.parse.missing_value', ref.value.line, ref.value.column, { name: 'value' }));
  const check = checkReference(value, chain);
  if (!check.ok) {
    // A bad character is pointed at; other problems at the cell.
    const column = check.index === undefined ? ref.value.column : ref.inner + lead + Array.from(value.slice(0, check.index)).length;
    return fail(errorAt(check.messageKey, ref.value.line, column, { ...check.params, value: shown(value) }));
  }
  if (kind && kind !== check.kind) {
    return fail(errorAt('evidence.onchain.kind_mismatch', ref.value.line, ref.value.column, { value: shown(value), stated: kind, found: check.kind }));
  }
  const record: OnchainRecord = { seq, line: ref.line, chain: check.chain, kind: check.kind, value };
  if (ref.note && ref.note.trim() !== '') record.note = ref.note.trim();
  return { ok: true, record };
}

/** Reads a file of references: JSON (array of strings or objects), CSV (chain,type,value,note) or text lines. */
export function parseOnchainReferences(text: string): ParseOnchainResult {
  const positions = new TextPositions(text);
  let refs: Reference[];
  let source: 'json' | 'csv' | 'text';
  let late: Failure | null = null;
  if (looksLikeJson(text)) {
    const r = jsonReferences(text, positions);
    if (!r.ok) return r;
    refs = r.refs;
    source = 'json';
  } else if (isReferenceCsv(text)) {
    const read = readCsvTable(text, positions, ONCHAIN_SPEC);
    refs = read.table.rows.map((row) => {
      const value = row.cells.value!;
      return { line: row.line, value, inner: value.column + (value.quoted ? 1 : 0), chain: row.cells.chain, kind: row.cells.kind, note: row.cells.note?.value };
    });
    if (read.error) late = fail(read.error);
    source = 'csv';
  } else {
    refs = textReferences(text, positions);
    source = 'text';
  }
  const records: OnchainRecord[] = [];
  for (const ref of refs) {
    const r = recordFrom(ref, records.length + 1);
    if (!r.ok) return r;
    records.push(r.record);
  }
  if (late) return late;
  if (records.length === 0) return fail({ messageKey: 'evidence.parse.empty', params: {} });
  return { ok: true, records, source };
}

function isReferenceCsv(text: string): boolean {
  const firstLine = /^\uFEFF?([^\r\n]*)/.exec(text)![1]!;
  if (!firstLine.includes(',')) return false;
  const header = parseCsv(firstLine).records[0];
  if (!header) return false;
  const { columns } = matchColumns(
    header.fields.map((h) => headerName(h).key),
    ONCHAIN_SPEC.aliases,
  );
  return columns.value !== undefined;
}

const PREFIX = /^\s*([A-Za-z0-9\u4e00-\u9fff]+)\s*[:：]\s*/;

function textReferences(text: string, positions: TextPositions): Reference[] {
  const refs: Reference[] = [];
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (start < text.length) {
    let end = start;
    while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
    const line = text.slice(start, end);
    const lineStart = start;
    start = end + (text[end] === '\r' && text[end + 1] === '\n' ? 2 : 1);
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    let k = line.length - line.trimStart().length;
    let prefixChain: Chain | undefined;
    let chainCell: Cell | undefined;
    const m = PREFIX.exec(line);
    if (m) {
      const chain = parseChain(m[1]!);
      const at = positions.at(lineStart + line.indexOf(m[1]!));
      if (chain) prefixChain = chain;
      else chainCell = { value: m[1]!, ...at }; // reported as an unknown chain
      k = m[0].length;
    }
    const token = /^\S+/.exec(line.slice(k))?.[0] ?? '';
    const at = positions.at(lineStart + k);
    const note = line.slice(k + token.length).trim();
    refs.push({ line: at.line, value: { value: token, ...at }, inner: at.column, chain: chainCell, prefixChain, note: note || undefined });
  }
  return refs;
}

function jsonReferences(text: string, positions: TextPositions): { ok: true; refs: Reference[] } | Failure {
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const parsed = parseJson(text, start);
  if (!parsed.ok) return fail(jsonError(parsed, positions));
  let items: JsonNode[];
  const root = parsed.node;
  if (root.type === 'array') items = root.items;
  else if (root.type === 'object') {
    const wrapped = root.entries.find((e) => e.value.type === 'array');
    items = wrapped && wrapped.value.type === 'array' ? wrapped.value.items : [root];
  } else {
    const at = positions.at(root.offset);
    return fail(errorAt('evidence.json.not_array', at.line, at.column));
  }
  const refs: Reference[] = [];
  for (const item of items) {
    const at = positions.at(item.offset);
    if (item.type === 'string') {
      const m = PREFIX.exec(item.value);
      const chain = m ? parseChain(m[1]!) : null;
      // The value text starts one column after the opening quote, and after any prefix.
      const valueText = chain ? item.value.slice(m![0].length) : item.value;
      const shift = chain ? Array.from(m![0]).length : 0;
      refs.push({ line: at.line, value: { value: valueText, ...at, quoted: true }, inner: at.column + 1 + shift, prefixChain: chain ?? undefined });
      continue;
    }
    if (item.type !== 'object') return fail(errorAt('evidence.json.not_object', at.line, at.column));
    const { columns } = matchColumns(
      item.entries.map((e) => headerName(e.key).key),
      ONCHAIN_SPEC.aliases,
    );
    const cell = (field: OnchainField): Cell | undefined => {
      const k = columns[field];
      if (k === undefined) return undefined;
      const node = item.entries[k]!.value;
      const value = jsonScalar(node);
      if (value === undefined) return undefined;
      return { value, ...positions.at(node.offset), quoted: node.type === 'string' };
    };
    const value = cell('value');
    if (!value) return fail(errorAt('evidence.parse.missing_field', at.line, at.column, { name: 'value' }));
    refs.push({ line: at.line, value, inner: value.column + (value.quoted ? 1 : 0), chain: cell('chain'), kind: cell('kind'), note: cell('note')?.value });
  }
  return { ok: true, refs };
}
