import { describe, expect, it } from 'vitest';
import { AMOUNT_BANDS, amountBand, complainantPseudonym, seatRespondBy, SEAT_RESPONSE_DAYS } from '../../shared/seat-summary';
import { messages } from '../../shared/i18n';

describe('amount band', () => {
  it.each([
    ['0', 'under_1k'],
    ['999.99', 'under_1k'],
    ['1000', '1k_10k'],
    ['9999.999999', '1k_10k'],
    ['10000', '10k_100k'],
    ['99999', '10k_100k'],
    ['100000', '100k_1m'],
    ['1000000', '1m_plus'],
    ['123456789012345678901234567890.5', '1m_plus'],
  ])('%s USD is %s', (usd, band) => {
    expect(amountBand(usd)).toBe(band);
  });

  it.each([null, undefined, '', '-1', '1e6', 'abc', '1,000'])('has no band for %s', (usd) => {
    expect(amountBand(usd)).toBeNull();
  });
});

describe('complainant pseudonym', () => {
  const caseA = '00000000-0000-4000-8000-00000000000a';
  const caseB = '00000000-0000-4000-8000-00000000000b';
  const person = '00000000-0000-4000-8000-0000000000c1';

  it('is the same for every seat of one case, and differs across cases', () => {
    expect(complainantPseudonym(caseA, person)).toBe(complainantPseudonym(caseA, person));
    expect(complainantPseudonym(caseA, person)).not.toBe(complainantPseudonym(caseB, person));
    expect(complainantPseudonym(caseA, person)).toMatch(/^C-[0-9A-F]{4}$/);
  });

  it('holds nothing of the ids it comes from', () => {
    const p = complainantPseudonym(caseA, person);
    expect(person.toUpperCase()).not.toContain(p.slice(2));
  });
});

it(`gives a seat ${SEAT_RESPONSE_DAYS} days to answer`, () => {
  expect(seatRespondBy(new Date('2026-12-01T08:00:00Z')).toISOString()).toBe('2026-12-06T08:00:00.000Z');
});

it('names every band in both languages (the portal shows the band, never the amount)', () => {
  for (const { band } of AMOUNT_BANDS) {
    for (const language of ['en', 'zh-CN'] as const) expect(messages[language][`portal.amount_band.${band}`], `${language} ${band}`).toBeTruthy();
  }
});
