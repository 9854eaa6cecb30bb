// Dates, durations, numbers and amounts as a person reads them, in each language: amounts keep every
// digit (no float), USD is rounded to the cent with decimal arithmetic.
import { describe, expect, it } from 'vitest';
import { formatAmount, formatDate, formatDateTime, formatDateTimeShort, formatDecimal, formatDuration, formatNumber, formatRelative, formatUsd } from '../../desktop/renderer/src/format';

describe('format', () => {
  it('keeps every digit of a decimal amount and groups it per language', () => {
    expect(formatDecimal('1234567.000120000000000001', 'en')).toBe('1,234,567.000120000000000001');
    expect(formatDecimal('1234567.000120000000000001', 'zh-CN')).toBe('1,234,567.000120000000000001');
    expect(formatDecimal('0.10', 'en')).toBe('0.1');
    expect(formatAmount('1200.123456789012345678', 'USDT', 'en')).toBe('1,200.123456789012345678 USDT');
    expect(formatAmount(null, 'BTC', 'en')).toBe('');
  });

  it('rounds USD to the cent with decimal arithmetic, not floats', () => {
    // 0.1 + 0.2 style traps: 1.005 rounds half-even on the decimal, never as 1.00499999…
    expect(formatDecimal('1.005', 'en', { fractionDigits: 2 })).toBe('1.00');
    expect(formatDecimal('1.015', 'en', { fractionDigits: 2 })).toBe('1.02');
    expect(formatDecimal('99999999999999999999.995', 'en', { fractionDigits: 2 })).toBe('100,000,000,000,000,000,000.00');
    expect(formatUsd('12400', 'en')).toBe('$12,400.00');
    expect(formatUsd('12400', 'zh-CN')).toBe('12,400.00 美元');
  });

  it('formats dates, numbers and relative times per language', () => {
    const at = '2026-12-06T06:05:00Z';
    // One format everywhere: this year's dates without the year, others with it, as Intl writes them.
    const thisYear = Date.parse('2026-06-01T00:00:00Z');
    const nextYear = Date.parse('2027-06-01T00:00:00Z');
    expect(formatDateTime(at, 'en', thisYear)).toMatch(/^Dec [56], \d\d:\d\d$/);
    expect(formatDateTime(at, 'zh-CN', thisYear)).toMatch(/^12月[56]日 \d\d:\d\d$/);
    expect(formatDateTime(at, 'en', nextYear)).toMatch(/^Dec [56], 2026, \d\d:\d\d$/);
    expect(formatDateTime(at, 'zh-CN', nextYear)).toMatch(/^2026年12月[56]日 \d\d:\d\d$/);
    expect(formatDateTimeShort(at, 'zh-CN', thisYear)).toBe(formatDateTime(at, 'zh-CN', thisYear));
    expect(formatDate(at, 'zh-CN', nextYear)).toMatch(/^2026年12月[56]日$/);
    expect(formatDate(at, 'en', thisYear)).toMatch(/^Dec [56]$/);
    expect(formatNumber(100000, 'en')).toBe('100,000');
    const now = Date.parse(at) + 3 * 60_000;
    expect(formatRelative(at, now, 'en')).toBe('3 minutes ago');
    expect(formatRelative(at, now, 'zh-CN')).toBe('3分钟前');
    expect(formatRelative(at, Date.parse(at) + 2000, 'en')).toBe('now');
  });

  it('says a duration to the units that matter, in each language', () => {
    expect(formatDuration((2 * 24 + 4) * 3_600_000 + 59_000, 'en')).toBe('2d 4h');
    expect(formatDuration(3 * 3_600_000 + 5 * 60_000, 'en')).toBe('3h 05m');
    expect(formatDuration(3 * 3_600_000 + 5 * 60_000, 'zh-CN')).toBe('3小时05分');
    expect(formatDuration(12 * 60_000 + 30_000, 'zh-CN')).toBe('12分30秒');
    expect(formatDuration(-45_000, 'en')).toBe('45s');
  });
});
