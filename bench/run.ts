// `npm run bench`: runs every bench/*.bench.ts in turn, each in a child process of its own
// (`npx tsx bench/<name>.ts`), shows its output as it goes and ends with a summary.
//   npm run bench                      every bench
//   npm run bench -- evidence-intake   only the benches whose name contains one of the arguments
// A bench prints its report on stdout (progress on stderr) and exits 0 when it met its target,
// 1 when it missed it (or a check failed), anything else on error. BENCH_TIMEOUT_MIN (default 60)
// bounds each bench; one that overruns is stopped (SIGTERM, then SIGKILL) and counted as failed.
import fs from 'node:fs';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

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
  const outcomes: Outcome[] = [];
  for (const file of benches) {
    process.stderr.write(`\n[bench] ── ${file} ──\n`);
    outcomes.push(await runBench(file));
  }
  const ok = (o: Outcome) => o.code === 0 && !o.timedOut;
  const lines = ['', '══ bench reports ══'];
  for (const o of outcomes) {
    const status = o.timedOut
      ? 'TIMED OUT'
      : o.signal
        ? `killed by ${o.signal}`
        : o.code === 0
          ? 'target met'
          : o.code === 1
            ? 'target missed (exit 1)'
            : `error (exit ${o.code})`;
    lines.push(`── ${o.name}: ${status}, ${(o.ms / 1000).toFixed(0)} s`);
    lines.push(o.report.trim() === '' ? '   (no report)' : o.report.trimEnd());
  }
  lines.push('', `${outcomes.filter(ok).length}/${outcomes.length} benches met their targets`);
  process.stdout.write(`${lines.join('\n')}\n`);
  process.exitCode = outcomes.every(ok) ? 0 : 1;
}

void main();
