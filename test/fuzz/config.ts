// Fuzzing settings: one fixed seed (printed with every failure), and how many cases each property
// runs. `npm test` runs the defaults (over 10,000 cases in all, a few minutes on two cores); the bench
// and anyone hunting for more set ARBITRA_FUZZ_RUNS, a multiplier of every default, and may pick a
// seed with ARBITRA_FUZZ_SEED:
//
//   ARBITRA_FUZZ_RUNS=20 ARBITRA_FUZZ_SEED=7 npx vitest run test/fuzz
import fc from 'fast-check';

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got ${JSON.stringify(raw)}`);
  return n;
}

export const FUZZ_SEED = Math.trunc(positive('ARBITRA_FUZZ_SEED', 20_260_412));
export const FUZZ_SCALE = positive('ARBITRA_FUZZ_RUNS', 1);

/** Cases for one property: the default times ARBITRA_FUZZ_RUNS. */
export const runs = (base: number) => Math.max(1, Math.round(base * FUZZ_SCALE));

/** A test timeout that grows with the number of runs. */
export const timeoutFor = (baseMs: number) => Math.round(baseMs * Math.max(1, FUZZ_SCALE)) + 60_000;

/** fast-check parameters of a property: the fixed seed, offset per property so each draws its own values. */
export function fcParams(numRuns: number, salt: string): fc.Parameters<unknown> {
  let h = FUZZ_SEED | 0;
  for (const c of salt) h = (Math.imul(h, 31) + c.charCodeAt(0)) | 0;
  return { seed: h, numRuns, endOnFailure: true, verbose: 1 };
}

/** How to replay one property's run, for failure messages. */
export const replayHint = (salt: string, numRuns: number) =>
  `seed ${fcParams(numRuns, salt).seed} (ARBITRA_FUZZ_SEED=${FUZZ_SEED}, property "${salt}", ${numRuns} runs); replay: ARBITRA_FUZZ_SEED=${FUZZ_SEED} ARBITRA_FUZZ_RUNS=${FUZZ_SCALE} npx vitest run test/fuzz`;

/**
 * Runs a property with the fixed seed, stopping cleanly (no failure) when its time budget is spent,
 * so a slow, loaded machine runs fewer cases instead of a timed-out test whose loop goes on in the
 * background. Returns how many cases ran; a failing property throws fast-check's report (with its seed).
 */
export async function checkProperty(property: fc.IAsyncProperty<unknown[]> | fc.IAsyncPropertyWithHooks<unknown[]>, numRuns: number, salt: string, budgetMs: number): Promise<{ ran: number; interrupted: boolean }> {
  const details = await fc.check(property, { ...fcParams(numRuns, salt), interruptAfterTimeLimit: Math.round(budgetMs * Math.max(1, FUZZ_SCALE)), markInterruptAsFailure: false });
  if (details.failed) throw new Error(fc.defaultReportMessage(details) ?? `property ${salt} failed`);
  if (details.interrupted) console.warn(`[fuzz] ${salt}: time budget spent after ${details.numRuns} of ${numRuns} cases (a loaded machine?)`);
  return { ran: details.numRuns, interrupted: details.interrupted };
}
