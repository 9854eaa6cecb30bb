// The fault-injection harness of workstation sync: a real server (Fastify from buildApp on
// 127.0.0.1, over a real Postgres database) and several desktop workstations (real SyncEngines on
// real PGlite stores in temp directories), driven by seeded random schedules of edits on both
// sides (workstation mutations; the supervisor's edits and reassignments through the tRPC API),
// offline periods, server restarts (also in the middle of a sync), responses dropped after
// commit, duplicated pushes (concurrent or one after the other), process kills during a push
// (before it is sent, after the server committed, between recording an outcome in the store and
// in the journal) and right after a mutation was journaled, bursts of concurrent syncs and edits,
// long server transactions that hold the pull horizon back, and team changes (scope resets).
// After each schedule every workstation comes online and syncs until quiet, and the schedule
// checks that
//   (a) every store holds exactly the server's rows of the schedule's cases its user may see, and
//   (b) every acknowledged mutation (mutate() returned) was applied exactly once on the server or
//       is among the workstation's rejections and kept with its reason in its journal (and the
//       journal lists nothing as unsynced);
// and, on the way, that two answers to one duplicated push agree, and that a note the server
// confirmed never vanishes from its workstation after a sync.
//
// Used by test/desktop/fault-injection.test.ts (vitest, a database cloned from the test template)
// and bench/sync-soak.bench.ts (tsx, its own embedded Postgres): nothing here imports vitest.
// Everything stays on 127.0.0.1; every loop is bounded in count and time.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { TRPCClientError } from '@trpc/client';
import { buildApp } from '../../server/src/http/app';
import { loadConfig, type ServerConfig } from '../../server/src/config';
import { hashPassword } from '../../server/src/auth/password';
import type { DB } from '../../server/src/db/database';
import { canSeeCase } from '../../server/src/auth/policy';
import type { UserActor } from '../../server/src/context';
import { SyncEngine, type SyncTransport } from '../../desktop/main/sync-engine';
import { HttpTransport, serverClient } from '../../desktop/main/http-transport';
import { localStoreDir, type LocalStore } from '../../desktop/main/store/local-db';
import { localColumns } from '../../desktop/main/store/apply-changes';
import { getMeta } from '../../desktop/main/store/meta';
import { LOCK_FILE } from '../../desktop/main/lock';
import type { Journal } from '../../desktop/main/journal';
import type { MutationArgs, MutationName, PullInput, PullResult, PushInput, PushResult } from '../../shared/sync/protocol';
import { CASE_ACTIONS, CASE_STATES, type CaseAction, type CaseState, type Role } from '../../shared/domain';
import { mulberry32 } from '../support/random';
import { templateDir } from './support';

// ---- Seeded randomness -------------------------------------------------------------------------

export class Rng {
  private readonly next: () => number;
  constructor(readonly seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from nothing');
    return items[Math.floor(this.next() * items.length)]!;
  }
  /** Picks a key by weight. */
  weighted<K extends string>(weights: Record<K, number>): K {
    const entries = Object.entries(weights) as [K, number][];
    const total = entries.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [k, w] of entries) {
      r -= w;
      if (r < 0) return k;
    }
    return entries[entries.length - 1]![0];
  }
  /** A random (version 4) UUID from this generator, so a replayed seed makes the same ids. */
  uuid(): string {
    const b = Buffer.alloc(16);
    for (let i = 0; i < 16; i++) b[i] = Math.floor(this.next() * 256);
    b[6] = (b[6]! & 0x0f) | 0x40;
    b[8] = (b[8]! & 0x3f) | 0x80;
    const h = b.toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A promise that never settles: what a caller of a killed process waits for. */
const never = <T>() => new Promise<T>(() => undefined);

// ---- Local store template ----------------------------------------------------------------------

/**
 * Seeds a workstation data directory with an empty migrated store (only when it holds none): a
 * copy of the template (support.ts), so a workstation's first open does not run initdb (5–10 s).
 */
export async function seedDataDir(dataDir: string): Promise<void> {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (!fs.existsSync(path.join(localStoreDir(dataDir), 'PG_VERSION'))) fs.cpSync(await templateDir(), localStoreDir(dataDir), { recursive: true });
}

// ---- The server --------------------------------------------------------------------------------

export const HARNESS_PASSWORD = 'correct horse battery staple';

export interface HarnessDatabase {
  db: DB;
  url: string;
  drop(): Promise<void>;
}

export interface HarnessUser {
  key: 'supervisor' | 'specialistA' | 'specialistB' | 'specialistC';
  id: string;
  email: string;
  role: Role;
  teamIds: string[];
}

type Client = ReturnType<typeof serverClient>;

/**
 * Fastify from buildApp on 127.0.0.1 over one database. `restart()` closes the app and builds a
 * new one on the same database, on a new port: clients that resolve `url` at call time follow.
 */
export class HarnessServer {
  app: FastifyInstance | null = null;
  url = '';
  restarts = 0;
  /** Set while a restart is under way: a failed call then is the restart, not a bug. */
  restarting = false;
  private clients = new Map<string, Client>();

  private constructor(
    readonly database: HarnessDatabase,
    readonly config: ServerConfig,
    readonly dataDir: string,
    readonly teamId: string,
    readonly otherTeamId: string,
    readonly users: Record<HarnessUser['key'], HarnessUser>,
  ) {}

  get db(): DB {
    return this.database.db;
  }

  /**
   * Teams T ("Trade disputes") and O ("Security incidents"); specialists A and B in T, C in O; a
   * supervisor in both (so it can move a case from T to O and back).
   */
  static async start(database: HarnessDatabase): Promise<HarnessServer> {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'arbitra-harness-server-'));
    const config = { ...loadConfig({ ARBITRA_LOG_LEVEL: 'silent', ARBITRA_DATA_DIR: dataDir }), port: 0 };
    const db = database.db;
    const t = await db.insertInto('teams').values({ name: 'Trade disputes' }).returning('id').executeTakeFirstOrThrow();
    const o = await db.insertInto('teams').values({ name: 'Security incidents' }).returning('id').executeTakeFirstOrThrow();
    const passwordHash = await hashPassword(HARNESS_PASSWORD);
    const specs: { key: HarnessUser['key']; role: Role; teams: string[] }[] = [
      { key: 'supervisor', role: 'supervisor', teams: [t.id, o.id] },
      { key: 'specialistA', role: 'specialist', teams: [t.id] },
      { key: 'specialistB', role: 'specialist', teams: [t.id] },
      { key: 'specialistC', role: 'specialist', teams: [o.id] },
    ];
    const users = {} as Record<HarnessUser['key'], HarnessUser>;
    const tag = crypto.randomBytes(4).toString('hex');
    for (const s of specs) {
      const email = `${s.key.toLowerCase()}-${tag}@example.test`;
      const row = await db
        .insertInto('users')
        .values({ email, display_name: `Harness ${s.key}`, role: s.role, password_hash: passwordHash })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (const team of s.teams) await db.insertInto('team_members').values({ team_id: team, user_id: row.id }).execute();
      users[s.key] = { key: s.key, id: row.id, email, role: s.role, teamIds: s.teams };
    }
    const server = new HarnessServer(database, config, dataDir, t.id, o.id, users);
    await server.listen();
    return server;
  }

  private async listen(): Promise<void> {
    const app = await buildApp({ db: this.db, config: this.config, changes: null });
    await app.listen({ host: '127.0.0.1', port: 0 });
    this.app = app;
    this.url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  }

  /** Closes the app (requests in flight finish) and builds a new one on the same database, new port. */
  async restart(): Promise<void> {
    this.restarting = true;
    try {
      const old = this.app;
      this.app = null;
      if (old) {
        // Requests in flight may finish; keep-alive connections do not hold the restart up (they
        // would for the keep-alive timeout), and whatever is still open after a moment is cut.
        const idle = setInterval(() => old.server.closeIdleConnections(), 5);
        const cut = setTimeout(() => old.server.closeAllConnections(), 300);
        try {
          await old.close();
        } finally {
          clearInterval(idle);
          clearTimeout(cut);
        }
      }
      await this.listen();
      this.restarts++;
    } finally {
      this.restarting = false;
    }
  }

  /** A tRPC client with this token, for the server as it is now. */
  client(token: string | null): Client {
    const key = `${this.url} ${token ?? ''}`;
    let c = this.clients.get(key);
    if (!c) {
      if (this.clients.size > 200) this.clients.clear();
      this.clients.set(key, (c = serverClient(this.url, token)));
    }
    return c;
  }

  async login(user: HarnessUser, kind: 'device' | 'cli' = 'cli'): Promise<string> {
    const r = await this.client(null).auth.login.mutate({ email: user.email, password: HARNESS_PASSWORD, kind });
    return r.token!;
  }

  /** Signs in on a workstation and registers it: the device's own credential. */
  async registerDevice(user: HarnessUser, name: string): Promise<{ deviceId: string; token: string }> {
    const login = await this.login(user, 'device');
    const r = await this.client(login).sync.registerDevice.mutate({ name, platform: 'linux' });
    return { deviceId: r.deviceId, token: r.token };
  }

  /** Pulls nothing: every transaction that has an xid now has ended once a cursor reaches this. */
  async horizon(): Promise<bigint> {
    const r = await sql<{ xmax: string }>`select pg_snapshot_xmax(pg_current_snapshot())::text as xmax`.execute(this.db);
    return BigInt(r.rows[0]!.xmax);
  }

  async close(): Promise<void> {
    await this.app?.close();
    this.app = null;
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}

// ---- The transport with faults ---------------------------------------------------------------

/** An error the harness injected (offline, a dropped response): expected, retried later. */
export class InjectedFault extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InjectedFault';
  }
}

/** The state of a workstation's network, shared by the transports of its successive processes. */
export interface Network {
  offline: boolean;
}

/**
 * The engine's transport in the harness: the real HttpTransport for the server's current URL
 * (resolved at every call, so it follows restarts), with faults armed by the schedule. Once the
 * process it serves is "killed", every call hangs for good, as it would for a dead process.
 */
export class FaultTransport implements SyncTransport {
  /** Upcoming push / pull responses to drop after the server answered (it committed). */
  dropPushes = 0;
  dropPulls = 0;
  /** The next push goes out twice. */
  duplicate: null | { mode: 'concurrent' | 'sequential'; returnSecond: boolean } = null;
  /** The next push kills the process at this point. */
  killAt: 'before-send' | 'after-commit' | null = null;
  dead = false;
  readonly died: Promise<void>;
  private markDied!: () => void;
  /** Two answers to the same push that disagree about a mutation: never allowed. */
  readonly disagreements: string[] = [];
  private readonly http = new Map<string, HttpTransport>();

  constructor(
    private readonly server: HarnessServer,
    private readonly token: string,
    private readonly network: Network,
  ) {
    this.died = new Promise((resolve) => (this.markDied = resolve));
  }

  private current(): HttpTransport {
    let t = this.http.get(this.server.url);
    if (!t) {
      this.http.clear();
      this.http.set(this.server.url, (t = new HttpTransport(this.server.url, this.token)));
    }
    return t;
  }

  die(): void {
    this.dead = true;
    this.markDied();
  }

  async push(input: PushInput): Promise<PushResult> {
    if (this.dead) return never();
    if (this.network.offline) throw new InjectedFault('offline');
    const kill = this.killAt;
    this.killAt = null;
    if (kill === 'before-send') {
      this.die();
      return never();
    }
    const dup = this.duplicate;
    this.duplicate = null;
    let result: PushResult;
    if (!dup) result = await this.current().push(input);
    else if (dup.mode === 'sequential') {
      const first = await this.current().push(input);
      const second = await this.current().push(input);
      this.compare(first, second);
      result = dup.returnSecond ? second : first;
    } else {
      const [a, b] = await Promise.allSettled([this.current().push(input), this.current().push(input)]);
      if (a.status === 'fulfilled' && b.status === 'fulfilled') this.compare(a.value, b.value);
      const ok = [a, b].filter((r): r is PromiseFulfilledResult<PushResult> => r.status === 'fulfilled').map((r) => r.value);
      if (ok.length === 0) throw (a as PromiseRejectedResult).reason;
      result = dup.returnSecond ? ok[ok.length - 1]! : ok[0]!;
    }
    if (this.dead) return never();
    if (kill === 'after-commit') {
      this.die();
      return never();
    }
    if (this.dropPushes > 0) {
      this.dropPushes--;
      throw new InjectedFault('push response dropped after commit');
    }
    return result;
  }

  async pull(input: PullInput): Promise<PullResult> {
    if (this.dead) return never();
    if (this.network.offline) throw new InjectedFault('offline');
    const result = await this.current().pull(input);
    if (this.dead) return never();
    if (this.dropPulls > 0) {
      this.dropPulls--;
      throw new InjectedFault('pull response dropped');
    }
    return result;
  }

  /** Both answers to one push must tell the same story about every mutation both mention. */
  private compare(a: PushResult, b: PushResult): void {
    const bySeq = new Map(a.outcomes.map((o) => [o.seq, o]));
    for (const o of b.outcomes) {
      const other = bySeq.get(o.seq);
      if (other && (other.status !== o.status || other.reason?.messageKey !== o.reason?.messageKey))
        this.disagreements.push(`seq ${o.seq}: ${other.status}/${other.reason?.messageKey ?? '-'} vs ${o.status}/${o.reason?.messageKey ?? '-'}`);
    }
  }
}

// ---- A workstation -----------------------------------------------------------------------------

export interface Ack {
  seq: number;
  name: MutationName;
  args: Record<string, unknown>;
  schedule: number;
}

/** Thrown into the engine to stop it dead at a chosen point (a simulated kill -9). */
class Killed extends Error {
  constructor() {
    super('killed');
    this.name = 'Killed';
  }
}

/** A pid no process has now, so a lock file naming it is a dead process's lock. */
function deadPid(): number {
  for (let pid = 4_194_000; pid > 100_000; pid -= 997) {
    try {
      process.kill(pid, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') return pid;
    }
  }
  throw new Error('no free pid found');
}

export type SyncFault = 'none' | 'drop-push' | 'drop-pull' | 'dup-concurrent' | 'dup-sequential' | 'kill-before-send' | 'kill-after-commit' | 'kill-mid-outcomes';

export class Desktop {
  engine!: SyncEngine;
  transport!: FaultTransport;
  readonly network: Network = { offline: false };
  /** Every mutation this workstation acknowledged (mutate() returned), all schedules. */
  readonly acks: Ack[] = [];
  kills = 0;
  opens = 0;
  /** Disagreements seen by the transports of every process this workstation ran. */
  readonly disagreements: string[] = [];

  constructor(
    readonly name: string,
    readonly server: HarnessServer,
    readonly user: HarnessUser,
    readonly deviceId: string,
    readonly token: string,
    readonly dataDir: string,
  ) {}

  static async register(server: HarnessServer, user: HarnessUser, name: string, root: string): Promise<Desktop> {
    const { deviceId, token } = await server.registerDevice(user, name);
    const d = new Desktop(name, server, user, deviceId, token, path.join(root, name));
    await seedDataDir(d.dataDir);
    await d.open();
    return d;
  }

  async open(): Promise<void> {
    if (this.transport) this.disagreements.push(...this.transport.disagreements);
    this.transport = new FaultTransport(this.server, this.token, this.network);
    this.engine = await SyncEngine.open({
      dataDir: this.dataDir,
      identity: { deviceId: this.deviceId, userId: this.user.id, role: this.user.role },
      transport: this.transport,
    });
    this.opens++;
  }

  async mutate<N extends MutationName>(name: N, args: MutationArgs<N>, schedule: number): Promise<number> {
    const { seq } = await this.engine.mutate(name, args);
    this.acks.push({ seq, name, args: args as Record<string, unknown>, schedule });
    return seq;
  }

  /**
   * The process dies: the engine instance is abandoned mid-flight (whatever it awaits never comes
   * back, its transport hangs for good, its journal is closed under it), its files stay as they are
   * on disk, and its lock names a pid that no longer runs. A new process then opens the same data
   * directory and must recover from it.
   */
  async kill(): Promise<void> {
    const old = this.engine as unknown as { journal: Journal; store: LocalStore };
    this.transport.die();
    old.journal.close();
    // The dead process's PGlite is shut down here only because its WASM memory (~150 MB) is freed
    // no other way. It has nothing in flight (the kill points are a hung request or a thrown
    // journal write), and every transaction it committed is on disk either way, so the next
    // process finds what a kill leaves. (PGlite's own crash recovery is kill.test.ts's subject.)
    await old.store.close().catch(() => undefined);
    fs.writeFileSync(
      path.join(this.dataDir, LOCK_FILE),
      JSON.stringify({ pid: deadPid(), hostname: os.hostname(), token: 'killed', startedAt: new Date().toISOString(), procStart: null }),
    );
    this.kills++;
    // Each dead process's lock leaves an 'exit' listener behind (a real dead process takes it along).
    process.setMaxListeners(Math.max(process.getMaxListeners(), 1000));
    await this.open();
  }

  /**
   * Mutates with the process killed right after the journal took the mutation (fsync'd) and before
   * the local store did: not acknowledged, but durable, so it must reach the server exactly once.
   */
  async mutateAndDie<N extends MutationName>(name: N, args: MutationArgs<N>): Promise<void> {
    const engine = this.engine;
    const journal = (engine as unknown as { journal: Journal }).journal;
    const append = journal.append.bind(journal);
    journal.append = (entry) => {
      append(entry);
      throw new Killed();
    };
    try {
      await engine.mutate(name, args);
    } catch (error) {
      if (!(error instanceof Killed)) throw error;
    }
    await this.kill();
  }

  /**
   * One sync with a fault armed. Returns what happened; an error that no injected fault explains
   * is thrown (a bug, unless the server was restarting).
   */
  async sync(fault: SyncFault, rng: Rng, options: { duringRestart?: boolean } = {}): Promise<string> {
    const t = this.transport;
    const engine = this.engine;
    /** Puts back the journal's own methods after a 'kill-mid-outcomes' that did not kill. */
    let unarm: (() => void) | null = null;
    const journal = (engine as unknown as { journal: Journal }).journal;
    switch (fault) {
      case 'drop-push':
        t.dropPushes = 1;
        break;
      case 'drop-pull':
        t.dropPulls = 1;
        break;
      case 'dup-concurrent':
      case 'dup-sequential':
        t.duplicate = { mode: fault === 'dup-concurrent' ? 'concurrent' : 'sequential', returnSecond: rng.chance(0.5) };
        break;
      case 'kill-before-send':
        t.killAt = 'before-send';
        break;
      case 'kill-after-commit':
        t.killAt = 'after-commit';
        break;
      case 'kill-mid-outcomes': {
        // Dies after the store recorded an outcome (applied, or refused) and before the journal did.
        let left = rng.int(0, Math.max(0, (await engine.pendingMutations()).length - 1));
        const markDone = journal.markDone.bind(journal);
        const markRejected = journal.markRejected.bind(journal);
        const dieOnTurn = () => {
          if (left-- <= 0) {
            t.die();
            throw new Killed();
          }
        };
        journal.markDone = (seq, outcome) => {
          dieOnTurn();
          markDone(seq, outcome);
        };
        journal.markRejected = (rejection) => {
          dieOnTurn();
          markRejected(rejection);
        };
        unarm = () => {
          journal.markDone = markDone;
          journal.markRejected = markRejected;
        };
        break;
      }
      default:
        break;
    }
    const run = engine.sync();
    run.catch(() => undefined);
    const outcome = await Promise.race([run.then(() => 'ok' as const, (error: unknown) => ({ error })), t.died.then(() => 'died' as const)]);
    t.dropPushes = 0;
    t.dropPulls = 0;
    t.duplicate = null;
    t.killAt = null;
    if (outcome === 'died' || t.dead) {
      await this.kill();
      return `killed (${fault})`;
    }
    unarm?.();
    if (outcome === 'ok') {
      await this.checkConfirmedNotesShown();
      return 'ok';
    }
    const error = outcome.error;
    if (error instanceof InjectedFault) return `failed: ${error.message}`;
    if (isNetworkFailure(error) && (options.duringRestart || this.server.restarting)) return `failed: ${(error as Error).message}`;
    throw error;
  }

  /** What the user saw vanish from their screen after a sync: acknowledged, confirmed work. */
  readonly vanished: string[] = [];

  /**
   * After a sync: every note this workstation wrote in the current schedule that the server
   * confirmed is shown, on every case the store holds (the server's row, or the preview until it).
   */
  private async checkConfirmedNotesShown(): Promise<void> {
    const schedule = this.acks[this.acks.length - 1]?.schedule;
    const notes = this.acks.filter((a) => a.schedule === schedule && a.name === 'addNote');
    if (notes.length === 0) return;
    const db = this.engine.db;
    const confirmed = new Set(
      (await db.selectFrom('outbox').select('seq').where('status', '=', 'applied').where('seq', 'in', notes.map((n) => n.seq)).execute()).map((r) => Number(r.seq)),
    );
    const held = new Set((await db.selectFrom('cases').select('id').where('id', 'in', [...new Set(notes.map((n) => String(n.args.caseId)))]).execute()).map((c) => c.id));
    const shown = new Set((await db.selectFrom('notes').select('id').where('id', 'in', notes.map((n) => String(n.args.id))).execute()).map((n) => n.id));
    for (const n of notes)
      if (confirmed.has(n.seq) && held.has(String(n.args.caseId)) && !shown.has(String(n.args.id))) this.vanished.push(`note ${String(n.args.id)} (seq ${n.seq})`);
  }

  /** The seq the server has applied up to for this device. */
  async serverSeq(): Promise<number> {
    const r = await this.server.db.selectFrom('devices').select('last_applied_seq').where('id', '=', this.deviceId).executeTakeFirstOrThrow();
    return Number(r.last_applied_seq);
  }

  async close(): Promise<void> {
    await this.engine.close();
  }
}

/** A call that failed on the way (connection refused or reset while a server restarts), not an answer. */
function isNetworkFailure(error: unknown): boolean {
  if (error instanceof TRPCClientError) {
    const status = (error.data as { httpStatus?: number } | undefined)?.httpStatus;
    return status === undefined || status === 503;
  }
  return error instanceof TypeError;
}

// ---- Convergence and exactly-once --------------------------------------------------------------

/** Case tables compared between the server and each store. */
export const COMPARED_TABLES = ['cases', 'case_amounts', 'case_events', 'notes', 'assessments', 'remedies', 'approvals', 'objections', 'escalations'] as const;
type ComparedTable = (typeof COMPARED_TABLES)[number];

function canonical(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v)) return v.map(canonical);
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(o)
        .sort()
        .map((k) => [k, canonical(o[k])]),
    );
  }
  return v;
}

const caseColumn = (table: ComparedTable) => (table === 'cases' ? 'id' : 'case_id');

/** The server's rows of these cases (tombstoned rows excluded), by id. */
async function serverRows(db: DB, table: ComparedTable, caseIds: string[]): Promise<Map<string, Record<string, unknown>>> {
  if (caseIds.length === 0) return new Map();
  const r = await sql<Record<string, unknown>>`
    select * from ${sql.table(table)} where ${sql.ref(caseColumn(table))} in (${sql.join(caseIds)}) and deleted_at is null`.execute(db);
  return new Map(r.rows.map((row) => [String(row.id), row]));
}

async function localRows(engine: SyncEngine, table: ComparedTable, caseIds: string[]): Promise<Map<string, Record<string, unknown>>> {
  if (caseIds.length === 0) return new Map();
  const r = await sql<Record<string, unknown>>`
    select * from ${sql.table(table)} where ${sql.ref(caseColumn(table))} in (${sql.join(caseIds)})`.execute(engine.db);
  return new Map(r.rows.map((row) => [String(row.id), row]));
}

/**
 * Differences between what a workstation's store holds of these cases and what the server holds
 * of them that its user may see: every row of the compared tables, every column the store keeps
 * (local-only ones such as pending_seq excepted), and nothing more.
 */
export async function storeDifferences(
  serverDb: DB,
  engine: SyncEngine,
  who: { name: string; userId: string; role: Role; teamIds: string[] },
  caseIds: string[],
): Promise<string[]> {
  const problems: string[] = [];
  if (caseIds.length === 0) return problems;
  const actor = { kind: 'user', userId: who.userId, role: who.role, teamIds: who.teamIds } as unknown as UserActor;
  const cases = await serverDb.selectFrom('cases').select(['id', 'team_id', 'assignee_id']).where('id', 'in', caseIds).execute();
  const visible = cases.filter((c) => canSeeCase(actor, c)).map((c) => c.id);
  const columns = await localColumns(engine.db);
  for (const table of COMPARED_TABLES) {
    const cols = [...(columns.get(table)?.keys() ?? [])];
    const project = (row: Record<string, unknown>) => JSON.stringify(canonical(Object.fromEntries(cols.map((c) => [c, row[c]]))));
    const want = await serverRows(serverDb, table, visible);
    const have = await localRows(engine, table, caseIds);
    for (const [id, row] of want) {
      const mine = have.get(id);
      if (!mine) problems.push(`${who.name}: ${table} ${id} missing (server: ${brief(row)})`);
      else if (project(mine) !== project(row)) {
        const diff = cols.filter((c) => JSON.stringify(canonical(mine[c])) !== JSON.stringify(canonical(row[c])));
        problems.push(`${who.name}: ${table} ${id} differs in ${diff.map((c) => `${c} (local ${JSON.stringify(canonical(mine[c]))}, server ${JSON.stringify(canonical(row[c]))})`).join(', ')}`);
      }
    }
    for (const [id, row] of have) if (!want.has(id)) problems.push(`${who.name}: ${table} ${id} should not be there (${brief(row)})`);
  }
  return problems;
}

/** Differences between a workstation of the fleet and the server, for these cases. */
export function convergenceProblems(server: HarnessServer, d: Desktop, caseIds: string[]): Promise<string[]> {
  return storeDifferences(server.db, d.engine, { name: d.name, userId: d.user.id, role: d.user.role, teamIds: d.user.teamIds }, caseIds);
}

function brief(row: Record<string, unknown>): string {
  const keep = ['case_id', 'type', 'status', 'body', 'kind', 'pending_seq', 'team_id'].filter((k) => k in row);
  return JSON.stringify(canonical(Object.fromEntries(keep.map((k) => [k, row[k]]))));
}

/** The case event each mutation leaves when applied (field edits always change a value here). */
const EVENT_OF: Partial<Record<MutationName, string>> = {
  addNote: 'note.added',
  updateCaseFields: 'case.fields_updated',
  transition: 'case.transition',
  setAssessment: 'assessment.set',
  proposeRemedy: 'remedy.drafted',
  classify: 'case.classified',
};

/**
 * Exactly once: each device's seqs 1..n are recorded once each and nothing is left to send; every
 * acknowledged mutation is among them with its name and args, applied — its effect on the server
 * once — or rejected and shown as a rejection.
 */
export async function exactlyOnceProblems(server: HarnessServer, desktops: Desktop[], caseIds: string[], schedule: number): Promise<string[]> {
  const problems: string[] = [];
  const db = server.db;
  const caseSet = new Set(caseIds);
  for (const d of desktops) {
    const last = await d.serverSeq();
    const stats = await sql<{ n: string; lo: string | null; hi: string | null }>`
      select count(*)::text as n, min(seq)::text as lo, max(seq)::text as hi from device_mutations where device_id = ${d.deviceId}`.execute(db);
    const s = stats.rows[0]!;
    if (Number(s.n) !== last || (last > 0 && (Number(s.lo) !== 1 || Number(s.hi) !== last)))
      problems.push(`${d.name}: device_mutations hold ${s.n} rows (seq ${s.lo}..${s.hi}) for last_applied_seq ${last}`);
    const highest = (d.engine as unknown as { journal: Journal }).journal.highestSeq();
    if (highest !== last) problems.push(`${d.name}: the journal went up to seq ${highest}, the server applied up to ${last}`);
    const pending = await d.engine.pendingMutations();
    if (pending.length) problems.push(`${d.name}: still pending after settling: ${pending.map((p) => p.seq).join(', ')}`);
    const journalPending = (d.engine as unknown as { journal: Journal }).journal.pending();
    if (journalPending.length) problems.push(`${d.name}: the journal still lists as unsynced: ${journalPending.map((p) => p.seq).join(', ')}`);

    const acks = d.acks.filter((a) => a.schedule === schedule);
    const seqs = acks.map((a) => a.seq);
    const recorded = seqs.length
      ? await db.selectFrom('device_mutations').select(['seq', 'name', 'args', 'status', 'reason']).where('device_id', '=', d.deviceId).where('seq', 'in', seqs.map(String)).execute()
      : [];
    const bySeq = new Map(recorded.map((r) => [Number(r.seq), r]));
    const rejections = new Map((await d.engine.rejections({ includeDismissed: true })).map((r) => [r.seq, r]));
    const journaledRejections = new Map((d.engine as unknown as { journal: Journal }).journal.rejections().map((r) => [r.seq, r]));
    for (const a of acks) {
      const r = bySeq.get(a.seq);
      if (!r) {
        problems.push(`${d.name}: acknowledged seq ${a.seq} (${a.name}) never reached the server`);
        continue;
      }
      const args = (typeof r.args === 'string' ? JSON.parse(r.args) : r.args) as Record<string, unknown>;
      if (r.name !== a.name || (a.args.id !== undefined && args.id !== a.args.id) || args.caseId !== a.args.caseId)
        problems.push(`${d.name}: seq ${a.seq} was acknowledged as ${a.name} ${JSON.stringify(a.args)}, the server recorded ${r.name} ${JSON.stringify(args)}`);
      if (r.status === 'rejected') {
        const reason = (typeof r.reason === 'string' ? JSON.parse(r.reason) : r.reason) as { messageKey?: string } | null;
        const shown = rejections.get(a.seq);
        if (!shown) problems.push(`${d.name}: seq ${a.seq} (${a.name}) was rejected (${reason?.messageKey}) but is not among the rejections`);
        else if (shown.messageKey !== reason?.messageKey) problems.push(`${d.name}: seq ${a.seq} rejection says ${shown.messageKey}, the server recorded ${reason?.messageKey}`);
        // Nothing here dismisses a refusal: the journal keeps each one, for a rebuilt store to show it.
        if (journaledRejections.get(a.seq)?.reason.messageKey !== reason?.messageKey)
          problems.push(`${d.name}: seq ${a.seq} was rejected (${reason?.messageKey}) but the journal does not keep that refusal`);
      } else if (rejections.has(a.seq)) problems.push(`${d.name}: seq ${a.seq} was applied but is shown as rejected`);
      if (a.name === 'addNote') {
        const noteId = String(a.args.id);
        const notes = Number((await sql<{ n: string }>`select count(*)::text as n from notes where id = ${noteId}`.execute(db)).rows[0]!.n);
        const events = Number((await sql<{ n: string }>`select count(*)::text as n from case_events where type = 'note.added' and payload->>'noteId' = ${noteId}`.execute(db)).rows[0]!.n);
        const expected = r.status === 'applied' ? 1 : 0;
        if (notes !== expected || events !== expected) problems.push(`${d.name}: note ${noteId} (seq ${a.seq}, ${r.status}) is on the server ${notes} time(s), with ${events} note.added event(s)`);
      }
    }
  }
  // Each applied mutation left its effect once: per user, the events they caused on these cases
  // match the mutations applied from their devices (server-side edits are another user's).
  const byUser = new Map<string, Desktop[]>();
  for (const d of desktops) byUser.set(d.user.id, [...(byUser.get(d.user.id) ?? []), d]);
  for (const [userId, ds] of byUser) {
    const applied = await db
      .selectFrom('device_mutations')
      .select(['name', 'args'])
      .where('device_id', 'in', ds.map((d) => d.deviceId))
      .where('status', '=', 'applied')
      .where(sql<boolean>`args->>'caseId' in (${sql.join(caseIds)})`)
      .execute();
    const expected = new Map<string, number>();
    for (const m of applied) {
      const type = EVENT_OF[m.name as MutationName];
      if (type) expected.set(type, (expected.get(type) ?? 0) + 1);
    }
    const events = await db
      .selectFrom('case_events')
      .select(['type', (eb) => eb.fn.countAll<string>().as('n')])
      .where('actor_id', '=', userId)
      .where('case_id', 'in', [...caseSet])
      .where('type', 'in', Object.values(EVENT_OF) as string[])
      .groupBy('type')
      .execute();
    const actual = new Map(events.map((e) => [e.type, Number(e.n)]));
    for (const type of new Set([...expected.keys(), ...actual.keys()]))
      if ((expected.get(type) ?? 0) !== (actual.get(type) ?? 0))
        problems.push(`user ${ds[0]!.user.key}: ${actual.get(type) ?? 0} '${type}' event(s) on the server for ${expected.get(type) ?? 0} applied mutation(s)`);
  }
  return problems;
}

// ---- Schedules ---------------------------------------------------------------------------------

/** Forward steps a handler takes from each state (reason given where the step needs one). */
const FORWARD: Partial<Record<CaseState, CaseAction[]>> = {
  received: ['start_review'],
  initial_review: ['accept', 'accept', 'request_material', 'reject'],
  awaiting_material: ['material_received'],
  investigation: ['complete_investigation', 'complete_investigation', 'request_third_party', 'request_material'],
  awaiting_third_party: ['third_party_responded'],
  assessment: ['propose_resolution', 'propose_resolution', 'request_approval', 'request_material'],
  pending_approval: ['approve', 'decline_approval'],
  resolution_proposed: ['accept_resolution', 'object'],
  execution: ['complete_execution'],
  follow_up: ['close'],
  closed: ['archive'],
  rejected: ['archive'],
};
const NEEDS_REASON: readonly CaseAction[] = ['request_material', 'reject', 'request_third_party', 'decline_approval', 'object', 'escalate_mediation', 'escalate_arbitration', 'record_impasse'];

export type EditName = 'addNote' | 'updateCaseFields' | 'transition' | 'setAssessment' | 'proposeRemedy' | 'classify';

/** Arguments of a random edit of a case, from what the editor sees of it. */
function editArgs(rng: Rng, name: EditName, caseId: string, status: CaseState, tag: string): Record<string, unknown> {
  switch (name) {
    case 'addNote':
      return { id: rng.uuid(), caseId, body: `note ${tag}: ${rng.pick(['called the complainant', '已联系用户', 'checked the order book', 'waiting on risk'])}` };
    case 'updateCaseFields':
      // A value no one wrote before, so the edit always changes the field (and leaves its event).
      return rng.chance(0.5) ? { caseId, fields: { next_action: `next ${tag}` } } : { caseId, fields: { handler_summary: `summary ${tag}`, next_action: `then ${tag}` } };
    case 'transition': {
      let action: CaseAction = rng.chance(0.85) && FORWARD[status]?.length ? rng.pick(FORWARD[status]!) : rng.pick(CASE_ACTIONS);
      const expectedStatus: CaseState = rng.chance(0.9) ? status : rng.pick(CASE_STATES);
      if (action === 'escalate_arbitration') action = 'escalate_mediation';
      return { caseId, action, expectedStatus, ...(NEEDS_REASON.includes(action) || rng.chance(0.1) ? { reason: `because ${tag}` } : {}) };
    }
    case 'setAssessment':
      return rng.chance(0.5)
        ? { caseId, platformShare: '50', userShare: '50', thirdPartyShare: '0', findings: `findings ${tag}` }
        : { caseId, platformShare: '30', userShare: '30.5', thirdPartyShare: '39.5', thirdPartyKind: 'hacker', findings: `findings ${tag}` };
    case 'proposeRemedy':
      return rng.chance(0.7)
        ? { caseId, kind: rng.pick(['security_advice', 'technical_support', 'account_unfreeze', 'warning'] as const), details: `remedy ${tag}` }
        : { caseId, kind: 'refund', asset: 'USDT', amount: rng.pick(['25', '150.5', '20000']), details: `refund ${tag}` };
    case 'classify':
      return { caseId, category: 'trade', subcategory: rng.pick(['slippage', 'order_error']), tier: rng.pick(['L1', 'L2'] as const), priority: rng.pick(['normal', 'high'] as const) };
  }
}

export interface ScheduleResult {
  seed: number;
  steps: string[];
  problems: string[];
  ms: number;
}

export interface FleetOptions {
  /** Where the workstations keep their data directories. */
  root: string;
  /**
   * Weight of the step that changes a user's teams (a scope reset: that user's workstations pull
   * the whole log again, which grows with every schedule). Default 0.7 against ~100 for all steps.
   */
  scopeWeight?: number;
}

/**
 * Three workstations on one server: specialist A on two devices and specialist B (all of team T),
 * plus the supervisor's API session for server-side edits. Reused across schedules; each schedule
 * works on fresh cases.
 */
export class Fleet {
  schedules = 0;
  /** How often each kind of step and fault ran, over all schedules. */
  readonly stats: Record<string, number> = {};
  private supervisorToken = '';
  private intakeToken = '';
  private constructor(
    readonly server: HarnessServer,
    readonly desktops: Desktop[],
    readonly root: string,
    private readonly scopeWeight: number,
  ) {}

  static async start(server: HarnessServer, options: FleetOptions): Promise<Fleet> {
    fs.mkdirSync(options.root, { recursive: true });
    const u = server.users;
    const desktops = [
      await Desktop.register(server, u.specialistA, 'a-laptop', options.root),
      await Desktop.register(server, u.specialistA, 'a-desktop', options.root),
      await Desktop.register(server, u.specialistB, 'b-laptop', options.root),
    ];
    const fleet = new Fleet(server, desktops, options.root, options.scopeWeight ?? 0.7);
    fleet.supervisorToken = await server.login(u.supervisor);
    fleet.intakeToken = await server.login(u.specialistA);
    return fleet;
  }

  private count(what: string): void {
    this.stats[what] = (this.stats[what] ?? 0) + 1;
  }

  private get supervisor() {
    return this.server.client(this.supervisorToken);
  }

  private async serverStatus(caseId: string): Promise<CaseState> {
    const c = await this.server.db.selectFrom('cases').select('status').where('id', '=', caseId).executeTakeFirstOrThrow();
    return c.status as CaseState;
  }

  /** The supervisor acts on the server (through the tRPC API); refusals are part of the game. */
  private async serverEdit(rng: Rng, caseId: string, tag: string): Promise<string> {
    const status = await this.serverStatus(caseId);
    const op = rng.weighted({ addNote: 3, updateCaseFields: 3, transition: 4, setAssessment: 1, proposeRemedy: 1, classify: 1, moveAway: 1, moveBack: 1 });
    const s = this.supervisor;
    try {
      switch (op) {
        case 'moveAway':
          await s.cases.assign.mutate({ caseId, assigneeId: this.server.users.specialistC.id, teamId: this.server.otherTeamId });
          break;
        case 'moveBack':
          await s.cases.assign.mutate({ caseId, assigneeId: rng.pick([this.server.users.specialistA.id, this.server.users.specialistB.id]), teamId: this.server.teamId });
          break;
        case 'addNote':
          await s.cases.addNote.mutate(editArgs(rng, 'addNote', caseId, status, tag) as never);
          break;
        case 'updateCaseFields':
          await s.cases.updateFields.mutate(editArgs(rng, 'updateCaseFields', caseId, status, tag) as never);
          break;
        default:
          await (s.cases[op] as { mutate(a: unknown): Promise<unknown> }).mutate(editArgs(rng, op, caseId, status, tag));
      }
      this.count(`server-${op}`);
      return `server ${op} ${caseId.slice(0, 8)} (${status}): ok`;
    } catch (error) {
      if (error instanceof TRPCClientError && ((error.data as { httpStatus?: number } | undefined)?.httpStatus ?? 500) < 500) return `server ${op} ${caseId.slice(0, 8)} (${status}): refused ${(error.data as { messageKey?: string }).messageKey}`;
      throw error;
    }
  }

  /** A workstation user edits a case as their store shows it (offline or not). */
  private async desktopEdit(rng: Rng, d: Desktop, caseId: string, tag: string, schedule: number, mayDie = true): Promise<string> {
    const local = await d.engine.db.selectFrom('cases').select('status').where('id', '=', caseId).executeTakeFirst();
    const status = (local?.status ?? 'received') as CaseState;
    const name = rng.weighted<EditName>({ addNote: 4, updateCaseFields: 3, transition: 5, setAssessment: 1.5, proposeRemedy: 1.5, classify: 1.5 });
    const args = editArgs(rng, name, caseId, status, tag);
    if (mayDie && rng.chance(0.015)) {
      this.count('kill-mid-mutate');
      await d.mutateAndDie(name, args as never);
      return `${d.name} ${name} ${caseId.slice(0, 8)} (${status}) → killed after journaling`;
    }
    const seq = await d.mutate(name, args as never, schedule);
    return `${d.name} ${name} ${caseId.slice(0, 8)} (${status}${name === 'transition' ? ` ${String(args.action)} expecting ${String(args.expectedStatus)}` : ''}) → seq ${seq}`;
  }

  /**
   * Several things at once: syncs (the same workstation's too), edits on workstations and on the
   * server, so pushes, pulls and server transactions interleave and commit out of order.
   */
  private async storm(rng: Rng, caseIds: string[], tag: string, schedule: number): Promise<string> {
    const jobs: Promise<string>[] = [];
    for (let k = rng.int(2, 5); k > 0; k--) {
      const d = rng.pick(this.desktops);
      const caseId = rng.pick(caseIds);
      const what = rng.weighted({ sync: 5, edit: 4, server: 3 });
      if (what === 'sync') {
        const fault: SyncFault = rng.weighted({ none: 5, 'drop-push': 1, 'drop-pull': 1, 'dup-concurrent': 1, 'dup-sequential': 1 });
        jobs.push(d.sync(fault, rng).then((r) => `${d.name} sync [${fault}]: ${r}`));
      } else if (what === 'edit') {
        const local = await d.engine.db.selectFrom('cases').select('status').where('id', '=', caseId).executeTakeFirst();
        const status = (local?.status ?? 'received') as CaseState;
        const name = rng.weighted<EditName>({ addNote: 4, updateCaseFields: 3, transition: 4, setAssessment: 1, proposeRemedy: 1, classify: 1 });
        const args = editArgs(rng, name, caseId, status, `${tag}.s${k}`);
        jobs.push(d.mutate(name, args as never, schedule).then((seq) => `${d.name} ${name} ${caseId.slice(0, 8)} → seq ${seq}`));
      } else jobs.push(this.serverEdit(rng, caseId, `${tag}.s${k}`));
    }
    const settled = await Promise.allSettled(jobs);
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    return `storm: ${settled.map((r) => (r as PromiseFulfilledResult<string>).value).join(' ‖ ')}`;
  }

  private longTransaction: { steps: number; end: () => void; done: Promise<unknown> } | null = null;

  /**
   * Another server job (a report, an import) holds a transaction with an xid open for a few steps:
   * every pull's horizon stays below it meanwhile, so rows committed after it do not travel yet.
   */
  private async holdLongTransaction(rng: Rng): Promise<string> {
    if (this.longTransaction) return 'a long transaction is already open';
    let end!: () => void;
    const released = new Promise<void>((resolve) => (end = resolve));
    let started!: () => void;
    const began = new Promise<void>((resolve) => (started = resolve));
    const done = this.server.db
      .transaction()
      .execute(async (trx) => {
        await sql`select pg_current_xact_id()`.execute(trx);
        started();
        await released;
      })
      .catch((error: unknown) => error);
    await Promise.race([began, done]);
    // Other test files share this Postgres (and its horizon): never hold it back for long.
    setTimeout(end, 2_000).unref();
    this.longTransaction = { steps: rng.int(1, 6), end, done };
    return 'a long server transaction begins';
  }

  private async endLongTransaction(): Promise<string> {
    const t = this.longTransaction;
    this.longTransaction = null;
    if (!t) return '';
    t.end();
    const error = await t.done;
    if (error) throw error;
    return 'the long server transaction ends';
  }

  /**
   * An administrator adds a user to a team or takes them out of it: what the user may see changes,
   * so their workstations' next pull starts over (a scope reset) from the beginning of the log.
   */
  private async toggleTeam(user: HarnessUser, teamId: string): Promise<string> {
    const db = this.server.db;
    if (user.teamIds.includes(teamId)) {
      await db.deleteFrom('team_members').where('team_id', '=', teamId).where('user_id', '=', user.id).execute();
      user.teamIds = user.teamIds.filter((t) => t !== teamId);
      return `${user.key} leaves the other team`;
    }
    await db.insertInto('team_members').values({ team_id: teamId, user_id: user.id }).execute();
    user.teamIds = [...user.teamIds, teamId];
    return `${user.key} joins the other team`;
  }

  /** A fresh case of team T, taken in through the API, optionally moved along its lifecycle. */
  private async newCase(rng: Rng, tag: string): Promise<string> {
    const c = await this.server.client(this.intakeToken).cases.create.mutate({
      externalRef: `harness-${tag}-${crypto.randomUUID()}`,
      channel: 'live_chat',
      complainant: { exchangeUid: `uid-${tag.replace(/[^A-Za-z0-9_-]/g, '-')}`, vipLevel: rng.int(0, 3), language: 'en' },
      category: 'trade',
      subcategory: 'slippage',
      description: `Harness case ${tag}`,
      amounts: [{ asset: 'USDT', amount: '1200.5' }],
      occurredAt: '2026-03-01T12:00:00Z',
    });
    const preset: [string, () => Promise<unknown>][] = [
      ['start_review', () => this.supervisor.cases.transition.mutate({ caseId: c.id, action: 'start_review', expectedStatus: 'received' })],
      ['classify', () => this.supervisor.cases.classify.mutate({ caseId: c.id, category: 'trade', subcategory: 'slippage', tier: 'L2', priority: 'normal' })],
      ['accept', () => this.supervisor.cases.transition.mutate({ caseId: c.id, action: 'accept', expectedStatus: 'initial_review' })],
      ['complete_investigation', () => this.supervisor.cases.transition.mutate({ caseId: c.id, action: 'complete_investigation', expectedStatus: 'investigation' })],
    ];
    const depth = rng.pick([0, 0, 1, 2, 3, 4]);
    for (const [, step] of preset.slice(0, depth)) await step();
    return c.id;
  }

  /**
   * Runs one schedule: fresh cases, 5–15 random steps, then everyone online and synced until
   * quiet, then the checks. Never throws for a failed check: the problems come back with the seed.
   */
  async runSchedule(seed: number, options: { minSteps?: number; maxSteps?: number; deadlineMs?: number } = {}): Promise<ScheduleResult> {
    const t0 = Date.now();
    const rng = new Rng(seed);
    const schedule = ++this.schedules;
    const steps: string[] = [];
    const problems: string[] = [];
    const deadline = t0 + (options.deadlineMs ?? 60_000);
    try {
      const caseIds: string[] = [];
      for (let i = rng.int(1, 2); i > 0; i--) caseIds.push(await this.newCase(rng, `${seed}-c${i}`));
      steps.push(`cases ${caseIds.map((c) => c.slice(0, 8)).join(', ')}`);
      for (const d of this.desktops) if (rng.chance(0.8)) steps.push(`${d.name} initial sync: ${await d.sync('none', rng)}`);

      const count = rng.int(options.minSteps ?? 5, options.maxSteps ?? 15);
      for (let i = 0; i < count && Date.now() < deadline; i++) {
        const tag = `${seed}.${i}`;
        const stepStart = Date.now();
        const before = steps.length;
        const d = rng.pick(this.desktops);
        const caseId = rng.pick(caseIds);
        const kind = rng.weighted({ edit: 38, server: 13, offline: 8, online: 6, sync: 24, restart: 3, restartDuringSync: 2, burst: 3, storm: 5, scope: this.scopeWeight, longTransaction: 3 });
        this.count(kind);
        switch (kind) {
          case 'edit':
            steps.push(await this.desktopEdit(rng, d, caseId, tag, schedule));
            break;
          case 'burst':
            // Several edits in a row by one user, offline or not: a queue of dependent mutations.
            for (let k = rng.int(2, 4); k > 0; k--) steps.push(await this.desktopEdit(rng, d, rng.pick(caseIds), `${tag}.${k}`, schedule));
            break;
          case 'server':
            steps.push(await this.serverEdit(rng, caseId, tag));
            break;
          case 'storm':
            steps.push(await this.storm(rng, caseIds, tag, schedule));
            break;
          case 'longTransaction':
            steps.push(await this.holdLongTransaction(rng));
            break;
          case 'scope':
            steps.push(await this.toggleTeam(this.server.users.specialistB, this.server.otherTeamId));
            break;
          case 'offline':
            d.network.offline = true;
            steps.push(`${d.name} offline`);
            break;
          case 'online':
            d.network.offline = false;
            steps.push(`${d.name} online`);
            break;
          case 'sync': {
            const fault = rng.weighted({
              none: 40,
              'drop-push': 14,
              'drop-pull': 8,
              'dup-concurrent': 12,
              'dup-sequential': 10,
              'kill-before-send': 2,
              'kill-after-commit': 3,
              'kill-mid-outcomes': 2,
            });
            this.count(fault);
            if (fault.startsWith('kill-')) {
              // A kill during a push needs a push: something to send, and a network to send it on.
              d.network.offline = false;
              if ((await d.engine.pendingMutations()).length === 0)
                for (let k = rng.int(1, 3); k > 0; k--) steps.push(await this.desktopEdit(rng, d, rng.pick(caseIds), `${tag}.k${k}`, schedule, false));
            }
            steps.push(`${d.name} sync [${fault}]: ${await d.sync(fault, rng)}`);
            break;
          }
          case 'restart':
            await this.server.restart();
            steps.push(`server restarted (${this.server.url})`);
            break;
          case 'restartDuringSync': {
            const running = d.sync('none', rng, { duringRestart: true }).then(
              (r) => ({ r }),
              (error: unknown) => ({ error }),
            );
            await sleep(rng.int(0, 15));
            await this.server.restart();
            const outcome = await running;
            if ('error' in outcome) throw outcome.error;
            steps.push(`${d.name} sync during a server restart: ${outcome.r}`);
            break;
          }
        }
        if (steps.length > before) steps[steps.length - 1] += ` [${Date.now() - stepStart} ms]`;
        if (this.longTransaction && --this.longTransaction.steps <= 0) steps.push(await this.endLongTransaction());
      }

      if (this.longTransaction) steps.push(await this.endLongTransaction());
      const settleStart = Date.now();
      steps.push(...(await this.settle(caseIds)), `settled [${Date.now() - settleStart} ms]`);
      const checkStart = Date.now();
      for (const d of this.desktops) problems.push(...(await convergenceProblems(this.server, d, caseIds)));
      problems.push(...(await exactlyOnceProblems(this.server, this.desktops, caseIds, schedule)));
      steps.push(`checked [${Date.now() - checkStart} ms]`);
      for (const d of this.desktops) {
        d.disagreements.push(...d.transport.disagreements.splice(0));
        if (d.disagreements.length) problems.push(`${d.name}: duplicated pushes answered differently: ${d.disagreements.splice(0).join('; ')}`);
        if (d.vanished.length) problems.push(`${d.name}: confirmed work vanished from the store after a sync: ${d.vanished.splice(0).join('; ')}`);
      }
    } catch (error) {
      problems.push(`schedule threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    } finally {
      if (this.longTransaction) await this.endLongTransaction().catch(() => undefined);
    }
    return { seed, steps, problems, ms: Date.now() - t0 };
  }

  /** Everyone online, no faults: push until nothing is pending, then pull past every transaction that had begun. */
  async settle(caseIds: string[]): Promise<string[]> {
    const log: string[] = [];
    const deadline = Date.now() + 30_000;
    for (const d of this.desktops) {
      d.network.offline = false;
      for (let i = 0; ; i++) {
        const r = await d.engine.push();
        if ((await d.engine.pendingMutations()).length === 0) {
          if (r.applied + r.rejected) log.push(`settle: ${d.name} pushed ${r.applied} applied, ${r.rejected} rejected`);
          break;
        }
        if (i >= 20 || Date.now() > deadline) throw new Error(`${d.name} could not push everything while settling`);
      }
    }
    // Other test files share this Postgres: a transaction of theirs still open holds the horizon back.
    const target = await this.server.horizon();
    for (const d of this.desktops) {
      for (let i = 0; ; i++) {
        await d.engine.pull();
        const cursor = await getMeta<string>(d.engine.db, 'cursor');
        if (cursor && BigInt(cursor.split(':')[0]!) >= target) break;
        if (i >= 500 || Date.now() > deadline) throw new Error(`${d.name} did not pull up to ${target} (cursor ${cursor}) for cases ${caseIds.join(', ')}`);
        await sleep(Math.min(200, 10 * (i + 1)));
      }
    }
    return log;
  }

  async close(): Promise<void> {
    for (const d of this.desktops) await d.close().catch(() => undefined);
  }
}

/** The failure report of a schedule: the seed to replay it with, its steps and what went wrong. */
export function describeFailure(r: ScheduleResult, replayHint: string): string {
  return [
    `schedule with seed ${r.seed} failed (replay: ${replayHint}=${r.seed})`,
    ...r.problems.map((p) => `  ✗ ${p}`),
    '  steps:',
    ...r.steps.map((s) => `    ${s}`),
  ].join('\n');
}
