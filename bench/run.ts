// `npm run bench`: runs every bench/*.bench.ts in turn, each in a child process of its own
// (`npx tsx bench/<name>.ts`), shows its output as it goes, ends with a summary and writes the
// report to bench/results/latest.json and bench/results/latest.md (every figure beside its target
// and baseline, the machine and its load, each bench's verdict).
//   npm run bench                      every bench
//   npm run bench -- evidence-intake   only the benches whose name contains one of the arguments
// A bench prints its report on stdout (progress on stderr), ends its stdout with a `BENCH_RESULT
// {json}` line (bench/lib/result.ts) and exits 0 when it met its targets, 1 when it missed one (or a
// check failed), anything else on error. A bench counts as PASS only when its exit code is 0 AND its
// BENCH_RESULT says pass AND that result is consistent (every targeted figure re-checked here);
// everything else is a FAIL, with the reason. BENCH_TIMEOUT_MIN (default 60) bounds each bench; one
// that overruns is stopped (SIGTERM, then SIGKILL) and counted as failed. The process exits 1 when
// any bench failed, and, on a full run (no filter), when a benchmark the issue asks for has no bench
// yet (NOT_MEASURED below): a missing figure is not a met target.
import fs from 'node:fs';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { contradictions, fmtTarget, fmtValue, parseResult, type BenchResult } from './lib/result';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(benchDir);
const timeoutMs = Number(process.env.BENCH_TIMEOUT_MIN ?? 60) * 60_000;
const filters = process.argv.slice(2);

const benches = fs
  .readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

interface Outcome {
  name: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  ms: number;
  timedOut: boolean;
  report: string;
}

/** Benchmarks of issue 12 that no bench measures yet: listed in the report, and a full run fails while any remains. */
const NOT_MEASURED: { what: string; why: string }[] = [];

interface Verdict {
  pass: boolean;
  status: string;
  result: BenchResult | null;
  problems: string[];
}

function verdict(o: Outcome): Verdict {
  const { result, error } = parseResult(o.report);
  const problems: string[] = [];
  if (o.timedOut) problems.push(`timed out after ${timeoutMs / 60_000} min`);
  else if (o.signal) problems.push(`killed by ${o.signal}`);
  else if (o.code === 1) problems.push('target missed (exit 1)');
  else if (o.code !== 0) problems.push(`error (exit ${o.code})`);
  if (error) problems.push(error);
  if (result) {
    problems.push(...contradictions(result));
    if (!result.pass && o.code === 0) problems.push('exit 0 although its result says FAIL');
    if (result.pass && o.code === 1) problems.push('exit 1 although its result says PASS');
    for (const f of result.figures) if (f.pass === false) problems.push(`missed: ${f.label} = ${fmtValue(f)} (target ${fmtTarget(f.target)})`);
  }
  const pass = !o.timedOut && !o.signal && o.code === 0 && result !== null && result.pass && problems.length === 0;
  return { pass, status: pass ? 'PASS' : 'FAIL', result, problems };
}

const pipe = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function writeReport(outcomes: Outcome[], verdicts: Verdict[], full: boolean, startedAt: Date) {
  const dir = path.join(benchDir, 'results');
  fs.mkdirSync(dir, { recursive: true });
  const passed = verdicts.filter((v) => v.pass).length;
  const json = {
    startedAt: startedAt.toISOString(),
    endedAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? '?', node: process.version, loadEnd: os.loadavg() },
    filters,
    summary: { benches: outcomes.length, passed, failed: outcomes.length - passed, notMeasured: full ? NOT_MEASURED : [] },
    benches: outcomes.map((o, i) => ({
      name: o.name,
      status: verdicts[i]!.status,
      exitCode: o.code,
      signal: o.signal,
      timedOut: o.timedOut,
      seconds: Math.round(o.ms / 1000),
      problems: verdicts[i]!.problems,
      result: verdicts[i]!.result,
    })),
  };
  fs.writeFileSync(path.join(dir, 'latest.json'), `${JSON.stringify(json, null, 2)}\n`);

  const md: string[] = [
    '# Arbitra benchmarks: latest run',
    '',
    `${startedAt.toISOString()} → ${json.endedAt}; ${json.machine.cpus} CPU (${json.machine.model}), node ${json.machine.node}${filters.length ? `; filter: ${filters.join(', ')}` : ''}`,
    '',
    `**${passed}/${outcomes.length} benches passed**${full && NOT_MEASURED.length ? `; ${NOT_MEASURED.length} benchmark(s) asked for are not measured yet` : ''}`,
    '',
    '| bench | status | exit | time | load at start → end | problems |',
    '|---|---|---|---|---|---|',
    ...outcomes.map((o, i) => {
      const v = verdicts[i]!;
      const m = v.result?.machine;
      const load = m ? `${m.loadStart.map((x) => x.toFixed(1)).join(' ')} → ${m.loadEnd.map((x) => x.toFixed(1)).join(' ')}` : '—';
      return `| ${o.name} | ${v.status} | ${o.timedOut ? 'timeout' : (o.signal ?? String(o.code))} | ${(o.ms / 1000).toFixed(0)} s | ${load} | ${pipe(v.problems.join('; ') || '—')} |`;
    }),
    '',
    '| bench | figure | value | target | baseline | verdict |',
    '|---|---|---|---|---|---|',
  ];
  outcomes.forEach((o, i) => {
    const r = verdicts[i]!.result;
    if (!r) {
      md.push(`| ${o.name} | (no machine-readable result) | — | — | — | FAIL |`);
      return;
    }
    for (const f of r.figures) {
      const baseline = f.baseline ? `${f.baseline.name}: ${fmtValue(f.baseline)}` : '—';
      md.push(`| ${o.name} | ${pipe(f.label)} | ${fmtValue(f)} | ${fmtTarget(f.target)} | ${pipe(baseline)} | ${f.pass === null ? 'info' : f.pass ? 'PASS' : 'FAIL'} |`);
    }
  });
  const notes = verdicts.flatMap((v, i) => (v.result?.notes ?? []).map((n) => `- ${outcomes[i]!.name}: ${n}`));
  if (notes.length) md.push('', '## Notes', '', ...notes);
  if (full && NOT_MEASURED.length) md.push('', '## Not measured', '', ...NOT_MEASURED.map((n) => `- ${n.what}: ${n.why}`));
  fs.writeFileSync(path.join(dir, 'latest.md'), `${md.join('\n')}\n`);
  return dir;
}

let current: ChildProcess | null = null;

/** Signals the bench's whole process group (npx → tsx → node), which only we started. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals) {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    /* already gone */
  }
}

function runBench(file: string): Promise<Outcome> {
  const name = file.replace(/\.ts$/, '');
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn('npx', ['tsx', path.join('bench', file)], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    current = child;
    let report = '';
    child.stdout!.on('data', (d: Buffer) => {
      process.stdout.write(d);
      if (report.length < 1_000_000) report += d.toString('utf8');
    });
    child.stderr!.on('data', (d: Buffer) => process.stderr.write(d));
    let timedOut = false;
    let kill: NodeJS.Timeout | null = null;
    const timer = setTimeout(() => {
      timedOut = true;
      process.stderr.write(`\n[bench] ${name}: over ${timeoutMs / 60_000} min, stopping it\n`);
      signalGroup(child, 'SIGTERM');
      kill = setTimeout(() => signalGroup(child, 'SIGKILL'), 60_000);
    }, timeoutMs);
    const done = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(timer);
      if (kill) clearTimeout(kill);
      current = null;
      resolve({ name, code, signal, ms: performance.now() - t0, timedOut, report });
    };
    child.on('error', (error) => {
      process.stderr.write(`[bench] ${name}: ${error.message}\n`);
      done(null, null);
    });
    child.on('close', done);
  });
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    // The bench cleans up (temp files, Postgres) on SIGTERM; give it a moment before leaving.
    if (current) signalGroup(current, 'SIGTERM');
    setTimeout(() => process.exit(130), 30_000).unref();
    if (!current) process.exit(130);
    current.once('close', () => process.exit(130));
  });
}

async function main() {
  if (benches.length === 0) {
    process.stderr.write(`[bench] no bench/*.bench.ts${filters.length ? ` matching ${filters.join(', ')}` : ''}\n`);
    process.exitCode = 1;
    return;
  }
  const startedAt = new Date();
  const outcomes: Outcome[] = [];
  for (const file of benches) {
    process.stderr.write(`\n[bench] ── ${file} ──\n`);
    outcomes.push(await runBench(file));
  }
  const verdicts = outcomes.map(verdict);
  const full = filters.length === 0;
  const lines = ['', '══ bench reports ══'];
  outcomes.forEach((o, i) => {
    const v = verdicts[i]!;
    lines.push(`── ${o.name}: ${v.status}, ${(o.ms / 1000).toFixed(0)} s${v.problems.length ? ` (${v.problems.join('; ')})` : ''}`);
    const report = o.report
      .split('\n')
      .filter((l) => !l.startsWith('BENCH_RESULT '))
      .join('\n');
    lines.push(report.trim() === '' ? '   (no report)' : report.trimEnd());
  });
  const passed = verdicts.filter((v) => v.pass).length;
  lines.push('', `${passed}/${outcomes.length} benches PASS, ${outcomes.length - passed} FAIL`);
  if (full) for (const n of NOT_MEASURED) lines.push(`NOT MEASURED: ${n.what}: ${n.why}`);
  const dir = writeReport(outcomes, verdicts, full, startedAt);
  lines.push(`report: ${path.relative(root, path.join(dir, 'latest.md'))}, ${path.relative(root, path.join(dir, 'latest.json'))}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  process.exitCode = passed === outcomes.length && !(full && NOT_MEASURED.length) ? 0 : 1;
}

void main();
