// Inputs of the reports.* procedures, validated at the edge.
import { z } from 'zod';
import { LANGUAGES } from '../../../shared/domain';

/** The longest period one report covers. */
export const REPORT_MAX_YEARS = 5;

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const isoDateTime = z.iso.datetime({ offset: true });

/** A day as YYYY-MM-DD (its UTC midnight), or an ISO 8601 date and time with a time zone. */
export function parseReportDate(value: string): Date | null {
  const day = DATE_ONLY.exec(value);
  if (day) {
    const [y, m, d] = [Number(day[1]), Number(day[2]), Number(day[3])];
    const date = new Date(Date.UTC(y, m - 1, d));
    // 2026-02-30 is not a day: Date.UTC would roll it over into March.
    return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d ? date : null;
  }
  if (!isoDateTime.safeParse(value).success) return null;
  const date = new Date(value);
  return Number.isFinite(date.getTime()) ? date : null;
}

const reportDate = z.string().transform((value, ctx) => {
  const date = parseReportDate(value.trim());
  if (date === null) {
    ctx.addIssue({ code: 'custom', message: 'report.date_invalid' });
    return z.NEVER;
  }
  return date;
});

function addYears(d: Date, years: number): Date {
  const out = new Date(d.getTime());
  out.setUTCFullYear(out.getUTCFullYear() + years);
  return out;
}

export const transparencyInput = z
  .strictObject({
    from: reportDate,
    to: reportDate,
    /** The report's language; the requester's own when not given. */
    language: z.enum(LANGUAGES).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.to.getTime() <= v.from.getTime()) ctx.addIssue({ code: 'custom', path: ['to'], message: 'report.period_end_not_after_start' });
    else if (v.to.getTime() > addYears(v.from, REPORT_MAX_YEARS).getTime()) ctx.addIssue({ code: 'custom', path: ['to'], message: 'report.period_too_long' });
  });
export type TransparencyInput = z.infer<typeof transparencyInput>;
