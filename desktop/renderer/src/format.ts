// Dates, relative times, durations, numbers and decimal amounts, per language. Amounts are decimal
// strings and stay strings: grouping and rounding are done on the digits (decimal.js through
// shared/money where rounding is needed), never through a JavaScript float.
import { Money } from '../../../shared/money';
import { translate } from '../../../shared/i18n';
import type { Language } from '../../../shared/domain';

const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat>();
function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat>(key: string, make: () => T): T {
  let f = cache.get(key) as T | undefined;
  if (!f) {
    f = make();
    cache.set(key, f);
  }
  return f;
}

function toDate(value: string | number | Date | null | undefined): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const d = value instanceof Date ? value : new Date(value);
  return Number.isFinite(d.getTime()) ? d : null;
}

const sameYear = (d: Date, now: number) => d.getFullYear() === new Date(now).getFullYear();

/**
 * Date and time to the minute, the one format of the workstation (queue, workspace, drawer, status):
 * this year's dates without the year ("Dec 6, 12:00" / "12月6日 12:00"), others with it
 * ("Dec 6, 2025, 12:00" / "2025年12月6日 12:00"), as Intl writes them in each language.
 */
export function formatDateTime(value: string | number | Date | null | undefined, language: Language, now: number = Date.now()): string {
  const d = toDate(value);
  if (!d) return '';
  const withYear = !sameYear(d, now);
  return cached(`dt:${language}:${withYear}`, () =>
    new Intl.DateTimeFormat(language, { year: withYear ? 'numeric' : undefined, month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
  ).format(d);
}

/** The same as formatDateTime (kept for the queue's cells, which read it under this name). */
export function formatDateTimeShort(value: string | number | Date | null | undefined, language: Language, now: number = Date.now()): string {
  return formatDateTime(value, language, now);
}

/** Date and time with the year and seconds, for tooltips and details ("Dec 6, 2026, 12:00:05" / "2026年12月6日 12:00:05"). */
export function formatDateTimeLong(value: string | number | Date | null | undefined, language: Language): string {
  const d = toDate(value);
  if (!d) return '';
  return cached(`dtl:${language}`, () =>
    new Intl.DateTimeFormat(language, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }),
  ).format(d);
}

/** A date without a time, by the same rule: "Dec 6" / "12月6日" this year, "Dec 6, 2025" / "2025年12月6日" otherwise. */
export function formatDate(value: string | number | Date | null | undefined, language: Language, now: number = Date.now()): string {
  const d = toDate(value);
  if (!d) return '';
  const withYear = !sameYear(d, now);
  return cached(`d:${language}:${withYear}`, () => new Intl.DateTimeFormat(language, { year: withYear ? 'numeric' : undefined, month: 'short', day: 'numeric' })).format(d);
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
];

/** "3 minutes ago" / "3分钟前", "in 2 hours" / "2小时后"; under 10 s it is "now" / "现在". */
export function formatRelative(value: string | number | Date | null | undefined, now: number, language: Language): string {
  const d = toDate(value);
  if (!d) return '';
  const diff = d.getTime() - now;
  const rtf = cached(`rel:${language}`, () => new Intl.RelativeTimeFormat(language, { numeric: 'auto' }));
  if (Math.abs(diff) < 10_000) return rtf.format(0, 'second');
  for (const [unit, size] of UNITS) {
    if (Math.abs(diff) >= size || unit === 'second') return rtf.format(Math.trunc(diff / size), unit);
  }
  return rtf.format(0, 'second');
}

/**
 * A span of time, compact and to the unit that matters: "2d 4h", "3h 05m", "12m 30s", "45s"
 * (zh-CN "2天4小时", "3小时05分", "12分30秒", "45秒"). Negative spans are shown by their size.
 */
export function formatDuration(ms: number, language: Language): string {
  const total = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(total / 86_400);
  const h = Math.floor((total % 86_400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (d > 0) return translate(language, 'ui.duration.days_hours', { d, h });
  if (h > 0) return translate(language, 'ui.duration.hours_minutes', { h, m: pad(m) });
  if (m > 0) return translate(language, 'ui.duration.minutes_seconds', { m, s: pad(s) });
  return translate(language, 'ui.duration.seconds', { s });
}

export function formatNumber(value: number | bigint | null | undefined, language: Language): string {
  if (value === null || value === undefined) return '';
  return cached(`n:${language}`, () => new Intl.NumberFormat(language)).format(value);
}

const DECIMAL = /^(-)?([0-9]+)(?:\.([0-9]+))?$/;

/**
 * A decimal string grouped per language, its digits kept exactly: "1234567.000120" → "1,234,567.00012".
 * `fractionDigits` rounds (half-even, decimal arithmetic) and pads to that many places.
 */
export function formatDecimal(value: string | null | undefined, language: Language, options: { fractionDigits?: number; trimZeros?: boolean } = {}): string {
  if (value === null || value === undefined || value === '') return '';
  let text = value.trim();
  if (options.fractionDigits !== undefined) {
    try {
      text = new Money(text).toFixed(options.fractionDigits, Money.ROUND_HALF_EVEN);
    } catch {
      return value;
    }
  }
  const m = DECIMAL.exec(text);
  if (!m) return value;
  const [, sign, int, frac] = m;
  const grouped = cached(`n:${language}`, () => new Intl.NumberFormat(language)).format(BigInt(int!));
  const decimalPoint =
    cached(`n:${language}`, () => new Intl.NumberFormat(language))
      .formatToParts(1.5)
      .find((p) => p.type === 'decimal')?.value ?? '.';
  let fraction = frac ?? '';
  if (options.trimZeros !== false && options.fractionDigits === undefined) fraction = fraction.replace(/0+$/, '');
  const negative = sign && (/[1-9]/.test(int!) || /[1-9]/.test(fraction)) ? '-' : '';
  return `${negative}${grouped}${fraction ? decimalPoint + fraction : ''}`;
}

/** An amount with its asset: "1,250.5 USDT" (the asset code is the same word in both languages). */
export function formatAmount(amount: string | null | undefined, asset: string | null | undefined, language: Language): string {
  if (amount === null || amount === undefined || amount === '') return '';
  const digits = formatDecimal(amount, language);
  return asset ? `${digits} ${asset}` : digits;
}

/** A USD equivalent, to the cent: "$12,400.00" / "US$12,400.00" style kept simple as "12,400.00 USD". */
export function formatUsd(amount: string | null | undefined, language: Language): string {
  if (amount === null || amount === undefined || amount === '') return '';
  return translate(language, 'ui.amount.usd', { amount: formatDecimal(amount, language, { fractionDigits: 2 }) });
}
