// Redaction for external recipients: what leaves the company must not carry the complainant's PII.
// One implementation for everything a neutral (arbitrator, mediator) receives: the external case
// view, the external dossier and every API response the server sends them.
//
// A PII value is found however it was typed: in any letter case, with any spacing, punctuation or
// formatting between its parts (`ZED  QUIXOTE`, `Quixote, Zed`, `Mr Quixote`), full-width or
// accented forms, e-mails in any case, phones with or without their country code and separators
// (`+6591112222`, `9111 2222`, `+65 9111-2222`), and ID numbers with spaces or dashes.

export const REDACTED = '█';

/** Replaces the spans [start, end) (in characters, not UTF-16 units) with a mark of the same length. */
export function applySpans(text: string, spans: readonly { start: number; end: number }[]): string {
  const chars = [...text];
  for (const s of spans) for (let i = Math.max(0, s.start); i < Math.min(chars.length, s.end); i++) chars[i] = REDACTED;
  return chars.join('');
}

/** How people address someone by surname in Chinese: 邓先生, 李女士, 王总, 陈老师, 小李/老李 … */
const CHINESE_ADDRESS = ['先生', '女士', '小姐', '太太', '总', '经理', '老师', '同学'];
const HAN_NAME = /^\p{Script=Han}{2,4}$/u;

/**
 * The forms a Chinese full name also appears in: the surname with a form of address (邓先生,
 * 小邓, 老邓). A compound surname (欧阳, 司马) is tried as well as the first character for names of
 * three or four characters.
 */
export function chineseNameForms(name: string): string[] {
  if (!HAN_NAME.test(name)) return [];
  const chars = [...name];
  const surnames = chars.length >= 3 ? [chars[0]!, chars[0]! + chars[1]!] : [chars[0]!];
  return surnames.flatMap((s) => [...CHINESE_ADDRESS.map((a) => s + a), `小${s}`, `老${s}`]);
}

/** How people address someone by family name in English: Mr Quixote, Ms. Quixote, Dr Quixote. */
const LATIN_ADDRESS = ['mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'madam', 'sir', 'mister'];

// ---------------------------------------------------------------------------------------------
// Normalisation: text and values are compared after folding case, width and accents, character by
// character, so every match maps back to the characters of the original text.

/** The folded form of one character: NFKD (full-width → ASCII), accents dropped, lower case. */
function fold(ch: string): string {
  return ch.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

interface Folded {
  text: string;
  /** For each UTF-16 unit of `text`, the index (in characters) of the original character it came from. */
  origin: number[];
  length: number;
}

function foldText(text: string): Folded {
  let out = '';
  const origin: number[] = [];
  let i = 0;
  for (const ch of text) {
    const f = fold(ch);
    out += f;
    for (let k = 0; k < f.length; k++) origin.push(i);
    i++;
  }
  return { text: out, origin, length: i };
}

const foldAll = (s: string) => [...s].map(fold).join('');

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What may stand between the parts of a name or an e-mail: spaces, punctuation, symbols, invisible format characters. */
const SEP = '[\\s\\p{P}\\p{S}\\p{Cf}_]';
/** What may stand between the digits of a phone or the characters of an ID number. */
const DIGIT_SEP = '[\\s.\\-\\u2010-\\u2015/()\\p{Cf}]';
const WORD = '[\\p{L}\\p{N}]';
const HAN = /\p{Script=Han}/u;

/** The parts of a value: runs of letters or digits; each Han character is a part of its own. */
function parts(value: string): string[] {
  const runs = foldAll(value).match(/[\p{L}\p{N}]+/gu) ?? [];
  return runs.flatMap((r) => (HAN.test(r) ? (r.match(/\p{Script=Han}|[^\p{Script=Han}]+/gu) ?? []) : [r]));
}

/** A pattern for parts in this order, with up to a few separators (or none) between them, not inside a longer word. */
function partsPattern(ps: readonly string[]): string {
  const body = ps.map(escape).join(`${SEP}{0,5}`);
  const first = ps[0] ?? '';
  const last = ps[ps.length - 1] ?? '';
  // Chinese is written without spaces: a Han part needs no word boundary.
  const before = HAN.test(first) ? '' : `(?<!${WORD})`;
  const after = HAN.test(last) ? '' : `(?!${WORD})`;
  return `${before}${body}${after}`;
}

/** A pattern for characters that may each be separated by formatting (phones, ID numbers). */
function charsPattern(chars: string): string {
  return `(?<!${WORD})${[...chars].map(escape).join(`${DIGIT_SEP}{0,2}`)}(?!${WORD})`;
}

const PHONE = /^[+\d\s().\-\u2010-\u2015/]+$/;

function phonePatterns(value: string): string[] {
  const digits = value.replace(/\D/g, '');
  if (digits.length < 6) return [];
  const variants = new Set([digits]);
  const international = /^\s*(\+|00)/.test(value);
  if (international) {
    variants.add(`00${digits}`);
    const stripped = value.trim().replace(/^(\+|00)\s*/, '');
    // The country code as written (`+65 9111 2222`), else every plausible length (1–3 digits).
    const written = /^\(?(\d{1,3})\)?[\s.\-\u2010-\u2015/]/.exec(stripped);
    const lengths = written ? [written[1]!.length] : [1, 2, 3];
    for (const n of lengths) {
      const national = digits.slice(n);
      if (national.length < 6) continue;
      variants.add(national);
      // The national form with the trunk prefix (+44 20 … is dialled 020 … at home).
      variants.add(`0${national}`);
    }
  }
  return [...variants].map((d) => `(?:(?:\\+|00)${DIGIT_SEP}{0,2})?${charsPattern(d)}`);
}

function namePatterns(value: string): string[] {
  const ps = parts(value);
  if (ps.join('').length < 2) return [];
  const out = [partsPattern(ps)];
  const latin = ps.filter((p) => !HAN.test(p));
  if (latin.length === ps.length && ps.length >= 2) {
    const first = ps[0]!;
    const last = ps[ps.length - 1]!;
    // Family name first ("QUIXOTE Zed", "Quixote, Zed").
    out.push(partsPattern([last, ...ps.slice(0, -1)]));
    // A form of address with the family name ("Mr. Quixote"), and an initial with it ("Z. Quixote").
    if (last.length >= 2) {
      out.push(`(?<!${WORD})(?:${LATIN_ADDRESS.join('|')})${SEP}{0,3}${escape(last)}(?!${WORD})`);
      out.push(`(?<!${WORD})${escape(first[0]!)}${SEP}{1,3}${escape(last)}(?!${WORD})`);
    }
  }
  return out;
}

function emailPatterns(value: string): string[] {
  const [local = '', domain = ''] = value.split('@');
  const out = [partsPattern(parts(`${local} ${domain}`))];
  // The mailbox name alone, when it is distinctive enough to identify its owner.
  const localParts = parts(local);
  if (localParts.join('').length >= 6) out.push(partsPattern(localParts));
  return out;
}

/** The patterns that find one PII value, chosen by its shape. */
export function valuePatterns(value: string): string[] {
  const v = value.trim();
  if ([...v].length < 2) return [];
  if (v.includes('@')) return emailPatterns(v);
  if (PHONE.test(v) && v.replace(/\D/g, '').length >= 6) return phonePatterns(v);
  // An ID number or account id: letters and digits, however they are grouped.
  if (/\d/.test(v) && /^[\p{L}\p{N}\s.\-_/]+$/u.test(v)) {
    const chars = foldAll(v).replace(/[^\p{L}\p{N}]/gu, '');
    return chars.length >= 4 ? [charsPattern(chars)] : [];
  }
  return [...namePatterns(v), ...chineseNameForms(v).map((f) => partsPattern(parts(f)))];
}

// ---------------------------------------------------------------------------------------------

export type Scrubber = (text: string) => string;

const cache = new Map<string, Scrubber>();

/**
 * A function that cuts every occurrence of the complainant's known PII values from free text, in
 * any of the forms above, and of the forms a Chinese name takes when someone is addressed by
 * surname. Each character cut becomes one mark. Two characters are enough to identify someone (most
 * Chinese names are two or three); a single character is not cut.
 */
export function piiScrubber(values: readonly string[]): Scrubber {
  const key = values.join('\u0000');
  const known = cache.get(key);
  if (known) return known;
  // One regex per pattern: an alternation would stop at the first that matches (a name inside an
  // e-mail), not the longest; the spans of all of them are cut together.
  const regexes = [...new Set(values.flatMap(valuePatterns))].map((p) => new RegExp(p, 'gu'));
  const scrub: Scrubber = (text) => {
    if (!regexes.length || !text) return text;
    const folded = foldText(text);
    const spans: { start: number; end: number }[] = [];
    for (const regex of regexes) {
      regex.lastIndex = 0;
      for (let m = regex.exec(folded.text); m; m = regex.exec(folded.text)) {
        if (m[0].length === 0) {
          regex.lastIndex++;
          continue;
        }
        spans.push({ start: folded.origin[m.index]!, end: folded.origin[m.index + m[0].length - 1]! + 1 });
      }
    }
    return spans.length ? applySpans(text, spans) : text;
  };
  if (cache.size > 500) cache.clear();
  cache.set(key, scrub);
  return scrub;
}

/** Every occurrence of the complainant's known PII values cut from `text` (see piiScrubber). */
export function scrubValues(text: string, values: readonly string[]): string {
  return piiScrubber(values)(text);
}

/** Every string in a JSON value passed through `scrub`; Dates and other non-plain objects are kept as they are. */
export function scrubDeep(value: unknown, scrub: (t: string) => string): unknown {
  if (typeof value === 'string') return scrub(value);
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, scrub));
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubDeep(v, scrub)]));
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubDeep(v, scrub)]));
  return value;
}
