// Money is a decimal string on the wire, `numeric` in Postgres and a Decimal in code; never a float.
import Decimal from 'decimal.js';

/** Enough precision for 30 integer digits and 18 fraction digits with room for products (amount × rate). */
export const Money = Decimal.clone({ precision: 80, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -100, toExpPos: 100 });
export type Money = Decimal;

export const MAX_INTEGER_DIGITS = 30;
export const MAX_FRACTION_DIGITS = 18;
/** USD values stay below 10^30: the `numeric` columns hold 30 integer digits. */
export const USD_VALUE_LIMIT = new Money(10).pow(MAX_INTEGER_DIGITS);

/**
 * A plain decimal: digits, an optional fraction of up to 18 digits, no sign, no exponent, no
 * leading zeros. Rejects `1e5`, `-0`, `NaN`, `Infinity`, `.5`, `5.`, `0x10` and 40-digit numbers.
 */
export const AMOUNT_PATTERN = /^(0|[1-9][0-9]{0,29})(\.[0-9]{1,18})?$/;
export const ASSET_PATTERN = /^[A-Z0-9]{2,12}$/;

export type AmountProblem = 'amount_format' | 'amount_too_many_digits' | 'amount_too_many_fraction_digits' | 'amount_not_positive';

/** Why a string is not an acceptable claimed amount, or null when it is one. */
export function amountProblem(value: string, { allowZero = false } = {}): AmountProblem | null {
  if (typeof value !== 'string') return 'amount_format';
  const m = /^([0-9]+)(?:\.([0-9]+))?$/.exec(value);
  if (!m) return 'amount_format';
  const [, int, frac] = m;
  if (int!.length > 1 && int!.startsWith('0')) return 'amount_format';
  if (int!.length > MAX_INTEGER_DIGITS) return 'amount_too_many_digits';
  if (frac !== undefined && frac.length > MAX_FRACTION_DIGITS) return 'amount_too_many_fraction_digits';
  if (!allowZero && new Money(value).isZero()) return 'amount_not_positive';
  return null;
}

export function money(value: string | number | Decimal): Decimal {
  if (typeof value === 'number') throw new TypeError('money() refuses JavaScript numbers; pass a decimal string');
  return new Money(value);
}

/** Canonical text of a decimal: no exponent, no trailing fraction zeros. `numeric` values from pg come padded. */
export function formatAmount(value: string | Decimal): string {
  const d = typeof value === 'string' ? new Money(value) : value;
  return d.toFixed();
}

/** USD value of an amount at a rate, rounded to 18 fraction digits (the column's scale). */
export function toUsd(amount: string, usdRate: string): string {
  return new Money(amount).times(new Money(usdRate)).toDecimalPlaces(MAX_FRACTION_DIGITS).toFixed();
}

export function sumAmounts(values: readonly string[]): string {
  return values.reduce((acc, v) => acc.plus(new Money(v)), new Money(0)).toFixed();
}

export function compareAmounts(a: string, b: string): -1 | 0 | 1 {
  return new Money(a).comparedTo(new Money(b)) as -1 | 0 | 1;
}
