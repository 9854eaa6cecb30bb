// How a dossier writes times, amounts and the domain's values, in the recipient's language. Nothing
// here depends on the machine's locale or time zone: the same snapshot prints the same text on the
// server and on a workstation.
import type { Language } from '../domain';
import { hasMessage, translate } from '../i18n';
import { Money } from '../money';

export interface Labels {
  readonly language: Language;
  t(key: string, params?: Record<string, string | number>): string;
  /** The translation of `${prefix}.${value}`, or the value itself when there is none (a value newer than this renderer). */
  label(prefix: string, value: string | null | undefined): string;
  /** `2026-10-01 09:05` (UTC; the dossier says so once). */
  time(iso: string | null | undefined): string;
  /** `2026-10-01 09:05:07`, for records. */
  timeSeconds(iso: string | null | undefined): string;
  date(iso: string | null | undefined): string;
  /** A decimal with thousands separators, as precise as written: `1,520.5`. */
  amount(value: string | null | undefined): string;
  /** A USD value to the cent: `1,520.50`. */
  usd(value: string | null | undefined): string;
  yesNo(value: boolean): string;
  empty: string;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function parts(iso: string) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return null;
  return { y: d.getUTCFullYear(), mo: pad(d.getUTCMonth() + 1), d: pad(d.getUTCDate()), h: pad(d.getUTCHours()), mi: pad(d.getUTCMinutes()), s: pad(d.getUTCSeconds()) };
}

/** Thousands separators in the integer part of a plain decimal; anything else is returned as written. */
export function groupDigits(value: string): string {
  const m = /^(-?)(\d+)(\.\d+)?$/.exec(value);
  if (!m) return value;
  return `${m[1]}${m[2]!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${m[3] ?? ''}`;
}

export function labelsFor(language: Language): Labels {
  const empty = translate(language, 'dossier.empty_value');
  const t = (key: string, params?: Record<string, string | number>) => translate(language, key, params);
  return {
    language,
    empty,
    t,
    label(prefix, value) {
      if (value === null || value === undefined || value === '') return empty;
      const key = `${prefix}.${value}`;
      return hasMessage(key) ? t(key) : value;
    },
    time(iso) {
      const p = iso ? parts(iso) : null;
      return p ? `${p.y}-${p.mo}-${p.d} ${p.h}:${p.mi}` : empty;
    },
    timeSeconds(iso) {
      const p = iso ? parts(iso) : null;
      return p ? `${p.y}-${p.mo}-${p.d} ${p.h}:${p.mi}:${p.s}` : empty;
    },
    date(iso) {
      const p = iso ? parts(iso) : null;
      return p ? `${p.y}-${p.mo}-${p.d}` : empty;
    },
    amount(value) {
      if (value === null || value === undefined || value === '') return empty;
      return groupDigits(value);
    },
    usd(value) {
      if (value === null || value === undefined || value === '') return empty;
      try {
        return groupDigits(new Money(value).toFixed(2));
      } catch {
        return value;
      }
    },
    yesNo(value) {
      return t(value ? 'dossier.yes' : 'dossier.no');
    },
  };
}
