// Signing in and out against the real server: sessions, rotation, throttling, TOTP, password change.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { CSRF_HEADERS, failure, startTestServer, TEST_PASSWORD, type TestServer } from '../support/server';
import { authenticator } from '../support/totp';
import { hashPassword } from '../../server/src/auth/password';
import { accountDelayMs, login } from '../../server/src/auth/auth.service';
import { AppError } from '../../shared/errors';
import { loadConfig } from '../../server/src/config';
import { hashToken } from '../../server/src/auth/session.service';
import { verifyAuditChain } from '../../server/src/audit/audit.service';
import type { Role } from '../../shared/domain';

let server: TestServer;
let passwordHash: string;

beforeAll(async () => {
  server = await startTestServer();
  passwordHash = await hashPassword(TEST_PASSWORD);
});
afterAll(async () => server?.close());

// Every test starts with a clean attempt history: all requests come from 127.0.0.1, and the
// per-address throttle would otherwise carry failures from one test into the next.
beforeEach(async () => {
  await server.t.db.deleteFrom('login_attempts').execute();
});

const anon = (language: 'en' | 'zh-CN' = 'en') => server.client(null, language);
/** A request from another address (the service as the HTTP edge calls it). */
const meta = (ip: string) => ({ requestId: `test-${ip}`, ip, userAgent: 'test', language: 'en' as const });
/** The refusal of a service call made directly. */
async function refused(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the call to fail, it succeeded');
}

/** Signs in as a token-holding client (the CLI's kind unless told): browser logins get a cookie, not a token. */
async function loginAs(email: string, extra: { totpCode?: string; kind?: 'browser' | 'device' | 'cli' } = {}, password = TEST_PASSWORD) {
  const res = await anon().auth.login.mutate({ email, password, kind: 'cli', ...extra });
  return { ...res, token: res.token as string };
}

/** A user created straight in the database, for flows that need an account of their own. */
async function freshUser(role: Role, label: string, options: { disabled?: boolean } = {}) {
  const email = `${label}-${Math.random().toString(36).slice(2, 8)}@example.test`;
  const row = await server.t.db
    .insertInto('users')
    .values({ email, display_name: label, role, password_hash: passwordHash, disabled_at: options.disabled ? new Date() : null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, email };
}

/** A six-digit code that matches none of the steps the server accepts right now. */
function wrongCode(secret: string): string {
  const now = Date.now();
  const accepted = new Set([-1, 0, 1].map((d) => authenticator.generate(secret, new Date(now + d * 30_000))));
  for (let n = 0; ; n++) {
    const code = String(n).padStart(6, '0');
    if (!accepted.has(code)) return code;
  }
}

/** A raw HTTP call to a tRPC procedure, to see headers and cookies. */
async function raw(path: string, options: { body?: unknown; cookie?: string; token?: string; query?: boolean } = {}) {
  const headers: Record<string, string> = {};
  if (options.cookie) headers.cookie = options.cookie;
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  Object.assign(headers, CSRF_HEADERS);
  let res: Response;
  if (options.query) {
    res = await fetch(`${server.url}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(options.body ?? {}))}`, { headers });
  } else {
    headers['content-type'] = 'application/json';
    res = await fetch(`${server.url}/trpc/${path}`, { method: 'POST', headers, body: JSON.stringify(options.body ?? {}) });
  }
  return { status: res.status, headers: res.headers, setCookie: res.headers.getSetCookie(), json: (await res.json()) as any };
}

async function auditActions(filter: { action?: string; entityId?: string } = {}) {
  let q = server.t.db.selectFrom('audit_log').select(['action', 'details', 'entity_id', 'actor_id']).orderBy('seq');
  if (filter.action) q = q.where('action', '=', filter.action);
  if (filter.entityId) q = q.where('entity_id', '=', filter.entityId);
  return q.execute();
}

describe('sign in and out', () => {
  it('signs in with email and password, knows who you are, and signs out', async () => {
    const res = await loginAs(server.users.specialist.email);
    expect(res.token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(new Date(res.expiresAt).getTime()).toBeGreaterThan(Date.now());
    expect(res.totp).toBe('ok');
    expect(res.user).toEqual({
      id: server.users.specialist.id,
      email: server.users.specialist.email,
      displayName: 'Test specialist',
      role: 'specialist',
      language: 'en',
      teamIds: [server.teamId],
    });

    const me = await server.client(res.token).auth.me.query();
    expect(me.user.id).toBe(server.users.specialist.id);
    expect(me.totp).toBe('ok');

    await server.client(res.token).auth.logout.mutate();
    const after = await failure(server.client(res.token).auth.me.query());
    expect(after).toMatchObject({ code: 'UNAUTHORIZED', httpStatus: 401, messageKey: 'auth.login_required' });
  });

  it('accepts the email in any case and with surrounding spaces', async () => {
    const res = await loginAs('  SPECIALIST@Example.TEST ');
    expect(res.user.id).toBe(server.users.specialist.id);
  });

  it('stores only a hash of the session token, and records the attempt and an audit entry', async () => {
    const res = await loginAs(server.users.legal.email, { kind: 'cli' });
    const session = await server.t.db.selectFrom('sessions').selectAll().where('token_hash', '=', hashToken(res.token)).executeTakeFirstOrThrow();
    expect(session).toMatchObject({ user_id: server.users.legal.id, kind: 'cli', ip: '127.0.0.1' });
    const stored = await server.t.db.selectFrom('sessions').select('token_hash').execute();
    expect(stored.map((s) => s.token_hash)).not.toContain(res.token);

    const attempts = await server.t.db.selectFrom('login_attempts').selectAll().execute();
    expect(attempts).toEqual([expect.objectContaining({ email: server.users.legal.email, ip: '127.0.0.1', succeeded: true })]);
    const entries = await auditActions({ action: 'session.login', entityId: session.id });
    expect(entries).toHaveLength(1);
    expect(entries[0]!.actor_id).toBe(server.users.legal.id);
  });

  it('gives every login a new session; each stays valid until it is signed out', async () => {
    const a = await loginAs(server.users.supervisor.email);
    const b = await loginAs(server.users.supervisor.email);
    expect(a.token).not.toBe(b.token);
    expect((await server.client(a.token).auth.me.query()).user.role).toBe('supervisor');
    expect((await server.client(b.token).auth.me.query()).user.role).toBe('supervisor');

    await server.client(a.token).auth.logout.mutate();
    expect((await failure(server.client(a.token).auth.me.query())).messageKey).toBe('auth.login_required');
    expect((await server.client(b.token).auth.me.query()).user.role).toBe('supervisor');
  });

  it('signs out everywhere: no session of the user survives, other users are untouched', async () => {
    const tokens = [];
    for (let i = 0; i < 3; i++) tokens.push((await loginAs(server.users.legal.email, { kind: i === 0 ? 'device' : 'cli' })).token);
    const bystander = await loginAs(server.users.specialist.email);

    const result = await server.client(tokens[1]).auth.logoutEverywhere.mutate();
    expect(result.revokedSessions).toBeGreaterThanOrEqual(3);
    for (const token of tokens) {
      expect(await failure(server.client(token).auth.me.query())).toMatchObject({ code: 'UNAUTHORIZED', messageKey: 'auth.login_required' });
    }
    expect((await server.client(bystander.token).auth.me.query()).user.role).toBe('specialist');
    expect(await auditActions({ action: 'session.logout_everywhere', entityId: server.users.legal.id })).toHaveLength(1);
  });

  it('sets an httpOnly SameSite cookie for the browser, which signs in and out; none for a device', async () => {
    const login = await raw('auth.login', { body: { email: server.users.specialist.email, password: TEST_PASSWORD } });
    expect(login.status).toBe(200);
    const cookie = login.setCookie.find((c) => c.startsWith('arbitra_session='));
    expect(cookie).toBeDefined();
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const pair = cookie!.split(';')[0]!;
    expect(pair).toMatch(/^arbitra_session=[A-Za-z0-9_-]{40,}$/);

    const me = await raw('auth.me', { cookie: pair, query: true });
    expect(me.status).toBe(200);
    expect(me.json.result.data.user.email).toBe(server.users.specialist.email);

    const out = await raw('auth.logout', { cookie: pair });
    expect(out.status).toBe(200);
    expect(out.setCookie.some((c) => /^arbitra_session=;/.test(c) && /Expires=Thu, 01 Jan 1970/i.test(c))).toBe(true);
    const after = await raw('auth.me', { cookie: pair, query: true });
    expect(after.status).toBe(401);

    const device = await raw('auth.login', { body: { email: server.users.specialist.email, password: TEST_PASSWORD, kind: 'device' } });
    expect(device.status).toBe(200);
    expect(device.setCookie.filter((c) => c.startsWith('arbitra_session='))).toEqual([]);
  });

  it('keeps the browser session token out of the login body: only the httpOnly cookie carries it', async () => {
    const login = await raw('auth.login', { body: { email: server.users.specialist.email, password: TEST_PASSWORD } });
    expect(login.status).toBe(200);
    expect(login.json.result.data).not.toHaveProperty('token');
    expect(login.json.result.data.user.email).toBe(server.users.specialist.email);
    const token = login.setCookie.find((c) => c.startsWith('arbitra_session='))!.split(';')[0]!.split('=')[1]!;
    expect(JSON.stringify(login.json)).not.toContain(token);
    // Devices and the CLI hold their token: they get it, and no cookie.
    for (const kind of ['device', 'cli']) {
      const other = await raw('auth.login', { body: { email: server.users.specialist.email, password: TEST_PASSWORD, kind } });
      expect(other.json.result.data.token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
      expect(other.setCookie).toEqual([]);
    }
  });

  it('clears the cookie with the attributes it was set with (SameSite=Strict, HttpOnly, Path=/)', async () => {
    const login = await raw('auth.login', { body: { email: server.users.specialist.email, password: TEST_PASSWORD } });
    const set = login.setCookie.find((c) => c.startsWith('arbitra_session='))!;
    const attributes = (c: string) =>
      c
        .split(';')
        .slice(1)
        .map((a) => a.trim().split('=')[0]!.toLowerCase())
        .filter((a) => a !== 'expires' && a !== 'max-age')
        .sort();
    for (const path of ['auth.logout', 'auth.logoutEverywhere']) {
      const again = await raw('auth.login', { body: { email: server.users.specialist.email, password: TEST_PASSWORD } });
      const pair = again.setCookie.find((c) => c.startsWith('arbitra_session='))!.split(';')[0]!;
      const out = await raw(path, { cookie: pair });
      const cleared = out.setCookie.find((c) => c.startsWith('arbitra_session='))!;
      expect(cleared, path).toMatch(/SameSite=Strict/);
      expect(attributes(cleared), path).toEqual(attributes(set));
    }
    // Without TLS configured, neither Secure nor HSTS (a plain-HTTP deployment would lose the cookie).
    expect(set).not.toMatch(/Secure/i);
    expect(login.headers.get('strict-transport-security')).toBeNull();
  });

  it('gives a device session a longer life than a browser session', async () => {
    const browser = await loginAs(server.users.specialist.email, { kind: 'browser' });
    const device = await loginAs(server.users.specialist.email, { kind: 'device' });
    expect(new Date(device.expiresAt).getTime()).toBeGreaterThan(new Date(browser.expiresAt).getTime() + 24 * 3600 * 1000);
  });
});

describe('refusals', () => {
  it('answers a wrong password and an unknown email alike', async () => {
    const wrong = await failure(loginAs(server.users.specialist.email, {}, 'not the password at all'));
    const unknown = await failure(loginAs('nobody@example.test'));
    for (const e of [wrong, unknown]) {
      expect(e).toMatchObject({ code: 'UNAUTHORIZED', httpStatus: 401, messageKey: 'auth.invalid_credentials', field: 'password' });
    }
    expect(unknown.message).toBe(wrong.message);
    expect(wrong.message).toBe('The email address or password is not correct.');

    const attempts = await server.t.db.selectFrom('login_attempts').select(['email', 'succeeded']).orderBy('id').execute();
    expect(attempts).toEqual([
      { email: server.users.specialist.email, succeeded: false },
      { email: 'nobody@example.test', succeeded: false },
    ]);
    const failed = await auditActions({ action: 'session.login_failed' });
    const reasons = failed.map((f) => (f.details as { reason: string }).reason);
    expect(reasons.slice(-2)).toEqual(['wrong_password', 'unknown_email']);
    expect(JSON.stringify(failed)).not.toContain('not the password at all');
  });

  it('takes about as long for an unknown email as for a wrong password', async () => {
    const time = async (email: string) => {
      const start = performance.now();
      await failure(loginAs(email, {}, 'wrong password, wrong'));
      return performance.now() - start;
    };
    const wrong: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 4; i++) {
      wrong.push(await time(server.users.legal.email));
      unknown.push(await time('ghost@example.test'));
    }
    // Without the dummy hash an unknown email would answer several times faster.
    expect(Math.min(...unknown)).toBeGreaterThan(0.5 * Math.min(...wrong));
  });

  it('refuses a disabled user as if the password were wrong, and ends their sessions', async () => {
    const user = await freshUser('specialist', 'leaver');
    const token = (await loginAs(user.email)).token;
    await server.t.db.updateTable('users').set({ disabled_at: new Date() }).where('id', '=', user.id).execute();

    expect(await failure(loginAs(user.email))).toMatchObject({ code: 'UNAUTHORIZED', messageKey: 'auth.invalid_credentials', field: 'password' });
    expect((await failure(server.client(token).auth.me.query())).messageKey).toBe('auth.login_required');
  });

  it('validates the input: bad email, unknown field, wrong kind', async () => {
    const badEmail = await failure(anon().auth.login.mutate({ email: 'not-an-email', password: 'x' }));
    expect(badEmail).toMatchObject({ code: 'BAD_REQUEST', messageKey: 'validation.format.email', field: 'email' });
    const unknownField = await failure(anon().auth.login.mutate({ email: server.users.specialist.email, password: TEST_PASSWORD, role: 'admin' } as never));
    expect(unknownField).toMatchObject({ code: 'BAD_REQUEST', messageKey: 'validation.unknown_field', field: 'role' });
    const kind = await failure(anon().auth.login.mutate({ email: server.users.specialist.email, password: TEST_PASSWORD, kind: 'robot' } as never));
    expect(kind).toMatchObject({ code: 'BAD_REQUEST', messageKey: 'validation.invalid_enum', field: 'kind' });
    const code = await failure(anon().auth.login.mutate({ email: server.users.admin.email, password: TEST_PASSWORD, totpCode: '12ab56' }));
    expect(code).toMatchObject({ code: 'BAD_REQUEST', messageKey: 'validation.totp_code_format', field: 'totpCode' });
    expect(await server.t.db.selectFrom('login_attempts').select('id').execute()).toEqual([]);
  });

  it('needs a session for everything but login', async () => {
    expect(await failure(anon().auth.me.query())).toMatchObject({ code: 'UNAUTHORIZED', messageKey: 'auth.login_required' });
    expect(await failure(anon().admin.listUsers.query())).toMatchObject({ code: 'UNAUTHORIZED', messageKey: 'auth.login_required' });
    expect(await failure(server.client('made-up-token').auth.me.query())).toMatchObject({ code: 'UNAUTHORIZED' });
  });
});

describe('throttling', () => {
  it('locks an account for 15 minutes after its 5th failure, even for the right password, and says when to retry', async () => {
    const email = server.users.legal.email;
    for (let i = 0; i < 5; i++) {
      expect((await failure(loginAs(email, {}, `guess number ${i} wrong`))).messageKey).toBe('auth.invalid_credentials');
    }
    const throttled = await failure(loginAs(email));
    expect(throttled).toMatchObject({ code: 'TOO_MANY_REQUESTS', httpStatus: 429, messageKey: 'auth.throttled' });
    const seconds = Number(/Try again in (\d+) seconds/.exec(throttled.message)?.[1]);
    expect(seconds).toBeGreaterThan(880);
    expect(seconds).toBeLessThanOrEqual(900);
    expect(throttled.message).toContain('about 15 min');

    const zh = await failure(anon('zh-CN').auth.login.mutate({ email, password: TEST_PASSWORD }));
    expect(zh).toMatchObject({ code: 'TOO_MANY_REQUESTS', messageKey: 'auth.throttled' });
    expect(zh.message).toMatch(/^登录失败次数过多。请在 \d+ 秒（约 15 分钟）后重试。$/);

    // Every attempt is recorded; the throttled ones never reached the password check.
    const attempts = await server.t.db.selectFrom('login_attempts').select(['succeeded']).where('email', '=', email).execute();
    expect(attempts).toHaveLength(7);
    expect(attempts.every((a) => !a.succeeded)).toBe(true);
    const reasons = (await auditActions({ action: 'session.login_failed' })).map((e) => (e.details as { reason: string }).reason);
    expect(reasons.slice(-2)).toEqual(['throttled', 'throttled']);

    // Other accounts from the same address are not affected.
    expect((await loginAs(server.users.specialist.email)).user.role).toBe('specialist');

    // Ten minutes on, the lock (15 minutes from the 5th failure) has five minutes to run; attempts
    // made while locked do not extend it.
    await sql`update login_attempts set at = at - interval '10 minutes' where email = ${email}`.execute(server.t.db);
    const later = await failure(loginAs(email));
    const remaining = Number(/Try again in (\d+) seconds/.exec(later.message)?.[1]);
    expect(remaining).toBeGreaterThan(280);
    expect(remaining).toBeLessThanOrEqual(300);

    await sql`update login_attempts set at = at - interval '6 minutes' where email = ${email}`.execute(server.t.db);
    expect((await loginAs(email)).user.email).toBe(email);
  });

  it('counts failures within a 15-minute window only, and a success starts the count again', async () => {
    const email = server.users.supervisor.email;
    for (let i = 0; i < 4; i++) await failure(loginAs(email, {}, 'wrong wrong wrong'));
    await sql`update login_attempts set at = at - interval '16 minutes' where email = ${email}`.execute(server.t.db);
    await failure(loginAs(email, {}, 'wrong wrong wrong'));
    expect((await loginAs(email)).user.role).toBe('supervisor');

    for (let i = 0; i < 4; i++) await failure(loginAs(email, {}, 'wrong wrong wrong'));
    expect((await loginAs(email)).user.role).toBe('supervisor');
    expect((await failure(loginAs(email, {}, 'wrong wrong wrong'))).messageKey).toBe('auth.invalid_credentials');
  });

  it('does not let strangers lock an account: guesses from elsewhere lock out the guesser, the owner still signs in', async () => {
    const { email, id } = await freshUser('admin', 'guessed-admin');
    const secret = authenticator.generateSecret();
    await server.t.db.updateTable('users').set({ totp_secret: secret, totp_enabled_at: new Date() }).where('id', '=', id).execute();
    const attacker = meta('198.51.100.7');
    for (let i = 0; i < 5; i++) {
      expect((await refused(login(server.t.db, attacker, { email, password: `guess ${i} wrong`, kind: 'cli' }))).messageKey).toBe('auth.invalid_credentials');
    }
    // The guesser's address is locked out of the account, even with the right password …
    expect((await refused(login(server.t.db, attacker, { email, password: TEST_PASSWORD, kind: 'cli' }))).messageKey).toBe('auth.throttled');
    // … and the admin, from their own address, is not.
    const admin = await loginAs(email, { totpCode: authenticator.generate(secret) });
    expect(admin.user.role).toBe('admin');
    expect(admin.totp).toBe('ok');
  });

  it('slows distributed guessing down progressively instead of locking the account', async () => {
    const user = await freshUser('legal', 'sprayed');
    expect(accountDelayMs(4)).toBe(0);
    expect(accountDelayMs(5)).toBe(500);
    expect(accountDelayMs(6)).toBe(1000);
    expect(accountDelayMs(50)).toBe(10_000);
    // The owner signed in from here yesterday; then 6 failures from 6 addresses.
    await server.t.db.insertInto('login_attempts').values({ email: user.email, ip: '127.0.0.1', succeeded: true, at: new Date(Date.now() - 20 * 3600_000) }).execute();
    for (let i = 0; i < 6; i++) await refused(login(server.t.db, meta(`203.0.113.${i + 1}`), { email: user.email, password: 'wrong wrong wrong', kind: 'cli' }));
    // A new address waits (the 6th failure: one second) and then is answered on the merits.
    const started = Date.now();
    expect((await login(server.t.db, meta('203.0.113.99'), { email: user.email, password: TEST_PASSWORD, kind: 'cli' })).user.email).toBe(user.email);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    // The owner's known address is not slowed.
    for (let i = 0; i < 6; i++) await refused(login(server.t.db, meta(`203.0.113.${i + 1}`), { email: user.email, password: 'wrong again wrong', kind: 'cli' }));
    const fromHome = Date.now();
    expect((await loginAs(user.email)).user.email).toBe(user.email);
    expect(Date.now() - fromHome).toBeLessThan(900);
  });

  it('throttles an address after 20 failures within 15 minutes, whatever the account', async () => {
    for (let i = 0; i < 20; i++) {
      expect((await failure(loginAs(`spray-${i}@example.test`, {}, 'Summer2026!!'))).messageKey).toBe('auth.invalid_credentials');
    }
    const blocked = await failure(loginAs(server.users.specialist.email));
    expect(blocked).toMatchObject({ code: 'TOO_MANY_REQUESTS', messageKey: 'auth.throttled' });
    expect(Number(/Try again in (\d+) seconds/.exec(blocked.message)?.[1])).toBeGreaterThan(880);
    const zh = await failure(anon('zh-CN').auth.login.mutate({ email: server.users.legal.email, password: TEST_PASSWORD }));
    expect(zh.message).toContain('秒');
    const fromHere = await server.t.db.selectFrom('login_attempts').select('id').where('ip', '=', '127.0.0.1').execute();
    expect(fromHere).toHaveLength(22);
  });
});

describe('TOTP', () => {
  it.each(['admin', 'arbitrator', 'mediator'] as const)('%s must give a valid, unused code', async (role) => {
    const user = server.users[role];
    const secret = user.totpSecret!;

    const missing = await failure(loginAs(user.email));
    expect(missing).toMatchObject({ code: 'UNAUTHORIZED', messageKey: 'auth.totp_code_required', field: 'totpCode' });
    const wrong = await failure(loginAs(user.email, { totpCode: wrongCode(secret) }));
    expect(wrong).toMatchObject({ code: 'UNAUTHORIZED', messageKey: 'auth.totp_invalid', field: 'totpCode' });
    // A wrong password is refused before the code matters, and answers like any wrong password.
    const wrongPassword = await failure(loginAs(user.email, { totpCode: authenticator.generate(secret) }, 'wrong password'));
    expect(wrongPassword.messageKey).toBe('auth.invalid_credentials');

    const code = authenticator.generate(secret);
    const ok = await loginAs(user.email, { totpCode: code });
    expect(ok.totp).toBe('ok');
    expect(ok.user.role).toBe(role);
    expect((await server.client(ok.token).auth.me.query()).totp).toBe('ok');

    const replay = await failure(loginAs(user.email, { totpCode: code }));
    expect(replay).toMatchObject({ code: 'UNAUTHORIZED', messageKey: 'auth.totp_code_used', field: 'totpCode' });

    // The failed code attempts count as failures; the success in between reset the count.
    const attempts = await server.t.db.selectFrom('login_attempts').select('succeeded').where('email', '=', user.email).orderBy('id').execute();
    expect(attempts.map((a) => a.succeeded)).toEqual([false, false, false, true, false]);
  });

  it('limits a fresh admin without TOTP to enrolment, then lets them in once enrolled', async () => {
    const user = await freshUser('admin', 'new-admin');
    const first = await loginAs(user.email);
    expect(first.totp).toBe('enrolment_required');
    const other = await loginAs(user.email, { kind: 'device' });
    const client = server.client(first.token);

    expect((await client.auth.me.query()).totp).toBe('enrolment_required');
    expect(await failure(client.admin.listUsers.query())).toMatchObject({ code: 'FORBIDDEN', messageKey: 'auth.totp_required' });
    expect(await failure(client.auth.changePassword.mutate({ currentPassword: TEST_PASSWORD, newPassword: 'a brand new password' }))).toMatchObject({
      code: 'FORBIDDEN',
      messageKey: 'auth.totp_required',
    });
    const cases = await raw('cases.list', { token: first.token, query: true });
    expect(cases.json.error.data).toMatchObject({ code: 'FORBIDDEN', messageKey: 'auth.totp_required' });
    expect(await failure(client.auth.totpConfirm.mutate({ code: '123456' }))).toMatchObject({ code: 'CONFLICT', messageKey: 'auth.totp_not_started' });

    const { secret, uri } = await client.auth.totpEnroll.mutate();
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    expect(uri).toMatch(/^otpauth:\/\/totp\//);
    expect(uri).toContain(`secret=${secret}`);
    const pending = await server.t.db.selectFrom('users').select(['totp_secret', 'totp_enabled_at']).where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(pending).toEqual({ totp_secret: secret, totp_enabled_at: null });
    // Still limited until a code confirms the enrolment.
    expect((await failure(client.admin.listUsers.query())).messageKey).toBe('auth.totp_required');

    expect(await failure(client.auth.totpConfirm.mutate({ code: wrongCode(secret) }))).toMatchObject({ code: 'BAD_REQUEST', messageKey: 'auth.totp_invalid', field: 'code' });
    const confirmCode = authenticator.generate(secret);
    expect(await client.auth.totpConfirm.mutate({ code: confirmCode })).toEqual({ totp: 'ok' });

    expect((await client.auth.me.query()).totp).toBe('ok');
    const users = await client.admin.listUsers.query();
    expect(users.map((u) => u.email)).toContain(user.email);
    expect(users.find((u) => u.email === user.email)?.totpEnabled).toBe(true);
    // The other session never passed TOTP: enabling it signed that one out.
    expect((await failure(server.client(other.token).auth.me.query())).messageKey).toBe('auth.login_required');
    expect(await failure(client.auth.totpEnroll.mutate())).toMatchObject({ code: 'CONFLICT', messageKey: 'auth.totp_already_enabled' });

    // From now on the login needs a code, and the code used to confirm is spent.
    expect((await failure(loginAs(user.email))).messageKey).toBe('auth.totp_code_required');
    expect((await failure(loginAs(user.email, { totpCode: confirmCode }))).messageKey).toBe('auth.totp_code_used');
    const next = authenticator.generate(secret, new Date(Date.now() + 30_000));
    expect((await loginAs(user.email, { totpCode: next })).totp).toBe('ok');

    const actions = (await auditActions({ entityId: user.id })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['totp.enrolment_started', 'totp.enabled']));
    expect(JSON.stringify(await auditActions())).not.toContain(secret);
  });

  it('limits a fresh arbitrator the same way; once enrolled only the role decides', async () => {
    const user = await freshUser('arbitrator', 'new-arbitrator');
    const login = await loginAs(user.email, { kind: 'cli' });
    expect(login.totp).toBe('enrolment_required');
    const client = server.client(login.token);
    expect((await failure(client.admin.listUsers.query())).messageKey).toBe('auth.totp_required');
    expect((await raw('cases.list', { token: login.token, query: true })).json.error.data.messageKey).toBe('auth.totp_required');

    const { secret } = await client.auth.totpEnroll.mutate();
    await client.auth.totpConfirm.mutate({ code: authenticator.generate(secret) });

    expect((await client.auth.me.query()).totp).toBe('ok');
    // No longer the TOTP gate: an arbitrator simply may not list users or all cases.
    expect(await failure(client.admin.listUsers.query())).toMatchObject({ code: 'FORBIDDEN', messageKey: 'error.forbidden' });
    expect((await raw('cases.list', { token: login.token, query: true })).json.error.data.messageKey).toBe('error.forbidden');
  });
});

describe('password change', () => {
  it('checks the current password, signs out the other sessions, and the new password works', async () => {
    const user = await freshUser('specialist', 'changer');
    const current = await loginAs(user.email);
    const other = await loginAs(user.email, { kind: 'device' });
    const client = server.client(current.token);

    const wrong = await failure(client.auth.changePassword.mutate({ currentPassword: 'not my password', newPassword: 'a brand new password' }));
    expect(wrong).toMatchObject({ code: 'BAD_REQUEST', messageKey: 'auth.current_password_wrong', field: 'currentPassword' });
    const short = await failure(client.auth.changePassword.mutate({ currentPassword: TEST_PASSWORD, newPassword: 'too short' }));
    expect(short).toMatchObject({ code: 'BAD_REQUEST', messageKey: 'validation.password_too_weak', field: 'newPassword' });
    const same = await failure(client.auth.changePassword.mutate({ currentPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD }));
    expect(same).toMatchObject({ code: 'BAD_REQUEST', messageKey: 'auth.password_unchanged', field: 'newPassword' });
    // Nothing changed so far: the other session still works.
    expect((await server.client(other.token).auth.me.query()).user.id).toBe(user.id);

    const result = await client.auth.changePassword.mutate({ currentPassword: TEST_PASSWORD, newPassword: 'a brand new password' });
    expect(result).toEqual({ ok: true, revokedSessions: 1 });
    expect((await client.auth.me.query()).user.id).toBe(user.id);
    expect((await failure(server.client(other.token).auth.me.query())).messageKey).toBe('auth.login_required');

    expect((await failure(loginAs(user.email))).messageKey).toBe('auth.invalid_credentials');
    expect((await loginAs(user.email, {}, 'a brand new password')).user.id).toBe(user.id);

    const entries = await auditActions({ entityId: user.id });
    expect(entries.map((e) => e.action)).toEqual(expect.arrayContaining(['user.password_change_failed', 'user.password_changed']));
    expect(JSON.stringify(entries)).not.toContain('a brand new password');
  });

  it('throttles guesses of the current password like failed logins', async () => {
    const user = await freshUser('specialist', 'stolen-session');
    const client = server.client((await loginAs(user.email)).token);
    for (let i = 0; i < 5; i++) {
      const e = await failure(client.auth.changePassword.mutate({ currentPassword: `guess ${i} guess`, newPassword: 'attacker password!' }));
      expect(e.messageKey).toBe('auth.current_password_wrong');
    }
    const throttled = await failure(client.auth.changePassword.mutate({ currentPassword: TEST_PASSWORD, newPassword: 'attacker password!' }));
    expect(throttled).toMatchObject({ code: 'TOO_MANY_REQUESTS', messageKey: 'auth.throttled' });
    expect((await failure(loginAs(user.email))).messageKey).toBe('auth.throttled');
  });
});

describe('audit', () => {
  it('keeps the hash chain intact through all of the above', async () => {
    const report = await verifyAuditChain(server.t.db);
    expect(report.ok).toBe(true);
  });
});

describe('a deployment behind TLS (ARBITRA_TLS=1)', () => {
  it('marks the session cookie Secure (set and cleared alike) and sends HSTS', async () => {
    const tls = await startTestServer({ tls: true, hstsMaxAge: 31_536_000 });
    try {
      const post = (path: string, body: unknown, cookie?: string) =>
        fetch(`${tls.url}/trpc/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...CSRF_HEADERS, ...(cookie ? { cookie } : {}) }, body: JSON.stringify(body) });
      const login = await post('auth.login', { email: tls.users.specialist.email, password: TEST_PASSWORD });
      const set = login.headers.getSetCookie().find((c) => c.startsWith('arbitra_session='))!;
      expect(set).toMatch(/; Secure/);
      expect(set).toMatch(/SameSite=Strict/);
      expect(login.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
      const out = await post('auth.logout', {}, set.split(';')[0]);
      const cleared = out.headers.getSetCookie().find((c) => c.startsWith('arbitra_session='))!;
      expect(cleared).toMatch(/; Secure/);
      expect(cleared).toMatch(/SameSite=Strict/);
      expect((await fetch(`${tls.url}/healthz`)).headers.get('strict-transport-security')).toMatch(/^max-age=/);
    } finally {
      await tls.close();
    }
  });

  it('reads the setting from the environment, off by default', () => {
    expect(loadConfig({}).tls).toBe(false);
    expect(loadConfig({ ARBITRA_TLS: '1', ARBITRA_HSTS_MAX_AGE: '600', ARBITRA_ALLOWED_ORIGINS: 'https://portal.example.com/, https://b.example' })).toMatchObject({
      tls: true,
      hstsMaxAge: 600,
      allowedOrigins: ['https://portal.example.com', 'https://b.example'],
    });
  });
});
