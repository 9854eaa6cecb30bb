// What a neutral sees of a case before accepting a seat (issue: "only the case number, category,
// amount band and the parties' pseudonyms"): the amount as a band, never the figure, and the
// complainant as a pseudonym that stays the same within the case and says nothing across cases.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { Money } from './money';

/** Bands of the disputed amount in USD, each from its lower bound (inclusive) to the next. */
export const AMOUNT_BANDS = [
  { band: 'under_1k', from: '0' },
  { band: '1k_10k', from: '1000' },
  { band: '10k_100k', from: '10000' },
  { band: '100k_1m', from: '100000' },
  { band: '1m_plus', from: '1000000' },
] as const;
export type AmountBand = (typeof AMOUNT_BANDS)[number]['band'];

/** The band of a USD amount (a plain non-negative decimal string); an unknown or unreadable amount has none. */
export function amountBand(usdEquivalent: string | null | undefined): AmountBand | null {
  if (usdEquivalent === null || usdEquivalent === undefined || !/^[0-9]+(\.[0-9]+)?$/.test(usdEquivalent)) return null;
  const usd = new Money(usdEquivalent);
  let found: AmountBand = AMOUNT_BANDS[0].band;
  for (const b of AMOUNT_BANDS) if (!usd.lessThan(new Money(b.from))) found = b.band;
  return found;
}

/**
 * The complainant's pseudonym in one case: "C-" and four characters of a hash over the case and the
 * complainant, so two seats on the same case agree and the same complainant in another case reads
 * differently (nothing to link a person across cases by).
 */
export function complainantPseudonym(caseId: string, complainantId: string): string {
  return `C-${bytesToHex(sha256(utf8ToBytes(`arbitra.seat.complainant:${caseId}:${complainantId}`)))
    .slice(0, 4)
    .toUpperCase()}`;
}

/** How long a neutral has to disclose and answer a seat after being appointed. */
export const SEAT_RESPONSE_DAYS = 5;

/** When the answer to a seat appointed at `assignedAt` is due. */
export function seatRespondBy(assignedAt: Date): Date {
  return new Date(assignedAt.getTime() + SEAT_RESPONSE_DAYS * 24 * 60 * 60 * 1000);
}
