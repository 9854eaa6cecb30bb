// Redaction for external recipients: what leaves the company must not carry the complainant's PII.
// One implementation for the external case view and the external dossier.

export const REDACTED = '█';

/** Replaces the spans [start, end) (in characters, not UTF-16 units) with a mark of the same length. */
export function applySpans(text: string, spans: readonly { start: number; end: number }[]): string {
  const chars = [...text];
  for (const s of spans) for (let i = Math.max(0, s.start); i < Math.min(chars.length, s.end); i++) chars[i] = REDACTED;
  return chars.join('');
}

/**
 * Every occurrence of the complainant's known PII values, wherever it appears in free text. Longest
 * first, so a value containing another is cut whole. Two characters are enough to identify someone
 * (most Chinese names are two or three); a single character is not cut.
 */
export function scrubValues(text: string, values: readonly string[]): string {
  let out = text;
  for (const v of [...values].filter((x) => [...x].length >= 2).sort((a, b) => [...b].length - [...a].length)) out = out.split(v).join(REDACTED.repeat([...v].length));
  return out;
}

/** Every string in a JSON value passed through `scrub`. */
export function scrubDeep(value: unknown, scrub: (t: string) => string): unknown {
  if (typeof value === 'string') return scrub(value);
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, scrub));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubDeep(v, scrub)]));
  return value;
}
