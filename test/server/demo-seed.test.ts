// The demo organisation a new database starts with: seeded through the services, on real Postgres.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { seedDemo, type SeedDemoResult } from '../../server/src/demo/seed';
import { verifyPassword } from '../../server/src/auth/password';
import { verifyAuditChain } from '../../server/src/audit/audit.service';
import { findIntakeKey } from '../../server/src/admin/admin.service';
import { CASE_STATES, CATEGORIES, CATEGORY_NAMES, CHANNELS, PANEL_SEATS, ROLES, TIERS, TOTP_REQUIRED_ROLES } from '../../shared/domain';
import { Money } from '../../shared/money';
import { verifyRulingSignature } from '../../shared/rulings';

let t: TestDatabase;
let dataDir: string;
let result: SeedDemoResult;
const logged: string[] = [];
const now = new Date();

beforeAll(async () => {
  t = await createTestDatabase();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'arbitra-demo-seed-'));
  result = await seedDemo(t.db, { dataDir, now, log: (line) => logged.push(line) });
}, 120_000);

afterAll(async () => {
  await t.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const CJK = /[\u4e00-\u9fff]/;

describe('demo seed on a new database', () => {
  it('creates at least 40 cases covering every category, subcategory, channel, tier and state', async () => {
    const cases = await t.db.selectFrom('cases').select(['category', 'subcategory', 'channel', 'tier', 'status', 'language', 'description']).execute();
    expect(result.cases).toBe(cases.length);
    expect(result.alreadySeeded).toBe(false);
    expect(cases.length).toBeGreaterThanOrEqual(40);
    const has = (key: 'category' | 'subcategory' | 'channel' | 'tier' | 'status') => new Set(cases.map((c) => c[key]));
    expect([...has('category')].sort()).toEqual([...CATEGORY_NAMES].sort());
    expect([...has('subcategory')].sort()).toEqual(Object.values(CATEGORIES).flat().sort());
    expect([...has('channel')].sort()).toEqual([...CHANNELS].sort());
    expect([...has('tier')].sort()).toEqual([...TIERS].sort());
    expect([...has('status')].sort()).toEqual([...CASE_STATES].sort());
    // Descriptions in both languages, each matching the complainant's language.
    const zh = cases.filter((c) => c.language === 'zh-CN');
    const en = cases.filter((c) => c.language === 'en');
    expect(zh.length).toBeGreaterThanOrEqual(10);
    expect(en.length).toBeGreaterThanOrEqual(10);
    expect(zh.every((c) => CJK.test(c.description))).toBe(true);
    expect(en.every((c) => !CJK.test(c.description))).toBe(true);
  });

  it('stores amounts in several assets exactly, 18 fraction digits included', async () => {
    const amounts = await t.db.selectFrom('case_amounts').select(['asset', 'amount']).execute();
    expect(new Set(amounts.map((a) => a.asset))).toEqual(new Set(['BTC', 'ETH', 'USDT', 'USDC', 'SOL', 'TRX', 'BNB']));
    const exact = amounts.filter((a) => a.asset === 'ETH').map((a) => new Money(a.amount).toFixed());
    expect(exact).toContain('1.234567890123456789');
    expect(exact).toContain('0.753124876512309871');
    expect(amounts.some((a) => a.asset === 'BTC' && new Money(a.amount).equals(new Money('3.5')))).toBe(true);
    const remedy = await t.db.selectFrom('remedies').select('amount').where('asset', '=', 'ETH').executeTakeFirstOrThrow();
    expect(new Money(remedy.amount!).toFixed()).toBe('0.753124876512309871');
  });

  it('leaves the work a real case has: timeline, approvals, objections, escalations, recusal, satisfaction', async () => {
    const count = async (table: 'notes' | 'consultations' | 'communications' | 'objections' | 'handler_relations') =>
      Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    expect(await count('notes')).toBeGreaterThan(5);
    expect(await count('communications')).toBeGreaterThan(5);
    expect(await count('objections')).toBeGreaterThanOrEqual(2);
    expect(await count('handler_relations')).toBeGreaterThanOrEqual(1);
    const answered = await t.db.selectFrom('consultations').select('id').where('answer', 'is not', null).execute();
    expect(answered.length).toBeGreaterThan(5);

    // Every case has its received event; worked cases have more.
    const noReceived = await t.db
      .selectFrom('cases')
      .select('id')
      .where((eb) => eb.not(eb.exists(eb.selectFrom('case_events').select('id').whereRef('case_events.case_id', '=', 'cases.id').where('type', '=', 'case.received'))))
      .execute();
    expect(noReceived).toEqual([]);
    expect(Number((await t.db.selectFrom('case_events').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n)).toBeGreaterThan(300);
    expect(await t.db.selectFrom('case_events').select('id').where('type', '=', 'case.recused').executeTakeFirst()).toBeDefined();

    // Pending approval: requested by a specialist, undecided, above the threshold.
    const pending = await t.db
      .selectFrom('approvals')
      .innerJoin('cases', 'cases.id', 'approvals.case_id')
      .innerJoin('users', 'users.id', 'approvals.requested_by')
      .select(['approvals.usd_total', 'approvals.threshold_usd', 'users.role', 'approvals.decision'])
      .where('cases.status', '=', 'pending_approval')
      .execute();
    expect(pending.length).toBeGreaterThanOrEqual(1);
    for (const p of pending) {
      expect(p.role).toBe('specialist');
      expect(p.decision).toBeNull();
      expect(new Money(p.usd_total).greaterThan(new Money(p.threshold_usd))).toBe(true);
    }
    // Granted approvals were decided by someone other than who asked.
    const decided = await t.db.selectFrom('approvals').select(['requested_by', 'decided_by', 'decision']).where('decision', 'is not', null).execute();
    expect(decided.map((d) => d.decision).sort()).toEqual(expect.arrayContaining(['approved', 'declined']));
    expect(decided.every((d) => d.decided_by !== d.requested_by)).toBe(true);

    // Closed and archived-from-closed cases carry a satisfaction score.
    const closed = await t.db.selectFrom('cases').select(['satisfaction_score']).where('status', '=', 'closed').execute();
    expect(closed.length).toBeGreaterThan(0);
    expect(closed.every((c) => c.satisfaction_score !== null)).toBe(true);

    // A mediation that failed went on to arbitration, before a panel of three that ruled.
    const impasse = await t.db.selectFrom('escalations').select(['case_id']).where('kind', '=', 'mediation').where('outcome', '=', 'impasse').execute();
    expect(impasse.length).toBe(1);
    const arbitration = await t.db.selectFrom('escalations').select(['panel_size', 'status', 'outcome']).where('case_id', '=', impasse[0]!.case_id).where('kind', '=', 'arbitration').executeTakeFirstOrThrow();
    expect(arbitration).toMatchObject({ panel_size: 3, status: 'closed', outcome: 'ruled' });
  });

  it('runs a three-member arbitration to a signed award with a dissent and an addendum, through the services', async () => {
    const esc = await t.db
      .selectFrom('escalations')
      .innerJoin('cases', 'cases.id', 'escalations.case_id')
      .select(['escalations.id', 'escalations.case_id', 'cases.status', 'cases.language'])
      .where('escalations.kind', '=', 'arbitration')
      .where('escalations.panel_size', '=', 3)
      .executeTakeFirstOrThrow();
    // The award moved the case on through the lifecycle: arbitration → execution.
    expect(esc.status).toBe('execution');
    const members = await t.db
      .selectFrom('escalation_members')
      .innerJoin('users', 'users.id', 'escalation_members.user_id')
      .select(['escalation_members.seat', 'escalation_members.disclosure', 'escalation_members.disclosed_at', 'escalation_members.accepted_at', 'users.role'])
      .where('escalation_id', '=', esc.id)
      .execute();
    expect(members.map((m) => m.seat).sort()).toEqual([...PANEL_SEATS].sort());
    for (const m of members) {
      expect(m.role).toBe('arbitrator');
      expect(m.disclosure!.length).toBeGreaterThan(10);
      expect(m.accepted_at!.getTime()).toBeGreaterThanOrEqual(m.disclosed_at!.getTime());
    }
    const ruling = await t.db.selectFrom('rulings').selectAll().where('escalation_id', '=', esc.id).executeTakeFirstOrThrow();
    expect(ruling.kind).toBe('award');
    expect(CJK.test(ruling.text) && /Award:/.test(ruling.text)).toBe(true);
    const signatures = await t.db.selectFrom('ruling_signatures').selectAll().where('ruling_id', '=', ruling.id).execute();
    expect(signatures).toHaveLength(3);
    for (const s of signatures) expect(verifyRulingSignature({ rulingId: ruling.id, rulingText: ruling.text, signerId: s.signer_id, signedAt: s.signed_at, signatureHash: s.signature_hash })).toBe(true);
    const opinions = await t.db.selectFrom('ruling_opinions').select(['kind']).where('ruling_id', '=', ruling.id).execute();
    expect(opinions.map((o) => o.kind).sort()).toEqual(['addendum', 'dissent']);
    const timeline = (await t.db.selectFrom('case_events').select('type').where('case_id', '=', esc.case_id).execute()).map((e) => e.type);
    expect(timeline).toEqual(expect.arrayContaining(['escalation.member_assigned', 'escalation.disclosure_recorded', 'escalation.member_accepted', 'ruling.recorded', 'ruling.signed', 'ruling.opinion_added']));

    // Its exhibits: every kind the vault understands, taken in through the evidence service.
    const exhibits = await t.db.selectFrom('exhibits').select(['id', 'type', 'media_type', 'parse_status', 'internal_only', 'metadata', 'record_count']).where('case_id', '=', esc.case_id).execute();
    expect(new Set(exhibits.map((e) => e.type))).toEqual(new Set(['chat_transcript', 'order_history', 'activity_log', 'onchain_reference', 'image']));
    expect(exhibits.filter((e) => e.type === 'chat_transcript').map((e) => (e.metadata as { format: string }).format).sort()).toEqual(['json', 'text']);
    expect(exhibits.find((e) => e.type === 'image')).toMatchObject({ media_type: 'image/png', parse_status: 'not_applicable' });
    for (const e of exhibits.filter((x) => x.type !== 'image')) expect([e.type, e.parse_status, e.record_count > 0]).toEqual([e.type, 'parsed', true]);
    expect(exhibits.filter((e) => e.internal_only)).toHaveLength(1);
    // Each intake is on the custody trail, and its synced copy.
    const custody = await t.db.selectFrom('custody_entries').select(['exhibit_id', 'action']).where('case_id', '=', esc.case_id).execute();
    for (const e of exhibits) expect(custody).toContainEqual({ exhibit_id: e.id, action: 'custody.intake' });
    expect(fs.readdirSync(path.join(dataDir, 'evidence', 'blobs')).length).toBeGreaterThan(0);
  });

  it('leaves one seat for the demo arbitrator to disclose and answer in the portal', async () => {
    const open = await t.db
      .selectFrom('escalation_members')
      .innerJoin('users', 'users.id', 'escalation_members.user_id')
      .innerJoin('escalations', 'escalations.id', 'escalation_members.escalation_id')
      .select(['users.email', 'escalation_members.disclosed_at', 'escalation_members.accepted_at', 'escalations.status', 'escalations.panel_size'])
      .where('escalation_members.disclosed_at', 'is', null)
      .execute();
    expect(open).toEqual([{ email: expect.stringMatching(/^helen\.lau\.arbitrator@/), disclosed_at: null, accepted_at: null, status: 'open', panel_size: 1 }]);
  });

  it('ends a mediation in a settlement the seated mediator recorded and signed', async () => {
    const settled = await t.db
      .selectFrom('rulings')
      .innerJoin('escalations', 'escalations.id', 'rulings.escalation_id')
      .select(['rulings.id', 'rulings.text', 'rulings.recorded_by', 'escalations.kind', 'escalations.outcome', 'escalations.case_id'])
      .where('rulings.kind', '=', 'settlement')
      .execute();
    expect(settled).toHaveLength(1);
    expect(settled[0]).toMatchObject({ kind: 'mediation', outcome: 'settled' });
    const mediator = await t.db.selectFrom('users').select(['id', 'role']).where('id', '=', settled[0]!.recorded_by).executeTakeFirstOrThrow();
    expect(mediator.role).toBe('mediator');
    const seat = await t.db.selectFrom('escalation_members').selectAll().where('case_id', '=', settled[0]!.case_id).executeTakeFirstOrThrow();
    expect(seat).toMatchObject({ user_id: mediator.id, role: 'mediator', seat: null });
    expect(seat.accepted_at).not.toBeNull();
    const signatures = await t.db.selectFrom('ruling_signatures').select('signer_id').where('ruling_id', '=', settled[0]!.id).execute();
    expect(signatures.map((s) => s.signer_id)).toEqual([mediator.id]);
  });

  it('spreads received times so some SLA deadlines are breached and some are due soon', async () => {
    const open = await t.db
      .selectFrom('cases')
      .select(['received_at', 'first_response_due_at', 'resolution_due_at', 'first_responded_at'])
      .where('sla_paused_at', 'is', null)
      .where('resolved_at', 'is', null)
      .execute();
    const received = (await t.db.selectFrom('cases').select('received_at').execute()).map((c) => c.received_at.getTime());
    expect(Math.max(...received) - Math.min(...received)).toBeGreaterThan(14 * 24 * 3600_000);
    const dueAt = (c: (typeof open)[number]) => (c.first_responded_at === null ? Math.min(c.first_response_due_at.getTime(), c.resolution_due_at.getTime()) : c.resolution_due_at.getTime());
    const t0 = Date.now();
    expect(open.some((c) => dueAt(c) <= t0)).toBe(true);
    expect(open.some((c) => dueAt(c) > t0 && dueAt(c) <= t0 + 60 * 60_000)).toBe(true);
  });

  it('creates one user per role with an argon2id password, TOTP enrolled where required', async () => {
    expect(new Set(result.users.map((u) => u.role))).toEqual(new Set(ROLES));
    const rows = await t.db.selectFrom('users').select(['email', 'role', 'password_hash', 'totp_secret', 'totp_enabled_at', 'display_name', 'language']).execute();
    expect(rows.length).toBe(result.users.length);
    expect(new Set(rows.map((r) => r.language))).toEqual(new Set(['en', 'zh-CN']));
    for (const u of result.users) {
      const row = rows.find((r) => r.email === u.email)!;
      expect(row.role).toBe(u.role);
      expect(u.password.length).toBeGreaterThanOrEqual(16);
      expect(row.password_hash.startsWith('$argon2id$')).toBe(true);
      expect(await verifyPassword(row.password_hash, u.password)).toBe(true);
      if (TOTP_REQUIRED_ROLES.includes(u.role)) {
        expect(u.totpSecret).toBeTruthy();
        expect(row.totp_secret).toBe(u.totpSecret);
        expect(row.totp_enabled_at).not.toBeNull();
      } else {
        expect(u.totpSecret).toBeUndefined();
        expect(row.totp_secret).toBeNull();
      }
    }
    const supervisor = rows.find((r) => r.role === 'supervisor')!;
    const supervisorTeams = await t.db
      .selectFrom('team_members')
      .innerJoin('users', 'users.id', 'team_members.user_id')
      .select('team_id')
      .where('users.email', '=', supervisor.email)
      .execute();
    const teams = await t.db.selectFrom('teams').select('id').execute();
    expect(teams.length).toBeGreaterThanOrEqual(3);
    expect(supervisorTeams.length).toBe(teams.length);
  });

  it('makes a working intake key defaulting to the trade team', async () => {
    expect(result.intakeKey).toMatch(/^arb_[0-9a-f]+_[A-Za-z0-9_-]+$/);
    // The same lookup the intake route authenticates with.
    const key = await findIntakeKey(t.db, result.intakeKey);
    expect(key).not.toBeNull();
    const team = await t.db.selectFrom('teams').select('name').where('id', '=', key!.default_team_id!).executeTakeFirstOrThrow();
    expect(team.name).toMatch(/Trade/);
  });

  it('writes every credential, once, to an owner-only file and the log', () => {
    expect(result.credentialsFile).toBe(path.join(dataDir, 'demo-credentials.txt'));
    const stat = fs.statSync(result.credentialsFile);
    expect(stat.mode & 0o777).toBe(0o600);
    const text = fs.readFileSync(result.credentialsFile, 'utf8');
    const log = logged.join('\n');
    for (const u of result.users) {
      for (const where of [text, log]) {
        expect(where).toContain(u.email);
        expect(where.split(u.password).length - 1).toBe(1);
        if (u.totpSecret) expect(where).toContain(`otpauth://totp/`);
      }
    }
    expect(text.split(result.intakeKey).length - 1).toBe(1);
    expect(log.split(result.intakeKey).length - 1).toBe(1);
  });

  it('keeps the audit chain intact', async () => {
    const report = await verifyAuditChain(t.db);
    expect(report).toMatchObject({ ok: true });
    expect(report.entries).toBeGreaterThan(400);
  });

  it('does nothing on a database that already has users', async () => {
    const before = fs.readFileSync(result.credentialsFile, 'utf8');
    const cases = (await t.db.selectFrom('cases').select('id').execute()).length;
    const lines: string[] = [];
    const again = await seedDemo(t.db, { dataDir, log: (line) => lines.push(line) });
    expect(again).toMatchObject({ cases: 0, users: [], intakeKey: '', alreadySeeded: true });
    expect((await t.db.selectFrom('cases').select('id').execute()).length).toBe(cases);
    expect(fs.readFileSync(result.credentialsFile, 'utf8')).toBe(before);
    expect(lines.join('\n')).toMatch(/already/);
  });
});
