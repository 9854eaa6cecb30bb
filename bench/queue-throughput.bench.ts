// Case queue throughput (issue 12, benchmark 1): the case queue over 1,000,000 generated cases,
// served three ways on loopback and loaded with autocannon (50 connections, a bounded duration each):
//   trpc     the real `cases.list` procedure through the real app (buildApp: session lookup by
//            bearer token, policy, zod input, the service's mapping, tRPC's JSON envelope);
//   fastify  the same query (the repository's listCases: the count and the page, Kysely) on a plain
//            Fastify route, visibility computed once, the rows returned as they come;
//   pg       the same two SQL statements (compiled once from Kysely) through a raw `pg` Pool on a
//            plain Fastify route.
// Each server has a pool of 10 connections (createDb's default), as the app. The data: an
// embedded PostgreSQL (migrated as the owner; the servers connect as the restricted service role
// `arbitra_app`, as the real server does), complainants + cases + amounts inserted with
// generate_series through the production triggers (bench/lib/case-data-set.ts), no exhibits, no
// events. The request: a specialist's first queue page (limit 50, offset 0, no filter); every
// case is in the specialist's team, so the count covers all of them.
// autocannon runs in a child process (bench/lib/cannon.ts). Each target gets a warm-up, then the
// targets are measured in interleaved rounds (fastify, trpc, pg; repeated), so all three see the
// machine as loaded; throughput = 2xx answers / seconds over all rounds, p99 = the worst round's.
//
// Targets: tRPC ≥ 60 % of plain Fastify's throughput, tRPC p99 ≤ 50 ms; and no errors, timeouts or
// non-2xx answers. Ends with a BENCH_RESULT line (bench/lib/result.ts); exit 0 when met, 1 when
// missed, 2 on an error.
//
//   npx tsx bench/queue-throughput.bench.ts
//   BENCH_QUEUE_CASES=50000 BENCH_QUEUE_SECONDS=5 npx tsx bench/queue-throughput.bench.ts   (a quick try)
//   BENCH_QUEUE_ROUNDS (default 2), BENCH_QUEUE_CONNECTIONS (default 50)
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import Fastify, { type FastifyInstance } from 'fastify';
import { CompiledQuery, Kysely, PostgresDialect, sql } from 'kysely';
import { buildApp } from '../server/src/http/app';
import { loadConfig } from '../server/src/config';
import type { DB } from '../server/src/db/database';
import type { Database } from '../server/src/db/schema';
import { hashPassword } from '../server/src/auth/password';
import { caseVisibility } from '../server/src/auth/policy';
import { CASE_LIST_COUNT_CAP, listCases } from '../server/src/cases/cases.repository';
import { CSRF_HEADER, CSRF_HEADER_VALUE } from '../server/src/http/csrf';
import { serverClient } from '../desktop/main/http-transport';
import { benchWorkspace } from './lib/workspace';
import { seedCaseDataSet } from './lib/case-data-set';
import { cannon, type CannonRun } from './lib/cannon';
import { check, emitResult, info, makeResult, targeted } from './lib/result';

const CASES = Number(process.env.BENCH_QUEUE_CASES ?? 1_000_000);
if (!Number.isInteger(CASES) || CASES < 1000 || CASES > 5_000_000) throw new Error('BENCH_QUEUE_CASES: an integer between 1,000 and 5,000,000');
const SECONDS = Number(process.env.BENCH_QUEUE_SECONDS ?? 15);
const ROUNDS = Number(process.env.BENCH_QUEUE_ROUNDS ?? 2);
const CONNECTIONS = Number(process.env.BENCH_QUEUE_CONNECTIONS ?? 50);
const WARMUP_SECONDS = 3;
/** Sequential requests per server for the one-at-a-time cost (median). */
const SINGLE_REQUESTS = 5;
const LIMIT = 50;
const PASSWORD = 'bench password, long enough';
const TARGET_RATIO_PCT = 60;
const TARGET_P99_MS = 50;

const log = (m: string) => process.stderr.write(`[queue-throughput] ${m}\n`);
const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

type Kind = 'fastify' | 'trpc' | 'pg';
const KINDS: Kind[] = ['fastify', 'trpc', 'pg'];
const LABEL: Record<Kind, string> = { trpc: 'tRPC cases.list (real app)', fastify: 'plain Fastify + Kysely', pg: 'plain Fastify + raw pg' };

interface Env {
  apps: FastifyInstance[];
  dbs: DB[];
  pools: pg.Pool[];
}

/** A pool of 10 (createDb's size) whose clients, idle or checked out, never crash the bench when Postgres goes away during cleanup. */
function benchPool(connectionString: string): pg.Pool {
  const pool = new pg.Pool({ connectionString, max: 10 });
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

function benchDb(connectionString: string): DB {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: benchPool(connectionString) }) });
}

/**
 * Waits until the service role runs no query: requests of a finished run whose client has gone
 * still run in Postgres, and would load the next run. Returns the time waited (bounded).
 */
async function drain(owner: DB, boundMs = 180_000): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    const r = await sql<{ n: number }>`select count(*)::int n from pg_stat_activity where usename = 'arbitra_app' and state = 'active'`.execute(owner);
    if (r.rows[0]!.n === 0 || performance.now() - t0 > boundMs) return performance.now() - t0;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

async function main(): Promise<number> {
  const env: Env = { apps: [], dbs: [], pools: [] };
  const { workDir, startPostgres, cleanup } = benchWorkspace({
    name: 'queue',
    log,
    close: async (step) => {
      for (const app of env.apps) await step('close app', () => app.close());
      for (const db of env.dbs) await step('close pool', () => db.destroy());
      for (const pool of env.pools) await step('close pg pool', () => pool.end());
    },
  });
  try {
    const loadStart = load();
    const { pg: postgres, db: owner } = await startPostgres();
    const team = await owner.insertInto('teams').values({ name: 'Trade disputes' }).returning('id').executeTakeFirstOrThrow();
    const user = await owner
      .insertInto('users')
      .values({ email: 'bench.specialist@example.test', display_name: 'Bench specialist', role: 'specialist', password_hash: await hashPassword(PASSWORD) })
      .returning('id')
      .executeTakeFirstOrThrow();
    await owner.insertInto('team_members').values({ team_id: team.id, user_id: user.id }).execute();
    log(`inserting ${fmtInt(CASES)} cases (generate_series, through the triggers; no exhibits, no events)`);
    const seeded = await seedCaseDataSet(owner, { cases: CASES, exhibitsPerCase: 0, eventsPerCase: 0, teamId: team.id, assigneeIds: [user.id], log });
    const counted = Number((await sql<{ n: string }>`select count(*) n from cases`.execute(owner)).rows[0]!.n);
    log(`  ${fmtInt(counted)} cases in ${(seeded.ms / 1000).toFixed(1)} s`);

    // --- the three servers, each with a pool of 10 as the service role
    const serviceUrl = postgres.serviceConnectionString;
    const appDb = benchDb(serviceUrl);
    env.dbs.push(appDb);
    const config = { ...loadConfig({ ARBITRA_LOG_LEVEL: 'silent', ARBITRA_DATA_DIR: path.join(workDir, 'server'), ARBITRA_DEMO: '0' }), host: '127.0.0.1', port: 0 };
    const app = await buildApp({ db: appDb, config });
    env.apps.push(app);
    const trpcUrl = await listen(app);
    const login = await serverClient(trpcUrl, null).auth.login.mutate({ email: 'bench.specialist@example.test', password: PASSWORD, kind: 'cli' });
    const token = login.token!;

    const visibility = caseVisibility({ kind: 'user', userId: user.id, role: 'specialist', teamIds: [team.id] } as Parameters<typeof caseVisibility>[0]);
    const kyDb = benchDb(serviceUrl);
    env.dbs.push(kyDb);
    const plain = Fastify({ logger: false });
    plain.get('/cases', async () => {
      const { total, rows } = await listCases(kyDb, { visibility, limit: LIMIT, offset: 0 });
      return { total, cases: rows };
    });
    env.apps.push(plain);
    const plainUrl = await listen(plain);

    // The very statements listCases sends (recorded from one call through Kysely's query log), run
    // through a raw pg Pool.
    const [countQuery, rowsQuery] = await recordedStatements(serviceUrl, (db) => listCases(db, { visibility, limit: LIMIT, offset: 0 }));
    // What each statement costs in the database alone (EXPLAIN ANALYZE, as the owner, same plan).
    for (const [name, statement] of [
      ['count', countQuery!],
      ['page', rowsQuery!],
    ] as const) {
      const plan = await owner.executeQuery<{ 'QUERY PLAN': [{ 'Execution Time': number }] }>(CompiledQuery.raw(`explain (analyze, format json) ${statement.sql}`, [...statement.parameters]));
      log(`${name} statement in the database: ${plan.rows[0]!['QUERY PLAN'][0]['Execution Time'].toFixed(2)} ms`);
    }
    const pool = benchPool(serviceUrl);
    env.pools.push(pool);
    const raw = Fastify({ logger: false });
    raw.get('/cases', async () => {
      const [count, rows] = [await pool.query<{ n: string }>(countQuery!.sql, [...countQuery!.parameters]), await pool.query(rowsQuery!.sql, [...rowsQuery!.parameters])];
      return { total: Math.min(Number(count.rows[0]!.n), CASE_LIST_COUNT_CAP), cases: rows.rows };
    });
    env.apps.push(raw);
    const rawUrl = await listen(raw);

    const targets: Record<Kind, { url: string; headers: Record<string, string> }> = {
      trpc: {
        url: `${trpcUrl}/trpc/cases.list?input=${encodeURIComponent(JSON.stringify({ limit: LIMIT, offset: 0 }))}`,
        headers: { authorization: `Bearer ${token}`, [CSRF_HEADER]: CSRF_HEADER_VALUE },
      },
      fastify: { url: `${plainUrl}/cases`, headers: {} },
      pg: { url: `${rawUrl}/cases`, headers: {} },
    };

    // --- same answers? (the total and the page's case numbers)
    const answers: Record<Kind, { total: number; first: string[] }> = {} as never;
    for (const k of KINDS) {
      const res = await fetch(targets[k].url, { headers: targets[k].headers });
      if (!res.ok) throw new Error(`${k}: HTTP ${res.status}: ${(await res.text()).slice(0, 300)}`);
      const body = (await res.json()) as { result?: { data: { total: number; cases: { caseNumber: string }[] } }; total?: number; cases?: { case_number: string }[] };
      answers[k] = body.result ? { total: body.result.data.total, first: body.result.data.cases.map((c) => c.caseNumber) } : { total: body.total!, first: body.cases!.map((c) => c.case_number) };
    }
    const sameAnswers =
      KINDS.every((k) => answers[k].total === answers.trpc.total && answers[k].first.join() === answers.trpc.first.join()) &&
      answers.trpc.total === Math.min(counted, CASE_LIST_COUNT_CAP) &&
      answers.trpc.first.length === LIMIT;
    log(`answers: total ${answers.trpc.total}, ${answers.trpc.first.length} rows; the same from all three: ${sameAnswers}`);

    // --- one request at a time: the request's own cost, without queueing behind 49 others
    const single: Record<Kind, number> = {} as never;
    for (const k of KINDS) {
      const ms: number[] = [];
      for (let i = 0; i < SINGLE_REQUESTS; i++) {
        const t = performance.now();
        const res = await fetch(targets[k].url, { headers: targets[k].headers });
        await res.arrayBuffer();
        ms.push(performance.now() - t);
      }
      single[k] = Math.round([...ms].sort((x, y) => x - y)[Math.floor(ms.length / 2)]!);
      log(`one at a time ${k}: median ${single[k]} ms of ${ms.map((x) => x.toFixed(0)).join(', ')}`);
    }

    // --- warm-up, then interleaved rounds; before each run, the previous run's leftovers drain
    for (const k of KINDS) {
      log(`warm-up ${k} (${WARMUP_SECONDS} s)`);
      await cannon({ ...targets[k], connections: CONNECTIONS, duration: WARMUP_SECONDS });
      const waited = await drain(owner);
      if (waited > 1000) log(`  waited ${(waited / 1000).toFixed(1)} s for the warm-up's leftover queries`);
    }
    const runs: Record<Kind, (CannonRun & { load: string; drainedMs: number })[]> = { trpc: [], fastify: [], pg: [] };
    for (let round = 1; round <= ROUNDS; round++) {
      for (const k of KINDS) {
        const drainedMs = await drain(owner);
        const l = load();
        const r = await cannon({ ...targets[k], connections: CONNECTIONS, duration: SECONDS });
        runs[k].push({ ...r, load: l, drainedMs });
        log(
          `round ${round}/${ROUNDS} ${k}: ${r.rps.toFixed(1)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, errors ${r.errors}, timeouts ${r.timeouts}, non-2xx ${r.non2xx}, unanswered at the end ${r.sent - r.requests}; load before ${l}${drainedMs > 1000 ? ` (after ${(drainedMs / 1000).toFixed(1)} s draining the previous run)` : ''}`,
        );
      }
    }
    await drain(owner);

    // --- report
    const agg = (k: Kind) => {
      const rs = runs[k];
      const ok = rs.reduce((n, r) => n + r.ok, 0);
      const secs = rs.reduce((n, r) => n + r.seconds, 0);
      const answered = rs.reduce((n, r) => n + r.requests, 0);
      const unanswered = rs.reduce((n, r) => n + Math.max(0, r.sent - r.requests), 0);
      // autocannon's latency covers answered requests only: the ones still waiting when a run
      // ends (up to one per connection) are left out, and they are the slow ones. Little's law
      // gives a floor that does not leave them out: mean latency = connections / throughput, and
      // p99 ≥ mean. The p99 reported is the larger of the two (marked ≥ when it is the floor);
      // null when nothing was answered.
      const rps = ok / secs;
      const floorMs = rps > 0 ? Math.round((CONNECTIONS / rps) * 1000) : null;
      const measured = answered === 0 ? null : Math.max(...rs.map((r) => r.latency.p99));
      const starved = measured !== null && floorMs !== null && floorMs > measured;
      return {
        rps,
        p50: answered === 0 ? null : Math.max(...rs.map((r) => r.latency.p50)),
        p99: measured === null ? null : Math.max(measured, floorMs ?? 0),
        starved,
        unanswered,
        bad: rs.reduce((n, r) => n + r.errors + r.timeouts + r.non2xx, 0),
      };
    };
    const a = { trpc: agg('trpc'), fastify: agg('fastify'), pg: agg('pg') };
    const ratioPct = a.fastify.rps > 0 ? (a.trpc.rps / a.fastify.rps) * 100 : null;
    const p99Text = (x: (typeof a)[Kind]) => (x.p99 === null ? 'n/a (nothing answered)' : `${x.starved ? '≥ ' : ''}${x.p99} ms`);
    const clean = KINDS.every((k) => a[k].bad === 0);
    const line = (label: string, value: string) => `  ${label.padEnd(44)} ${value}`;
    const out = [
      '',
      `queue-throughput: cases.list first page (limit ${LIMIT}) over ${fmtInt(counted)} cases, autocannon ${CONNECTIONS} connections, ${ROUNDS} interleaved round(s) × ${SECONDS} s per server after a ${WARMUP_SECONDS} s warm-up`,
      line('machine', `${os.cpus().length} CPU (${os.cpus()[0]?.model ?? '?'}), node ${process.version}; load at start ${loadStart}, at end ${load()}`),
      line('data set', `${fmtInt(counted)} cases seeded in ${(seeded.ms / 1000).toFixed(1)} s (generate_series, triggers on; ${((counted / seeded.ms) * 1000).toFixed(0)} cases/s)`),
      line(
        'same answers from all three',
        sameAnswers
          ? `yes (total ${fmtInt(answers.trpc.total)}, ${answers.trpc.first.length} rows)`
          : `NO: ${JSON.stringify(Object.fromEntries(KINDS.map((k) => [k, { total: answers[k].total, rows: answers[k].first.length }])))}`,
      ),
      ...KINDS.map((k) =>
        line(
          LABEL[k],
          `${a[k].rps.toFixed(1)} req/s; p50 ${a[k].p50 ?? 'n/a'} ms, p99 ${p99Text(a[k])} (worst round); errors+timeouts+non-2xx ${a[k].bad}; unanswered at the end of runs ${a[k].unanswered}; rounds ${runs[k].map((r) => `${r.rps.toFixed(1)}/s p99 ${r.latency.p99} ms [load ${r.load}]`).join(', ')}`,
        ),
      ),
      line('one request at a time: fastify / trpc / pg', `${KINDS.map((k) => `${single[k]} ms`).join(' / ')} (median of ${SINGLE_REQUESTS}: the request's own cost)`),
      line(
        `tRPC / plain Fastify throughput`,
        ratioPct === null ? 'n/a: plain Fastify answered nothing: FAIL' : `${ratioPct.toFixed(0)} % (target ≥ ${TARGET_RATIO_PCT} %): ${ratioPct >= TARGET_RATIO_PCT ? 'PASS' : 'FAIL'}`,
      ),
      line(`tRPC p99`, `${p99Text(a.trpc)} (target ≤ ${TARGET_P99_MS} ms): ${a.trpc.p99 !== null && a.trpc.p99 <= TARGET_P99_MS ? 'PASS' : 'FAIL'}`),
      line('plain Fastify p99 / raw pg p99', `${p99Text(a.fastify)} / ${p99Text(a.pg)} (the query's own floor under this load)`),
      '',
    ];
    await new Promise<void>((resolve) => process.stdout.write(out.join('\n'), () => resolve()));
    const fastifyBaseline = { name: 'plain Fastify + Kysely', value: Math.round(a.fastify.rps * 10) / 10, unit: 'req/s' };
    return await emitResult(
      makeResult(
        'queue-throughput',
        [
          targeted(
            'trpc_vs_fastify_pct',
            'tRPC cases.list throughput / plain Fastify + Kysely',
            ratioPct === null ? null : Math.round(ratioPct * 10) / 10,
            '%',
            '>=',
            TARGET_RATIO_PCT,
            fastifyBaseline,
          ),
          targeted('trpc_p99_ms', `tRPC cases.list p99 at ${CONNECTIONS} connections (worst round)`, a.trpc.p99, 'ms', '<=', TARGET_P99_MS, {
            name: 'plain Fastify + Kysely p99',
            value: a.fastify.p99,
            unit: 'ms',
          }),
          info('trpc_rps', 'tRPC cases.list throughput', Math.round(a.trpc.rps * 10) / 10, 'req/s', fastifyBaseline),
          info('fastify_rps', 'plain Fastify + Kysely throughput', Math.round(a.fastify.rps * 10) / 10, 'req/s', { name: 'raw pg', value: Math.round(a.pg.rps * 10) / 10, unit: 'req/s' }),
          info('pg_rps', 'plain Fastify + raw pg throughput', Math.round(a.pg.rps * 10) / 10, 'req/s'),
          info('fastify_p99_ms', 'plain Fastify + Kysely p99', a.fastify.p99, 'ms'),
          info('pg_p99_ms', 'raw pg p99', a.pg.p99, 'ms'),
          info('trpc_single_ms', 'tRPC cases.list, one request at a time (median)', single.trpc, 'ms', { name: 'plain Fastify + Kysely', value: single.fastify, unit: 'ms' }),
          info('pg_single_ms', 'raw pg, one request at a time (median)', single.pg, 'ms'),
          info('seed_s', `seeding ${fmtInt(counted)} cases`, Math.round(seeded.ms / 100) / 10, 's'),
          check('no_errors', 'no errors, timeouts or non-2xx answers', clean),
          info(
            'unanswered',
            'requests still waiting when their run ended (all three servers; p99 includes them through its floor)',
            KINDS.reduce((n, k) => n + a[k].unanswered, 0),
            'requests',
          ),
          check('same_answers', 'the three servers answer the same total and page', sameAnswers),
        ],
        [
          `${fmtInt(counted)} cases${CASES === 1_000_000 ? '' : ` (BENCH_QUEUE_CASES=${CASES}: not the issue's 1,000,000)`}; ${CONNECTIONS} connections, ${ROUNDS} × ${SECONDS} s per server; load at start ${loadStart}, at end ${load()}`,
        ],
      ),
    );
  } finally {
    await cleanup();
  }
}

/** The statements `run` sends to the database, in order, as Kysely compiled them. */
async function recordedStatements(connectionString: string, run: (db: DB) => Promise<unknown>): Promise<{ sql: string; parameters: readonly unknown[] }[]> {
  const statements: { sql: string; parameters: readonly unknown[] }[] = [];
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: benchPool(connectionString) }),
    log: (event) => {
      if (event.level === 'query') statements.push({ sql: event.query.sql, parameters: event.query.parameters });
    },
  });
  try {
    await run(db);
  } finally {
    await db.destroy();
  }
  return statements;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`[queue-throughput] failed: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exit(2);
  },
);
