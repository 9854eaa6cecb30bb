// Administration against the real server: users, roles, teams and intake keys; bad input writes nothing.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, startTestServer, type TestServer } from '../support/server';
import { findIntakeKey } from '../../server/src/admin/admin.service';
import { verifyAuditChain } from '../../server/src/audit/audit.service';

let server: TestServer;
let admin: ReturnType<TestServer['client']>;
let supervisor: ReturnType<TestServer['client']>;
let specialist: ReturnType<TestServer['client']>;
let arbitrator: ReturnType<TestServer['client']>;

beforeAll(async () => {
  server = await startTestServer();
  admin = server.client(await server.login('admin'));
  supervisor = server.client(await server.login('supervisor'));
  specialist = server.client(await server.login('specialist'));
  arbitrator = server.client(await server.login('arbitrator'));
});
afterAll(async () => server?.close());

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Secrets the database holds that no answer may ever contain. */
async function storedSecrets(): Promise<string[]> {
  const users = await server.t.db.selectFrom('users').select(['password_hash', 'totp_secret']).execute();
  const keys = await server.t.db.selectFrom('intake_keys').select('key_hash').execute();
  return [...users.flatMap((u) => [u.password_hash, u.totp_secret]), ...keys.map((k) => k.key_hash)].filter((s): s is string => !!s);
}

async function expectNoSecrets(answer: unknown) {
  const text = JSON.stringify(answer);
  for (const name of ['password_hash', 'passwordHash', 'totp_secret', 'totpSecret', 'key_hash', 'keyHash', '$argon2']) expect(text).not.toContain(name);
  for (const secret of await storedSecrets()) expect(text).not.toContain(secret);
}

async function counts() {
  const count = async (table: 'users' | 'teams' | 'team_members' | 'intake_keys' | 'audit_log' | 'sessions') =>
    Number((await server.t.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
  return {
    users: await count('users'),
    teams: await count('teams'),
    team_members: await count('team_members'),
    intake_keys: await count('intake_keys'),
    audit_log: await count('audit_log'),
  };
}

async function lastAudit(action: string) {
  return server.t.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('seq', 'desc').limit(1).executeTakeFirst();
}

const newUser = (label: string, extra: Record<string, unknown> = {}) => ({
  email: `${label}@example.test`,
  displayName: `New ${label}`,
  role: 'specialist' as const,
  language: 'zh-CN' as const,
  password: 'a long enough password',
  teamIds: [] as string[],
  ...extra,
});

describe('users', () => {
  it('lists users without any secret, for admins and supervisors only', async () => {
    const users = await admin.admin.listUsers.query();
    expect(users.map((u) => u.email)).toEqual(expect.arrayContaining(Object.values(server.users).map((u) => u.email)));
    const adminRow = users.find((u) => u.role === 'admin')!;
    expect(adminRow).toEqual({
      id: server.users.admin.id,
      email: 'admin@example.test',
      displayName: 'Test admin',
      role: 'admin',
      language: 'en',
      teamIds: [],
      totpEnabled: true,
      disabledAt: null,
      createdAt: expect.any(String),
    });
    expect(users.find((u) => u.role === 'specialist')!.teamIds).toEqual([server.teamId]);
    await expectNoSecrets(users);

    expect((await supervisor.admin.listUsers.query()).length).toBe(users.length);
    expect(await failure(specialist.admin.listUsers.query())).toMatchObject({ code: 'FORBIDDEN', messageKey: 'error.forbidden' });
    expect(await failure(arbitrator.admin.listUsers.query())).toMatchObject({ code: 'FORBIDDEN', messageKey: 'error.forbidden' });
  });

  it('creates a user with an argon2id password who can then sign in', async () => {
    const created = await admin.admin.createUser.mutate(newUser('Chen.Wei', { email: '  Chen.Wei@Example.TEST ', teamIds: [server.teamId, server.otherTeamId] }));
    expect(created).toMatchObject({
      email: 'chen.wei@example.test',
      displayName: 'New Chen.Wei',
      role: 'specialist',
      language: 'zh-CN',
      totpEnabled: false,
      disabledAt: null,
    });
    expect([...created.teamIds].sort()).toEqual([server.teamId, server.otherTeamId].sort());
    await expectNoSecrets(created);

    const row = await server.t.db.selectFrom('users').select('password_hash').where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);

    const login = await server.client().auth.login.mutate({ email: 'chen.wei@example.test', password: 'a long enough password' });
    expect(login.user).toMatchObject({ id: created.id, language: 'zh-CN', role: 'specialist' });

    const entry = await lastAudit('user.created');
    expect(entry).toMatchObject({ actor_id: server.users.admin.id, entity: 'user', entity_id: created.id });
    expect(JSON.stringify(entry)).not.toContain('a long enough password');
  });

  it('refuses a second user with the same email, in any letter case', async () => {
    const before = await counts();
    const dup = await failure(admin.admin.createUser.mutate(newUser('dup', { email: 'SPECIALIST@example.test' })));
    expect(dup).toMatchObject({ code: 'CONFLICT', httpStatus: 409, messageKey: 'admin.email_taken', field: 'email' });
    expect(dup.message).toBe('A user with this email address already exists.');
    const zh = await failure(server.client(null, 'zh-CN').admin.listUsers.query());
    expect(zh.message).toBe('请先登录。');
    expect(await counts()).toEqual(before);
  });

  it('refuses bad input with the field and a message key, and writes nothing', async () => {
    const before = await counts();
    const wrongType = 'validation.invalid_type';
    const cases: { input: Record<string, unknown>; messageKey: string; field: string }[] = [
      { input: newUser('types', { email: 42 }), messageKey: wrongType, field: 'email' },
      { input: newUser('types2', { teamIds: 'all' }), messageKey: wrongType, field: 'teamIds' },
      { input: newUser('role', { role: 'superuser' }), messageKey: 'validation.invalid_enum', field: 'role' },
      { input: newUser('lang', { language: 'fr' }), messageKey: 'validation.invalid_enum', field: 'language' },
      { input: newUser('long', { displayName: 'x'.repeat(10_000) }), messageKey: 'validation.too_long', field: 'displayName' },
      { input: newUser('longmail', { email: `${'a'.repeat(300)}@example.test` }), messageKey: 'validation.too_long', field: 'email' },
      { input: newUser('longpw', { password: 'p'.repeat(5_000) }), messageKey: 'validation.too_long', field: 'password' },
      { input: newUser('short', { password: 'short' }), messageKey: 'validation.password_too_weak', field: 'password' },
      { input: newUser('unknown', { isSuperAdmin: true }), messageKey: 'validation.unknown_field', field: 'isSuperAdmin' },
      { input: newUser('team', { teamIds: ['not-a-uuid'] }), messageKey: 'validation.format.uuid', field: 'teamIds.0' },
      { input: newUser('ctrl', { displayName: 'bad\u0000name' }), messageKey: 'validation.nul_character', field: 'displayName' },
      { input: newUser('blank', { displayName: '   ' }), messageKey: 'validation.required', field: 'displayName' },
      { input: { email: 'missing@example.test' }, messageKey: 'validation.required', field: 'displayName' },
      { input: newUser('mail', { email: 'not an email' }), messageKey: 'validation.format.email', field: 'email' },
    ];
    for (const c of cases) {
      const e = await failure(admin.admin.createUser.mutate(c.input as never));
      expect(e, JSON.stringify(c.input).slice(0, 80)).toMatchObject({ code: 'BAD_REQUEST', httpStatus: 400, messageKey: c.messageKey, field: c.field });
      expect(e.message.length).toBeGreaterThan(0);
    }
    // The other procedures validate the same way.
    expect(await failure(admin.admin.setUserRole.mutate({ userId: server.users.legal.id, role: 'root' } as never))).toMatchObject({
      code: 'BAD_REQUEST',
      messageKey: 'validation.invalid_enum',
      field: 'role',
    });
    expect(await failure(admin.admin.disableUser.mutate({ userId: 12 } as never))).toMatchObject({ code: 'BAD_REQUEST', field: 'userId' });
    expect(await failure(admin.admin.createTeam.mutate({ name: 'n'.repeat(500) }))).toMatchObject({ code: 'BAD_REQUEST', messageKey: 'validation.too_long', field: 'name' });
    expect(await failure(admin.admin.createTeam.mutate({ name: 'Ok', id: server.teamId } as never))).toMatchObject({ code: 'BAD_REQUEST', messageKey: 'validation.unknown_field', field: 'id' });
    expect(await failure(admin.admin.setTeamMembers.mutate({ teamId: server.teamId, userIds: [1, 2] } as never))).toMatchObject({ code: 'BAD_REQUEST', field: 'userIds.0' });
    expect(await failure(admin.admin.createIntakeKey.mutate({ name: '' }))).toMatchObject({ code: 'BAD_REQUEST', messageKey: 'validation.required', field: 'name' });
    expect(await failure(admin.admin.createIntakeKey.mutate({ name: 'chat', defaultTeamId: 'team-1' }))).toMatchObject({ code: 'BAD_REQUEST', field: 'defaultTeamId' });
    expect(await failure(admin.admin.revokeIntakeKey.mutate({ id: 'x' }))).toMatchObject({ code: 'BAD_REQUEST', messageKey: 'validation.format.uuid', field: 'id' });

    expect(await counts()).toEqual(before);
  });

  it('lets only admins create users', async () => {
    const before = await counts();
    expect(await failure(supervisor.admin.createUser.mutate(newUser('by-supervisor')))).toMatchObject({ code: 'FORBIDDEN', messageKey: 'error.forbidden' });
    expect(await failure(server.client().admin.createUser.mutate(newUser('by-nobody')))).toMatchObject({ code: 'UNAUTHORIZED', messageKey: 'auth.login_required' });
    expect(await counts()).toEqual(before);
  });

  it('refuses unknown teams, and external users in internal teams', async () => {
    const before = await counts();
    expect(await failure(admin.admin.createUser.mutate(newUser('ghost-team', { teamIds: ['00000000-0000-4000-8000-000000000000'] })))).toMatchObject({
      code: 'NOT_FOUND',
      messageKey: 'error.team_not_found',
      field: 'teamIds',
    });
    expect(await failure(admin.admin.createUser.mutate(newUser('ext', { role: 'arbitrator', teamIds: [server.teamId] })))).toMatchObject({
      code: 'BAD_REQUEST',
      messageKey: 'admin.external_user_in_team',
      field: 'teamIds',
    });
    expect(await counts()).toEqual(before);
  });

  it('changes a role, which takes effect on the live session', async () => {
    const created = await admin.admin.createUser.mutate(newUser('promoted'));
    const token = (await server.client().auth.login.mutate({ email: 'promoted@example.test', password: 'a long enough password', kind: 'cli' })).token;
    expect(await failure(server.client(token).admin.listUsers.query())).toMatchObject({ code: 'FORBIDDEN', messageKey: 'error.forbidden' });

    const changed = await admin.admin.setUserRole.mutate({ userId: created.id, role: 'supervisor' });
    expect(changed.role).toBe('supervisor');
    expect((await server.client(token).admin.listUsers.query()).length).toBeGreaterThan(0);
    expect((await lastAudit('user.role_changed'))?.details).toEqual({ from: 'specialist', to: 'supervisor' });

    // Promoted to a role that needs TOTP: the session is limited until the user enrols.
    await admin.admin.setUserRole.mutate({ userId: created.id, role: 'admin' });
    expect(await failure(server.client(token).admin.listUsers.query())).toMatchObject({ code: 'FORBIDDEN', messageKey: 'auth.totp_required' });
    expect((await server.client(token).auth.me.query()).totp).toBe('enrolment_required');

    expect(await failure(admin.admin.setUserRole.mutate({ userId: '00000000-0000-4000-8000-000000000000', role: 'legal' }))).toMatchObject({
      code: 'NOT_FOUND',
      messageKey: 'error.user_not_found',
      field: 'userId',
    });
    expect(await failure(admin.admin.setUserRole.mutate({ userId: server.users.admin.id, role: 'specialist' }))).toMatchObject({
      code: 'FORBIDDEN',
      messageKey: 'admin.cannot_change_own_role',
    });
    // A team member cannot become an external arbitrator while in an internal team.
    expect(await failure(admin.admin.setUserRole.mutate({ userId: server.users.specialist.id, role: 'arbitrator' }))).toMatchObject({
      code: 'CONFLICT',
      messageKey: 'admin.external_user_in_team',
    });
  });

  it('disables a user: their sessions end and they cannot sign in', async () => {
    const created = await admin.admin.createUser.mutate(newUser('leaving'));
    const tokens = [];
    for (let i = 0; i < 2; i++) tokens.push((await server.client().auth.login.mutate({ email: 'leaving@example.test', password: 'a long enough password', kind: 'cli' })).token);

    const disabled = await admin.admin.disableUser.mutate({ userId: created.id });
    expect(disabled.disabledAt).not.toBeNull();
    for (const token of tokens) expect((await failure(server.client(token).auth.me.query())).messageKey).toBe('auth.login_required');
    expect(await failure(server.client().auth.login.mutate({ email: 'leaving@example.test', password: 'a long enough password' }))).toMatchObject({
      code: 'UNAUTHORIZED',
      messageKey: 'auth.invalid_credentials',
    });
    const live = await server.t.db.selectFrom('sessions').select('id').where('user_id', '=', created.id).where('revoked_at', 'is', null).execute();
    expect(live).toEqual([]);
    expect((await lastAudit('user.disabled'))?.details).toMatchObject({ revokedSessions: 2 });

    expect(await failure(admin.admin.disableUser.mutate({ userId: server.users.admin.id }))).toMatchObject({ code: 'FORBIDDEN', messageKey: 'admin.cannot_disable_self' });
    expect((await admin.admin.listUsers.query()).find((u) => u.id === created.id)?.disabledAt).toEqual(disabled.disabledAt);
  });
});

describe('teams', () => {
  it('creates a team, refuses a duplicate name, and sets its members', async () => {
    const team = await admin.admin.createTeam.mutate({ name: 'P2P appeals' });
    expect(team).toMatchObject({ name: 'P2P appeals', memberIds: [] });
    expect((await lastAudit('team.created'))?.entity_id).toBe(team.id);

    const before = await counts();
    expect(await failure(admin.admin.createTeam.mutate({ name: 'p2p APPEALS' }))).toMatchObject({ code: 'CONFLICT', messageKey: 'admin.team_name_taken', field: 'name' });
    expect(await counts()).toEqual(before);

    const members = [server.users.specialist.id, server.users.legal.id];
    const set = await admin.admin.setTeamMembers.mutate({ teamId: team.id, userIds: [...members, server.users.legal.id] });
    expect([...set.memberIds].sort()).toEqual([...members].sort());
    expect((await lastAudit('team.members_changed'))?.details).toMatchObject({ removed: [] });

    const narrowed = await admin.admin.setTeamMembers.mutate({ teamId: team.id, userIds: [server.users.legal.id] });
    expect(narrowed.memberIds).toEqual([server.users.legal.id]);
    expect((await lastAudit('team.members_changed'))?.details).toEqual({ added: [], removed: [server.users.specialist.id] });

    // The member's next request sees the new team.
    const legal = server.client(await server.login('legal'));
    expect((await legal.auth.me.query()).user.teamIds).toEqual([team.id]);

    const teams = await specialist.admin.listTeams.query();
    expect(teams.find((t) => t.id === team.id)?.memberIds).toEqual([server.users.legal.id]);
    expect(teams.map((t) => t.name)).toEqual(expect.arrayContaining(['Trade disputes', 'Security incidents', 'P2P appeals']));
    expect(await failure(arbitrator.admin.listTeams.query())).toMatchObject({ code: 'FORBIDDEN' });
    expect(await failure(supervisor.admin.createTeam.mutate({ name: 'Rogue team' }))).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('refuses unknown teams and users, and external users, writing nothing', async () => {
    const before = await counts();
    const nobody = '00000000-0000-4000-8000-000000000000';
    expect(await failure(admin.admin.setTeamMembers.mutate({ teamId: nobody, userIds: [] }))).toMatchObject({ code: 'NOT_FOUND', messageKey: 'error.team_not_found', field: 'teamId' });
    expect(await failure(admin.admin.setTeamMembers.mutate({ teamId: server.teamId, userIds: [server.users.specialist.id, nobody] }))).toMatchObject({
      code: 'NOT_FOUND',
      messageKey: 'error.user_not_found',
      field: 'userIds',
    });
    expect(await failure(admin.admin.setTeamMembers.mutate({ teamId: server.teamId, userIds: [server.users.mediator.id] }))).toMatchObject({
      code: 'BAD_REQUEST',
      messageKey: 'admin.external_user_in_team',
      field: 'userIds',
    });
    expect(await counts()).toEqual(before);
  });
});

describe('intake keys', () => {
  it('shows a new key once, stores only its prefix and hash, and finds it by bearer', async () => {
    const { key, intakeKey } = await admin.admin.createIntakeKey.mutate({ name: 'Live chat', defaultTeamId: server.teamId });
    expect(key).toMatch(/^arb_[0-9a-f]{12}_[0-9a-f]{64}$/);
    expect(key.startsWith(`arb_${intakeKey.prefix}_`)).toBe(true);
    expect(intakeKey).toMatchObject({ name: 'Live chat', defaultTeamId: server.teamId, createdBy: server.users.admin.id, revokedAt: null });
    expect(JSON.stringify(intakeKey)).not.toContain(key);

    const row = await server.t.db.selectFrom('intake_keys').selectAll().where('id', '=', intakeKey.id).executeTakeFirstOrThrow();
    expect(row.key_hash).toBe(sha256(key));
    expect(JSON.stringify(row)).not.toContain(key.split('_')[2]);

    const listed = await admin.admin.listIntakeKeys.query();
    expect(listed.find((k) => k.id === intakeKey.id)).toEqual(intakeKey);
    expect(JSON.stringify(listed)).not.toContain(key.split('_')[2]);
    await expectNoSecrets(listed);

    const audit = await lastAudit('intake_key.created');
    expect(audit?.entity_id).toBe(intakeKey.id);
    expect(JSON.stringify(audit)).not.toContain(key.split('_')[2]);

    const found = await findIntakeKey(server.t.db, key);
    expect(found).toMatchObject({ id: intakeKey.id, name: 'Live chat', default_team_id: server.teamId, revoked_at: null });
    expect(found).not.toHaveProperty('key_hash');

    const wrongSecret = `arb_${intakeKey.prefix}_${'0'.repeat(64)}`;
    for (const bad of [wrongSecret, `${key}x`, key.toUpperCase(), 'arb_x_y', '', null, undefined]) expect(await findIntakeKey(server.t.db, bad)).toBeNull();
  });

  it('revokes a key: the key stops working and the list says so', async () => {
    const { key, intakeKey } = await admin.admin.createIntakeKey.mutate({ name: 'Email gateway' });
    expect(intakeKey.defaultTeamId).toBeNull();
    expect(await findIntakeKey(server.t.db, key)).not.toBeNull();

    const revoked = await admin.admin.revokeIntakeKey.mutate({ id: intakeKey.id });
    expect(revoked.revokedAt).not.toBeNull();
    expect(await findIntakeKey(server.t.db, key)).toBeNull();
    expect((await admin.admin.listIntakeKeys.query()).find((k) => k.id === intakeKey.id)?.revokedAt).toBe(revoked.revokedAt);
    expect((await lastAudit('intake_key.revoked'))?.entity_id).toBe(intakeKey.id);

    expect(await failure(admin.admin.revokeIntakeKey.mutate({ id: '00000000-0000-4000-8000-000000000000' }))).toMatchObject({
      code: 'NOT_FOUND',
      messageKey: 'admin.intake_key_not_found',
      field: 'id',
    });
  });

  it('refuses an unknown default team and non-admins, writing nothing', async () => {
    const before = await counts();
    expect(await failure(admin.admin.createIntakeKey.mutate({ name: 'Ticket system', defaultTeamId: '00000000-0000-4000-8000-000000000000' }))).toMatchObject({
      code: 'NOT_FOUND',
      messageKey: 'error.team_not_found',
      field: 'defaultTeamId',
    });
    expect(await failure(supervisor.admin.createIntakeKey.mutate({ name: 'Ticket system' }))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await failure(supervisor.admin.listIntakeKeys.query())).toMatchObject({ code: 'FORBIDDEN' });
    expect(await counts()).toEqual(before);
  });
});

describe('audit', () => {
  it('records every administrative write in an intact chain', async () => {
    const actions = (await server.t.db.selectFrom('audit_log').select('action').execute()).map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining(['session.login', 'user.created', 'user.role_changed', 'user.disabled', 'team.created', 'team.members_changed', 'intake_key.created', 'intake_key.revoked']),
    );
    expect((await verifyAuditChain(server.t.db)).ok).toBe(true);
    const everything = await server.t.db.selectFrom('audit_log').select('details').execute();
    const text = JSON.stringify(everything);
    for (const secret of await storedSecrets()) expect(text).not.toContain(secret);
  });
});
