// The evidence parsers (OKX and Binance trade exports, chat, activity, on-chain references, media
// headers, the type sniffer and suggester) fed mutated real files: they parse or refuse (a result
// with a message key, or an AppError), never throw anything else, never take more than their
// budget, never hang. The loop runs in a worker thread (parsers/worker.ts); a watchdog here ends it
// when a case sends no news in time and reports that case as a hang.
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { FUZZ_SEED, runs, timeoutFor } from './config';
import { Findings } from './findings';
import type { WorkerInput, WorkerMessage } from './parsers/worker';

/** Cases per parser target (times ARBITRA_FUZZ_RUNS): about 4,200 cases in all. */
const RUNS_PER_TARGET = runs(400);
/** One case slower than this is a finding (shared, loaded CI cores: generous). */
const SLOW_MS = 2_000;
/** No news from the worker for this long: the case it started is a hang. */
const HANG_MS = 20_000;

const findings = new Findings('parsers');

interface Run {
  cases: number;
  byTarget: Record<string, number>;
  maxMs: Record<string, number>;
  hang: { target: string; description: string } | null;
  seconds: number;
}

function runWorker(): Promise<Run> {
  const started = Date.now();
  const data: WorkerInput = { entry: new URL('./parsers/worker.ts', import.meta.url).href, seed: FUZZ_SEED, runsPerTarget: RUNS_PER_TARGET, slowMs: SLOW_MS };
  const worker = new Worker(new URL('./parsers/worker.boot.mjs', import.meta.url), { workerData: data, resourceLimits: { maxOldGenerationSizeMb: 1024 } });
  return new Promise((resolve, reject) => {
    let current: { target: string; description: string } | null = null;
    let watchdog: NodeJS.Timeout;
    const arm = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        void worker.terminate();
        resolve({ cases: 0, byTarget: {}, maxMs: {}, hang: current ?? { target: '(worker start)', description: 'no case started' }, seconds: (Date.now() - started) / 1000 });
      }, HANG_MS);
    };
    arm();
    worker.on('message', (m: WorkerMessage) => {
      arm();
      if (m.type === 'case') current = { target: m.target, description: m.description };
      else if (m.type === 'finding') findings.add({ kind: m.kind === 'threw' ? 'parser_threw' : 'parser_slow', target: m.target, actor: 'parser', transport: 'in-process', input: m.description, response: m.detail, signature: `${m.kind}|${m.detail.slice(0, 100)}` });
      else {
        clearTimeout(watchdog);
        void worker.terminate();
        resolve({ cases: m.cases, byTarget: m.byTarget, maxMs: m.maxMs, hang: null, seconds: (Date.now() - started) / 1000 });
      }
    });
    worker.on('error', (error) => {
      clearTimeout(watchdog);
      reject(error);
    });
    worker.on('exit', (code) => {
      clearTimeout(watchdog);
      if (code !== 0 && code !== 1) reject(new Error(`parser fuzz worker exited with ${code}`));
    });
  });
}

let summary = '';
afterAll(() => {
  const file = findings.save();
  console.log(`[fuzz:parsers] ${summary}; ${findings.all().length} distinct finding(s) → ${file}`);
});

describe('evidence parsers under mutated real files', () => {
  it(
    'parse or refuse: never another exception, never over budget, never a hang',
    async () => {
      const run = await runWorker();
      summary = `${run.cases} cases in ${run.seconds.toFixed(1)}s (${Object.entries(run.byTarget)
        .map(([t, n]) => `${t} ${n}, max ${run.maxMs[t]} ms`)
        .join('; ')})`;
      if (run.hang) findings.add({ kind: 'parser_hang', target: run.hang.target, actor: 'parser', transport: 'in-process', input: run.hang.description, response: `no answer within ${HANG_MS} ms` });
      const all = findings.all();
      expect(all, Findings.format(all, `seed ${FUZZ_SEED}; replay: ARBITRA_FUZZ_SEED=${FUZZ_SEED} npx vitest run test/fuzz/parsers.fuzz.test.ts`)).toEqual([]);
      expect(run.cases).toBeGreaterThanOrEqual(RUNS_PER_TARGET * 8);
    },
    timeoutFor(240_000),
  );
});
