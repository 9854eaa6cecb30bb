// What a Postgres error means, read from its SQLSTATE code in one place
// (https://www.postgresql.org/docs/current/errcodes-appendix.html).

const UNIQUE_VIOLATION = '23505';
const NUMERIC_VALUE_OUT_OF_RANGE = '22003';

function sqlState(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
}

/** A row that a unique index already holds (a name taken, a client-chosen id used twice). */
export function isUniqueViolation(error: unknown): boolean {
  return sqlState(error) === UNIQUE_VIOLATION;
}

/** A number out of its column's range (numeric(48,18) holds 30 integer digits). */
export function isNumericOverflow(error: unknown): boolean {
  return sqlState(error) === NUMERIC_VALUE_OUT_OF_RANGE;
}

/** The constraint a Postgres error names, if it names one. */
export function violatedConstraint(error: unknown): string | null {
  const constraint = typeof error === 'object' && error !== null ? (error as { constraint?: unknown }).constraint : undefined;
  return typeof constraint === 'string' ? constraint : null;
}
