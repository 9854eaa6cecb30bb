// The machine-readable result every bench prints, and bench/run.ts reads.
//
// Protocol: as the LAST line of its stdout a bench prints
//   BENCH_RESULT {"v":1,"bench":"…","pass":true|false,"figures":[…],"machine":{…},"notes":[…]}
// (one line of JSON after the prefix) and exits 0 when `pass` is true, 1 when it is false, anything
// else on an error (then it may print no result at all). `pass` is true only when every figure that
// has a target met it (`figure.pass === true`); a figure without a target (pass null) is reported
// for context and decides nothing. bench/run.ts counts a bench as PASS only when its exit code is 0
// AND its last BENCH_RESULT says pass AND every targeted figure in it passes; anything else (exit 1,
// a crash, a missing or contradictory result) is a FAIL, and the report says which.
import os from 'node:os';

export const RESULT_PREFIX = 'BENCH_RESULT ';
export const RESULT_VERSION = 1;
/** The unit of a yes/no check (value 1 yes, 0 no; target == 1). */
export const CHECK_UNIT = 'yes=1';

export type Comparison = '>=' | '<=' | '==';

export interface Target {
  op: Comparison;
  value: number;
  unit: string;
}

export interface Baseline {
  /** What the figure is compared with: "plain Fastify + Kysely", "sha256sum", "Chromium page.pdf()"… */
  name: string;
  value: number | null;
  unit: string;
}

export interface Figure {
  /** Short stable key, e.g. "trpc_p99_ms". */
  key: string;
  /** What it is, for people. */
  label: string;
  value: number | null;
  unit: string;
  target: Target | null;
  baseline: Baseline | null;
  /** null: no target (context only); otherwise whether the target was met. */
  pass: boolean | null;
}

export interface Machine {
  cpus: number;
  model: string;
  node: string;
  /** 1/5/15-minute load averages when the bench started and when it ended. */
  loadStart: number[];
  loadEnd: number[];
}

export interface BenchResult {
  v: typeof RESULT_VERSION;
  bench: string;
  pass: boolean;
  figures: Figure[];
  machine: Machine;
  notes: string[];
}

const LOAD_AT_START = os.loadavg();

export function meets(value: number | null, op: Comparison, target: number): boolean {
  if (value === null || !Number.isFinite(value)) return false;
  return op === '>=' ? value >= target : op === '<=' ? value <= target : value === target;
}

/** A figure with a target: pass is computed here, never by hand. */
export function targeted(key: string, label: string, value: number | null, unit: string, op: Comparison, target: number, baseline: Baseline | null = null): Figure {
  return { key, label, value, unit, target: { op, value: target, unit }, baseline, pass: meets(value, op, target) };
}

/** A figure for context: no target, decides nothing. */
export function info(key: string, label: string, value: number | null, unit: string, baseline: Baseline | null = null): Figure {
  return { key, label, value, unit, target: null, baseline, pass: null };
}

/** A yes/no check the bench must pass (data complete, outputs identical…), as a figure 1/0 with target == 1. */
export function check(key: string, label: string, ok: boolean): Figure {
  return targeted(key, label, ok ? 1 : 0, CHECK_UNIT, '==', 1);
}

export function machine(): Machine {
  return { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? '?', node: process.version, loadStart: LOAD_AT_START.map(round2), loadEnd: os.loadavg().map(round2) };
}

const round2 = (x: number) => Math.round(x * 100) / 100;

export function makeResult(bench: string, figures: Figure[], notes: string[] = []): BenchResult {
  return { v: RESULT_VERSION, bench, pass: figures.length > 0 && figures.every((f) => f.pass !== false), figures, machine: machine(), notes };
}

/** Prints the result line (stdout, flushed) and returns the exit code the bench must end with: 0 pass, 1 miss. */
export async function emitResult(result: BenchResult): Promise<number> {
  const line = `${RESULT_PREFIX}${JSON.stringify(result)}\n`;
  await new Promise<void>((resolve) => process.stdout.write(line, () => resolve()));
  return result.pass ? 0 : 1;
}

/** The last BENCH_RESULT line of a bench's stdout, parsed and checked for shape; null when there is none or it is not valid. */
export function parseResult(stdout: string): { result: BenchResult | null; error: string | null } {
  const lines = stdout.split('\n').filter((l) => l.startsWith(RESULT_PREFIX));
  if (lines.length === 0) return { result: null, error: 'no BENCH_RESULT line' };
  try {
    const r = JSON.parse(lines[lines.length - 1]!.slice(RESULT_PREFIX.length)) as BenchResult;
    if (r.v !== RESULT_VERSION || typeof r.bench !== 'string' || typeof r.pass !== 'boolean' || !Array.isArray(r.figures)) return { result: null, error: 'BENCH_RESULT of an unknown shape' };
    return { result: r, error: null };
  } catch (error) {
    return { result: null, error: `BENCH_RESULT not JSON: ${(error as Error).message}` };
  }
}

/** Why a result that claims to pass does not (a targeted figure missed or was re-judged differently): empty when consistent. */
export function contradictions(r: BenchResult): string[] {
  const out: string[] = [];
  for (const f of r.figures) {
    if (f.target === null) continue;
    const recomputed = meets(f.value, f.target.op, f.target.value);
    if (f.pass !== recomputed) out.push(`${f.key}: says ${String(f.pass)} but ${String(f.value)} ${f.target.op} ${f.target.value} is ${String(recomputed)}`);
  }
  const all = r.figures.length > 0 && r.figures.every((f) => f.pass !== false);
  if (r.pass !== all) out.push(`pass: says ${String(r.pass)} but its figures say ${String(all)}`);
  return out;
}

/** A figure's value with its unit, for reports (a check reads yes/no). */
export function fmtValue(f: Pick<Figure, 'value' | 'unit'>): string {
  if (f.unit === CHECK_UNIT) return f.value === 1 ? 'yes' : 'no';
  return `${fmtNum(f.value)} ${f.unit}`;
}

/** `≥ 60 %`, `≤ 50 ms`… for reports. */
export function fmtTarget(t: Target | null): string {
  if (!t) return '—';
  if (t.unit === CHECK_UNIT) return 'yes';
  return `${t.op === '>=' ? '≥' : t.op === '<=' ? '≤' : '='} ${fmtNum(t.value)} ${t.unit}`.trim();
}

export function fmtNum(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return 'n/a';
  if (Number.isInteger(x)) return x.toLocaleString('en-US');
  const abs = Math.abs(x);
  return abs >= 1000 ? Math.round(x).toLocaleString('en-US') : abs >= 10 ? x.toFixed(1) : x.toFixed(2);
}
