// Dates as the portal shows them: to the minute, in the reader's language and time zone, with the
// year ("Dec 6, 2026, 12:00" / "2026年12月6日 12:00"). A neutral reads few dates and files them,
// so the year is always written (the workstation drops it for this year's dates).
import type { Language } from '../../shared/domain';

const formats = new Map<Language, Intl.DateTimeFormat>();

export function formatDateTime(value: string | Date | null | undefined, language: Language): string {
  if (value === null || value === undefined || value === '') return '';
  const d = value instanceof Date ? value : new Date(value);
  if (!Number.isFinite(d.getTime())) return '';
  let f = formats.get(language);
  if (!f) {
    f = new Intl.DateTimeFormat(language, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formats.set(language, f);
  }
  return f.format(d);
}
