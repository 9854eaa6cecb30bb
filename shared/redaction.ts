// Redaction for external recipients: what leaves the company must not carry the complainant's PII.
// One implementation for the external case view and the external dossier.

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

/**
 * Every occurrence of the complainant's known PII values, wherever it appears in free text, and of
 * the forms a Chinese name takes when someone is addressed by surname. Longest first, so a value
 * containing another is cut whole. Two characters are enough to identify someone (most Chinese
 * names are two or three); a single character is not cut.
 */
export function scrubValues(text: string, values: readonly string[]): string {
  let out = text;
  const all = [...values, ...values.flatMap(chineseNameForms)];
  for (const v of all.filter((x) => [...x].length >= 2).sort((a, b) => [...b].length - [...a].length)) out = out.split(v).join(REDACTED.repeat([...v].length));
  return out;
}

/** Every string in a JSON value passed through `scrub`. */
export function scrubDeep(value: unknown, scrub: (t: string) => string): unknown {
  if (typeof value === 'string') return scrub(value);
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, scrub));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubDeep(v, scrub)]));
  return value;
}
