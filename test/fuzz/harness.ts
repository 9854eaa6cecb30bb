// The world the fuzz tests run against: a real server on a real Postgres database of its own (as
// test/support/server.ts builds one), one session per role, and data worth hitting — cases in
// several states, exhibits of every kind, an arbitration and a mediation with the role's own
// arbitrator and mediator seated, a rendered dossier, a device, intake keys, an open upload. Known
// ids are offered to the generators by key name, so valid inputs reach the services, not only the
// "not found" answers.
//
// Differences from startTestServer, each for a reason:
// - tRPC is called in-process through createCaller (the same router, middlewares and context as
//   the HTTP adapter builds) for most cases, because it is several times faster; the property
//   tests send a share of their cases over real loopback HTTP too.
// - the dossier queue renders for real while the world is seeded, then holds new jobs (accepted,
//   never rendered): a render finishing in the background would write rows while a later, refused
//   request is being checked for writes.
// - the intake rate limit is raised so thousands of generated posts are judged by their content.
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { buildApp } from '../../server/src/http/app';
import { ChangeNotifier } from '../../server/src/sync/change-notifier';
import { evidenceDeps } from '../../server/src/evidence/store-from-config';
import { createDossierJobs } from '../../server/src/dossiers/start-dossier-jobs';
import type { DossierJobs, DossierQueue } from '../../server/src/dossiers/dossier-jobs';
import { appRouter } from '../../server/src/trpc/app-router';
import { createCallerFactory, type TrpcContext } from '../../server/src/trpc/trpc';
import { loadConfig, type ServerConfig } from '../../server/src/config';
import { createSession, resolveActor, tokenProblem } from '../../server/src/auth/session.service';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { seedRoleUsers, type TestUser } from '../support/server';
import { validComplaint } from '../support/intake';
import { outboxMails, setupToken } from '../support/mail';
import { demoArbitrationExhibits } from '../../server/src/demo/data/exhibits';
import { ROLES, type Role } from '../../shared/domain';

/** Who a generated request is sent as: each role, nobody, a session still owing its TOTP step, a made-up token. */
export const ACTORS = [...ROLES, 'anonymous', 'totp_pending', 'bogus_token'] as const;
export type FuzzActor = (typeof ACTORS)[number];

export const CSRF_HEADERS = { 'x-arbitra-csrf': '1' } as const;

export interface Snapshot {
  counts: Record<string, number>;
  head: { seq: number; hash: string } | null;
}

export interface InternalError {
  path: string;
  error: unknown;
}

const createCaller = createCallerFactory(appRouter);

export interface FuzzWorld {
  t: TestDatabase;
  app: FastifyInstance;
  url: string;
  config: ServerConfig;
  users: Record<Role, TestUser>;
  tokens: Record<FuzzActor, string | null>;
  teamId: string;
  /** Known ids by key name, offered to the generators. */
  pools: Record<string, string[]>;
  intakeKeys: { valid: string; revoked: string };
  /** Errors the server logged as internal while a caller ran (the tRPC error formatter's log). */
  internalErrors: InternalError[];
  caller(actor: FuzzActor, ip?: string): Promise<ReturnType<typeof createCaller>>;
  /** A fresh session for an actor whose session a generated call ended (logout). */
  renewSession(actor: FuzzActor): Promise<void>;
  snapshot(): Promise<Snapshot>;
  /** Audit actions appended after `seq`. */
  auditActionsAfter(seq: number): Promise<string[]>;
  close(): Promise<void>;
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

export async function startFuzzWorld(): Promise<FuzzWorld> {
  process.env.ARBITRA_INTAKE_RATE_LIMIT = '100000000/60';
  const t = await createTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'arbitra-fuzz-data-'));
  const config: ServerConfig = { ...loadConfig({ ARBITRA_LOG_LEVEL: 'silent', ARBITRA_DATA_DIR: dataDir }), port: 0 };
  const team = await t.db.insertInto('teams').values({ name: 'Trade disputes' }).returning('id').executeTakeFirstOrThrow();
  const other = await t.db.insertInto('teams').values({ name: 'Security incidents' }).returning('id').executeTakeFirstOrThrow();
  const spare = await t.db.insertInto('teams').values({ name: 'Spare team' }).returning('id').executeTakeFirstOrThrow();
  const users = await seedRoleUsers(t, team.id);
  const changes = new ChangeNotifier(t.url);
  await changes.start();
  const evidence = evidenceDeps(t.db, config);
  const jobs: DossierJobs = createDossierJobs({
    db: t.db,
    store: evidence.store,
    connectionString: t.url,
    dataDir,
    supervise: false,
    pollingIntervalSeconds: 1,
    retryDelaySeconds: 1,
    stopTimeoutMs: 5_000,
  });
  let live = true;
  const queue: DossierQueue = {
    enqueue: (trx, dossierId) => (live ? jobs.enqueue(trx, dossierId) : Promise.resolve()),
    wake: () => {
      if (live) jobs.wake();
    },
  };
  const app = await buildApp({ db: t.db, config, changes, evidence, dossierQueue: queue });
  await jobs.start();
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

  const internalErrors: InternalError[] = [];
  const tokens = {} as Record<FuzzActor, string | null>;
  const sessionFor = async (actor: FuzzActor): Promise<string | null> => {
    if (actor === 'anonymous') return null;
    if (actor === 'bogus_token') return `bogus-${randomUUID()}`;
    if (actor === 'totp_pending') return (await createSession(t.db, { userId: users.admin.id, kind: 'browser', totpVerified: false, ip: '127.0.0.1', userAgent: 'fuzz' })).token;
    return (await createSession(t.db, { userId: users[actor].id, kind: 'browser', totpVerified: true, ip: '127.0.0.1', userAgent: 'fuzz' })).token;
  };
  for (const actor of ACTORS) tokens[actor] = await sessionFor(actor);

  let requestCounter = 0;
  const contextFor = async (token: string | null, ip: string): Promise<TrpcContext> => {
    const actor = await resolveActor(t.db, token);
    const requestId = `fuzz-${++requestCounter}`;
    return {
      db: t.db,
      config,
      actor,
      authProblem: actor ? null : await tokenProblem(t.db, token),
      meta: { requestId, ip, userAgent: 'arbitra-fuzz', language: 'en' },
      log: { error: (obj: unknown) => internalErrors.push({ path: requestId, error: obj }) },
      changes: null,
      dossierQueue: queue,
      setSessionCookie: () => {},
    };
  };
  const caller = async (actor: FuzzActor, ip = '127.0.0.1') => createCaller(await contextFor(tokens[actor], ip));

  // ---- Seed ----------------------------------------------------------------------------------
  const as = (actor: FuzzActor) => caller(actor);
  const specialist = await as('specialist');
  const legal = await as('legal');
  const supervisor = await as('supervisor');
  const admin = await as('admin');

  const upload = async (caseId: string, f: { fileName: string; side?: string; source: string; type?: string; internalOnly?: boolean; bytes: Uint8Array }) => {
    const q = new URLSearchParams({ fileName: f.fileName, side: f.side ?? 'complainant', source: f.source, ...(f.type ? { type: f.type } : {}), ...(f.internalOnly ? { internalOnly: 'true' } : {}) });
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/cases/${caseId}/exhibits?${q}`,
      headers: { authorization: `Bearer ${tokens.specialist}`, 'content-type': 'application/octet-stream', 'x-sha256': sha256(f.bytes), ...CSRF_HEADERS },
      payload: Buffer.from(f.bytes),
    });
    if (res.statusCode !== 201) throw new Error(`seeding an exhibit failed: ${res.statusCode} ${res.body.slice(0, 300)}`);
    return (res.json() as { id: string }).id;
  };
  const move = async (client: typeof specialist, caseId: string, action: string, extra: Record<string, unknown> = {}) => {
    const { status } = await specialist.cases.get({ caseId });
    await client.cases.transition({ caseId, action, expectedStatus: status, ...extra } as Parameters<typeof specialist.cases.transition>[0]);
  };
  const newCase = async (uid: string) => (await specialist.cases.create(validComplaint({ category: 'trade', subcategory: 'slippage', complainant: { exchangeUid: uid, name: '陈静', email: `${uid}@mail.example.com`, phone: '+65 8123 4567', vipLevel: 2, language: 'zh-CN', region: 'SG' } }) as never)).id;

  const received = await newCase('fuzz-received');
  const investigated = await newCase('fuzz-investigation');
  await move(specialist, investigated, 'start_review');
  await specialist.cases.classify({ caseId: investigated, category: 'trade', subcategory: 'slippage', tier: 'L2', priority: 'high' });
  await move(specialist, investigated, 'accept');
  const exhibitIds: string[] = [];
  for (const f of demoArbitrationExhibits({ occurredAt: new Date('2026-03-01T12:00:00Z') })) exhibitIds.push(await upload(investigated, f));
  const note = await specialist.cases.addNote({ caseId: investigated, body: '插针保护触发延迟 2 秒。' });
  const consultation = await specialist.cases.addConsultation({ caseId: investigated, team: 'technical', question: 'When did the spike protection engage?' });

  // An arbitration with the role's arbitrator as sole arbitrator, and a mediation with the role's mediator.
  const escalated = async (uid: string, to: 'arbitration' | 'mediation') => {
    const caseId = await newCase(uid);
    await move(specialist, caseId, 'start_review');
    await specialist.cases.classify({ caseId, category: 'trade', subcategory: 'slippage', tier: 'L2', priority: 'normal' });
    await move(specialist, caseId, 'accept');
    await move(specialist, caseId, 'complete_investigation');
    await specialist.cases.setAssessment({ caseId, platformShare: '50', userShare: '50', thirdPartyShare: '0', findings: 'Shared responsibility.' });
    const remedy = await specialist.cases.proposeRemedy({ caseId, kind: 'compensation', asset: 'BTC', amount: '0.01', details: 'Half the slippage.' });
    if (to === 'mediation') await move(legal, caseId, 'escalate_mediation', { reason: 'Both sides agree to mediation.' });
    else {
      await move(specialist, caseId, 'propose_resolution');
      await move(legal, caseId, 'escalate_arbitration', { reason: 'The complainant invokes the arbitration clause.', panelSize: 1 });
    }
    const escalationId = (await legal.escalations.forCase({ caseId })).find((e) => e.status === 'open')!.id;
    const member = await legal.escalations.assignMember({ escalationId, userId: users[to === 'arbitration' ? 'arbitrator' : 'mediator'].id, seat: to === 'arbitration' ? 'chair' : null });
    const neutral = await as(to === 'arbitration' ? 'arbitrator' : 'mediator');
    await neutral.escalations.disclose({ memberId: member.id, disclosure: 'No conflicts with either party.' });
    await neutral.escalations.answerSeat({ memberId: member.id, answer: 'accept' });
    return { caseId, escalationId, memberId: member.id, remedyId: (remedy as { id: string }).id, neutral };
  };
  const arbitration = await escalated('fuzz-arbitration', 'arbitration');
  const mediation = await escalated('fuzz-mediation', 'mediation');
  const ruling = await arbitration.neutral.escalations.recordRuling({ escalationId: arbitration.escalationId, kind: 'award', text: 'Award: the exchange pays 0.005 BTC.' });

  // A dossier rendered for real, then the queue holds further jobs.
  const dossier = await legal.dossiers.request({ caseId: investigated, language: 'en' });
  const deadline = Date.now() + 90_000;
  for (;;) {
    const status = await legal.dossiers.status({ dossierId: dossier.id });
    if (status.status === 'done') break;
    if (status.status === 'failed' || Date.now() > deadline) throw new Error(`seeding a dossier failed: ${JSON.stringify(status)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  await jobs.stop();
  live = false;

  const device = await specialist.sync.registerDevice({ name: 'Fuzz laptop', platform: 'linux' });
  const validKey = await admin.admin.createIntakeKey({ name: 'fuzz intake', defaultTeamId: team.id });
  const revokedKey = await admin.admin.createIntakeKey({ name: 'fuzz revoked' });
  await admin.admin.revokeIntakeKey({ id: revokedKey.intakeKey.id });
  await supervisor.cases.list({});
  // An open invitation, so the members.* generators reach a real one (its link's token from the outbox mail).
  const invitation = await legal.members.invite({ email: 'fuzz.invitee@lawfirm.example', role: 'arbitrator', language: 'zh-CN' });
  const invitationToken = setupToken(outboxMails(dataDir).at(-1)!);

  // Users an admin's generated calls may disable or re-role without taking the test's own sessions away.
  const victims: string[] = [];
  for (const role of ROLES) {
    const row = await t.db
      .insertInto('users')
      .values({ email: `victim.${role}@example.test`, display_name: `Victim ${role}`, role, password_hash: 'not-used' })
      .returning('id')
      .executeTakeFirstOrThrow();
    victims.push(row.id);
  }
  // An upload begun and left open, for HEAD/PATCH.
  const begun = await app.inject({
    method: 'POST',
    url: '/api/v1/uploads',
    headers: { authorization: `Bearer ${tokens.specialist}`, 'content-type': 'application/json', ...CSRF_HEADERS },
    payload: { caseId: investigated, fileName: 'partial.csv', size: 64, sha256: sha256(new Uint8Array(64)), side: 'platform', source: 'risk_system', type: 'activity_log' },
  });
  if (begun.statusCode !== 201) throw new Error(`seeding an upload failed: ${begun.statusCode} ${begun.body}`);
  const uploadId = (begun.json() as { uploadId: string }).uploadId;

  const ids = async (table: string, column = 'id') => (await sql<{ id: string }>`select ${sql.ref(column)}::text as id from ${sql.table(table)}`.execute(t.db)).rows.map((r) => r.id);
  const caseIds = await ids('cases');
  const pools: Record<string, string[]> = {
    caseId: caseIds,
    exhibitId: exhibitIds,
    escalationId: [arbitration.escalationId, mediation.escalationId],
    memberId: [arbitration.memberId, mediation.memberId],
    rulingId: [ruling.id],
    remedyId: [arbitration.remedyId, mediation.remedyId],
    consultationId: [consultation.id],
    noteId: [note.id],
    dossierId: [dossier.id],
    deviceId: [device.deviceId],
    uploadId: [uploadId],
    userId: [...victims, users.arbitrator.id, users.mediator.id],
    assigneeId: [users.specialist.id, users.supervisor.id, ...victims],
    teamId: [other.id, spare.id],
    defaultTeamId: [other.id, spare.id],
    userIds: [...victims],
    id: [revokedKey.intakeKey.id, validKey.intakeKey.id],
    invitationId: [invitation.id],
    token: [invitationToken],
  };
  const seededCases = { received, investigated, arbitration: arbitration.caseId, mediation: mediation.caseId };
  void seededCases;

  const tables = (await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`.execute(t.db)).rows.map((r) => r.name);
  const countsQuery = `select json_build_object(${tables.map((name) => `'${name}', (select count(*) from "${name}")`).join(', ')}) as counts,
    (select json_build_object('seq', seq, 'hash', hash) from audit_log order by seq desc limit 1) as head`;

  const world: FuzzWorld = {
    t,
    app,
    url,
    config,
    users,
    tokens,
    teamId: team.id,
    pools,
    intakeKeys: { valid: validKey.key, revoked: revokedKey.key },
    internalErrors,
    caller,
    async renewSession(actor) {
      tokens[actor] = await sessionFor(actor);
    },
    async snapshot() {
      const row = (await sql.raw<{ counts: Record<string, number | string>; head: { seq: number | string; hash: string } | null }>(countsQuery).execute(t.db)).rows[0]!;
      return {
        counts: Object.fromEntries(Object.entries(row.counts).map(([k, v]) => [k, Number(v)])),
        head: row.head ? { seq: Number(row.head.seq), hash: row.head.hash } : null,
      };
    },
    async auditActionsAfter(seq) {
      return (await sql<{ action: string }>`select action from audit_log where seq > ${seq} order by seq`.execute(t.db)).rows.map((r) => r.action);
    },
    async close() {
      await app.close();
      await jobs.stop();
      await changes.stop();
      await t.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return world;
}

/** What changed between two snapshots: tables whose row count moved, and whether the audit head moved. */
export function snapshotDiff(before: Snapshot, after: Snapshot): { tables: Record<string, number>; headMoved: boolean } {
  const tables: Record<string, number> = {};
  for (const [name, n] of Object.entries(after.counts)) if (n !== (before.counts[name] ?? 0)) tables[name] = n - (before.counts[name] ?? 0);
  for (const name of Object.keys(before.counts)) if (!(name in after.counts)) tables[name] = -before.counts[name]!;
  const headMoved = JSON.stringify(before.head) !== JSON.stringify(after.head);
  return { tables, headMoved };
}

/**
 * Writes a refused request may make by design: a failed sign-in (or password or TOTP check) is recorded as
 * an attempt and on the audit chain, so guessing is throttled and seen; an upload refused for its
 * bytes (hash mismatch, type not allowed) stays on the audit chain as started and refused
 * (evidence/upload.service.ts: "The refusal stays on the audit chain"), with no upload row or file
 * left. Anything else is a finding.
 */
export const DESIGNED_REFUSAL_WRITES: Record<string, { tables: readonly string[]; auditActions: readonly string[] }> = {
  'auth.login': { tables: ['login_attempts', 'audit_log'], auditActions: ['session.login_failed'] },
  'auth.changePassword': { tables: ['login_attempts', 'audit_log'], auditActions: ['user.password_change_failed'] },
  'members.regenerateRecoveryCodes': { tables: ['login_attempts', 'audit_log'], auditActions: ['member.recovery_codes_refused'] },
  'POST /api/v1/cases/:caseId/exhibits': { tables: ['audit_log'], auditActions: ['evidence.upload_started', 'evidence.upload_refused'] },
  'PATCH /api/v1/uploads/:uploadId': { tables: ['audit_log'], auditActions: ['evidence.upload_refused'] },
};
