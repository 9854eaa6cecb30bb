// External members' accounts against the real server: an invitation mailed to the outbox, setup from
// its link (strong password, TOTP, recovery codes), the link used once and expiring, sign-in with
// TOTP or a recovery code (each code once, throttled like any sign-in), the idle timeout, signing out
// everywhere, and the profile the platform reads when it chooses a panel.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { failure, startTestServer, TEST_PASSWORD, type TestServer } from '../support/server';
import { stopServer } from './evidence/support';
import { authenticator } from '../support/totp';
import { outboxMails, setupToken } from '../support/mail';
import { createSession } from '../../server/src/auth/session.service';
import { createMailer } from '../../server/src/members/mailer';
import { DEMO_INVITEE, inviteDemoMember } from '../../server/src/demo/invitation';
import { loadConfig } from '../../server/src/config';
import { translate } from '../../shared/i18n';
import type { Language } from '../../shared/domain';

let server: TestServer;
type Client = ReturnType<TestServer['client']>;
let legal: Client;
let supervisor: Client;
let admin: Client;
const anon = (language: Language = 'en') => server.client(null, language);
const PASSWORD = 'paper lantern river seven';
const db = () => server.t.db;

beforeAll(async () => {
  server = await startTestServer({ publicUrl: 'https://arbitra.example.test' });
  legal = server.client(await server.login('legal'));
  supervisor = server.client(await server.login('supervisor'));
  admin = server.client(await server.login('admin'));
}, 120_000);
afterAll(async () => stopServer(server));

// All requests come from 127.0.0.1: failures of one test must not throttle the next.
beforeEach(async () => {
  await db().deleteFrom('login_attempts').execute();
});

let counter = 0;
const address = (label: string) => `${label}.${++counter}@lawfirm.example`;

/** Invites someone and returns the mail the outbox received and its link's token. */
async function invite(email: string, options: { role?: 'arbitrator' | 'mediator'; language?: Language; by?: Client } = {}) {
  const before = outboxMails(server.dataDir).length;
  const invitation = await (options.by ?? legal).members.invite.mutate({ email, role: options.role ?? 'arbitrator', language: options.language ?? 'en' });
  const mails = outboxMails(server.dataDir);
  expect(mails).toHaveLength(before + 1);
  const mail = mails.at(-1)!;
  return { invitation, mail, token: setupToken(mail) };
}

/** Sets an account up from a link; returns what setup answered and the TOTP secret enrolled. */
async function setUp(token: string, extra: { displayName?: string; language?: Language; password?: string } = {}) {
  const start = await anon().members.beginSetup.mutate({ token });
  const result = await anon().members.completeSetup.mutate({
    token,
    displayName: extra.displayName ?? 'Helen Zhang',
    language: extra.language ?? 'en',
    languages: ['en', 'zh-CN'],
    password: extra.password ?? PASSWORD,
    totpCode: authenticator.generate(start.totp.secret),
  });
  return { start, result, secret: start.totp.secret };
}

const count = async (table: 'users' | 'recovery_codes' | 'member_profiles' | 'sessions' | 'audit_log') =>
  Number((await sql<{ n: string }>`select count(*)::text as n from ${sql.table(table)}`.execute(db())).rows[0]!.n);

describe('invitations', () => {
  it('mails the invitee in their language a link to the portal’s setup page; only the token’s hash is stored', async () => {
    const { invitation, mail, token } = await invite('Helen.Zhang@LawFirm.example ', { language: 'zh-CN' });
    expect(invitation).toMatchObject({ email: 'helen.zhang@lawfirm.example', role: 'arbitrator', language: 'zh-CN', state: 'pending', delivery: 'outbox' });
    expect(new Date(invitation.expiresAt).getTime() - new Date(invitation.createdAt).getTime()).toBe(72 * 60 * 60 * 1000);
    expect(mail.headers.to).toBe('helen.zhang@lawfirm.example');
    expect(mail.headers['content-language']).toBe('zh-CN');
    expect(mail.subject).toBe('邀请您以仲裁员身份加入 Arbitra');
    expect(mail.text).toContain('Test legal 邀请您以仲裁员身份加入 Arbitra');
    expect(mail.text).toContain(`https://arbitra.example.test/portal/#/setup?token=${token}`);
    // Readable by the server's user only: the link is a credential until used.
    expect(fs.statSync(mail.file).mode & 0o777).toBe(0o600);
    const row = await db().selectFrom('member_invitations').select(['token_hash']).where('id', '=', invitation.id).executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(await db().selectFrom('member_invitations').selectAll().execute())).not.toContain(token);
  });

  it('writes the mail in English for an English invitee, and admins may invite too', async () => {
    const { mail } = await invite(address('mediator'), { role: 'mediator', by: admin });
    expect(mail.subject).toBe('Invitation to Arbitra as a mediator');
    expect(mail.text).toContain('Test admin invites you to join Arbitra');
    expect(mail.text).toMatch(/expires at \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
  });

  it('takes its lifetime from ARBITRA_INVITATION_TTL_HOURS (72 h by default)', () => {
    expect(loadConfig({}).invitationTtlMs).toBe(72 * 3_600_000);
    expect(loadConfig({ ARBITRA_INVITATION_TTL_HOURS: '24' }).invitationTtlMs).toBe(24 * 3_600_000);
    expect(() => loadConfig({ ARBITRA_INVITATION_TTL_HOURS: '0' })).toThrow(/ARBITRA_INVITATION_TTL_HOURS/);
  });

  it('refuses an address that already has an account, naming the field, and writes nothing', async () => {
    const before = outboxMails(server.dataDir).length;
    const err = await failure(server.client(await server.login('legal'), 'zh-CN').members.invite.mutate({ email: 'ARBITRATOR@example.test', role: 'arbitrator', language: 'en' }));
    expect(err).toMatchObject({ httpStatus: 409, messageKey: 'members.email_taken', field: 'email', message: translate('zh-CN', 'members.email_taken') });
    expect(outboxMails(server.dataDir)).toHaveLength(before);
  });

  it('a new invitation to the same address withdraws the earlier link; a withdrawn link is refused', async () => {
    const email = address('twice');
    const first = await invite(email);
    const second = await invite(email);
    const listed = await legal.members.invitations.query();
    expect(listed.find((i) => i.id === first.invitation.id)).toMatchObject({ state: 'revoked' });
    expect(listed.find((i) => i.id === second.invitation.id)).toMatchObject({ state: 'pending', invitedBy: { displayName: 'Test legal' } });
    const err = await failure(anon('zh-CN').members.beginSetup.mutate({ token: first.token }));
    expect(err).toMatchObject({ httpStatus: 409, messageKey: 'members.invitation_revoked', field: 'token' });
    expect(err.message).toBe(translate('zh-CN', 'members.invitation_revoked'));
    await anon().members.beginSetup.mutate({ token: second.token });
  });

  it('revoking stops the link at once; a link no longer open cannot be revoked', async () => {
    const { invitation, token } = await invite(address('revoked'));
    const revoked = await admin.members.revokeInvitation.mutate({ invitationId: invitation.id });
    expect(revoked).toMatchObject({ state: 'revoked', id: invitation.id });
    expect(await failure(anon().members.beginSetup.mutate({ token }))).toMatchObject({ messageKey: 'members.invitation_revoked' });
    expect(await failure(admin.members.revokeInvitation.mutate({ invitationId: invitation.id }))).toMatchObject({
      httpStatus: 409,
      messageKey: 'members.invitation_not_pending',
      field: 'invitationId',
    });
    const actions = await db().selectFrom('audit_log').select('action').where('entity_id', '=', invitation.id).orderBy('seq').execute();
    expect(actions.map((a) => a.action)).toEqual(['member.invited', 'member.invitation_revoked']);
  });

  it('an expired link is refused with a translated error, before and during setup', async () => {
    const { invitation, token } = await invite(address('late'));
    const start = await anon().members.beginSetup.mutate({ token });
    await server.t.ownerDb
      .updateTable('member_invitations')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', invitation.id)
      .execute();
    const users = await count('users');
    for (const call of [
      () => anon('zh-CN').members.beginSetup.mutate({ token }),
      () => anon('zh-CN').members.completeSetup.mutate({ token, displayName: 'Late', language: 'en', languages: ['en'], password: PASSWORD, totpCode: authenticator.generate(start.totp.secret) }),
    ]) {
      const err = await failure(call());
      expect(err).toMatchObject({ httpStatus: 409, messageKey: 'members.invitation_expired', field: 'token', message: translate('zh-CN', 'members.invitation_expired') });
    }
    expect(await count('users')).toBe(users);
    expect((await legal.members.invitations.query()).find((i) => i.id === invitation.id)?.state).toBe('expired');
  });

  it('without ARBITRA_SMTP_URL, each message is one .eml file in the outbox under the data directory, its path logged', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'arbitra-outbox-'));
    const lines: string[] = [];
    try {
      const mailer = createMailer({ from: 'Arbitra <no-reply@arbitra.invalid>', dataDir, log: (line) => lines.push(line) });
      const sent = await mailer.send({ to: 'a@example.test', subject: 'One', text: 'First', language: 'en' });
      await mailer.send({ to: 'b@example.test', subject: 'Two', text: 'Second', language: 'en' });
      expect(sent.via).toBe('outbox');
      expect(path.dirname(sent.path!)).toBe(path.join(dataDir, 'outbox'));
      expect(fs.readdirSync(path.join(dataDir, 'outbox')).filter((f) => f.endsWith('.eml'))).toHaveLength(2);
      expect(lines[0]).toContain(sent.path!);
      expect(outboxMails(dataDir).map((m) => [m.headers.to, m.subject, m.text.trim()])).toEqual([
        ['a@example.test', 'One', 'First'],
        ['b@example.test', 'Two', 'Second'],
      ]);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('a new demo has one open invitation in the outbox, from its legal counsel, whose link works', async () => {
    const invitation = await inviteDemoMember(db(), server.config);
    expect(invitation).not.toBeNull();
    const mail = outboxMails(server.dataDir).find((m) => m.file === invitation!.file)!;
    expect(invitation!.link).toBe(`https://arbitra.example.test/portal/#/setup?token=${setupToken(mail)}`);
    expect(mail.headers.to).toBe(DEMO_INVITEE.email);
    expect(mail.subject).toBe('邀请您以仲裁员身份加入 Arbitra');
    expect((await anon().members.beginSetup.mutate({ token: setupToken(mail) })).email).toBe(DEMO_INVITEE.email);
    // With a mail server configured it would try to deliver to a made-up address: none then.
    expect(await inviteDemoMember(db(), { ...server.config, smtpUrl: 'smtp://127.0.0.1:1' })).toBeNull();
  });

  it('a token nobody issued is refused naming the field', async () => {
    expect(await failure(anon().members.beginSetup.mutate({ token: 'A'.repeat(43) }))).toMatchObject({ httpStatus: 404, messageKey: 'members.invitation_invalid', field: 'token' });
  });
});

describe('setup from the link', () => {
  it('shows the TOTP to enrol as a QR code, the same on every visit', async () => {
    const { token } = await invite(address('qr'));
    const a = await anon().members.beginSetup.mutate({ token });
    const b = await anon().members.beginSetup.mutate({ token });
    expect(a.totp.secret).toBe(b.totp.secret);
    expect(a.totp.uri).toMatch(/^otpauth:\/\/totp\/.*secret=/);
    expect(a.totp.uri).toContain(a.totp.secret);
    expect(a.totp.qrCode).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(Buffer.from(a.totp.qrCode.split(',')[1]!, 'base64').toString('utf8')).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(a).toMatchObject({ role: 'arbitrator', language: 'en', passwordMinLength: 12 });
    // Reloading the page writes nothing more: one audit entry for the first visit.
    const entries = await db().selectFrom('audit_log').select('action').where('action', '=', 'member.setup_started').execute();
    expect(entries.length).toBeGreaterThan(0);
  });

  it('refuses weak passwords and a wrong first code, naming the field, and writes nothing', async () => {
    const { token } = await invite(address('weak'));
    const { totp } = await anon().members.beginSetup.mutate({ token });
    const base = { token, displayName: 'Wei Chen', language: 'zh-CN' as const, languages: ['zh-CN' as const], password: PASSWORD, totpCode: authenticator.generate(totp.secret) };
    const before = { users: await count('users'), codes: await count('recovery_codes'), audit: await count('audit_log'), sessions: await count('sessions') };
    const cases: [Record<string, unknown>, string, string][] = [
      [{ password: 'Password2026!' }, 'password', 'validation.password_common'],
      [{ password: 'woaini13145200' }, 'password', 'validation.password_common'],
      [{ password: 'Wei Chen 2026!' }, 'password', 'validation.password_personal'],
      [{ password: 'abcabcabcabcabc' }, 'password', 'validation.password_repetitive'],
      [{ password: 'short' }, 'password', 'validation.password_too_weak'],
      [{ totpCode: authenticator.generate(totp.secret, new Date(Date.now() - 10 * 60_000)) }, 'totpCode', 'auth.totp_invalid'],
    ];
    for (const [patch, field, key] of cases) {
      const err = await failure(anon('zh-CN').members.completeSetup.mutate({ ...base, ...patch } as typeof base));
      expect([patch, err.httpStatus, err.field, err.messageKey]).toEqual([patch, 400, field, key]);
      expect(err.message).toBe(translate('zh-CN', key));
    }
    expect({ users: await count('users'), codes: await count('recovery_codes'), audit: await count('audit_log'), sessions: await count('sessions') }).toEqual(before);
  });

  it('completing before the link was opened (no TOTP shown yet) is refused', async () => {
    const { token } = await invite(address('unopened'));
    const err = await failure(anon('zh-CN').members.completeSetup.mutate({ token, displayName: 'Early', language: 'en', languages: ['en'], password: PASSWORD, totpCode: '123456' }));
    expect(err).toMatchObject({ httpStatus: 409, messageKey: 'members.setup_not_started', field: 'totpCode', message: translate('zh-CN', 'members.setup_not_started') });
  });

  it('creates the account with TOTP on, ten recovery codes shown once and stored hashed, and a browser session in a cookie', async () => {
    const email = address('setup');
    const { invitation, token } = await invite(email, { language: 'zh-CN' });
    const start = await anon().members.beginSetup.mutate({ token });
    const res = await fetch(`${server.url}/trpc/members.completeSetup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-arbitra-csrf': '1' },
      body: JSON.stringify({ token, displayName: '  张海伦 ', language: 'zh-CN', languages: ['zh-CN', 'en'], password: PASSWORD, totpCode: authenticator.generate(start.totp.secret) }),
    });
    expect(res.status).toBe(200);
    const { result } = (await res.json()) as { result: { data: { user: { id: string; role: string; displayName: string; language: string }; recoveryCodes: string[]; token?: string } } };
    const data = result.data;
    expect(data.token).toBeUndefined();
    expect(data.user).toMatchObject({ email, role: 'arbitrator', displayName: '张海伦', language: 'zh-CN' });
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^arbitra_session=[^;]+;/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);

    expect(data.recoveryCodes).toHaveLength(10);
    expect(new Set(data.recoveryCodes).size).toBe(10);
    for (const code of data.recoveryCodes) expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    const stored = await db().selectFrom('recovery_codes').select(['code_hash', 'used_at']).where('user_id', '=', data.user.id).execute();
    expect(stored).toHaveLength(10);
    for (const row of stored) expect(row.code_hash).toMatch(/^\$argon2id\$/);
    expect(JSON.stringify(stored)).not.toContain(data.recoveryCodes[0]!.replace(/-/g, ''));

    const user = await db().selectFrom('users').select(['totp_enabled_at', 'totp_secret', 'password_hash']).where('id', '=', data.user.id).executeTakeFirstOrThrow();
    expect(user.totp_enabled_at).not.toBeNull();
    expect(user.totp_secret).toBe(start.totp.secret);
    expect(user.password_hash).toMatch(/^\$argon2id\$/);
    // The session the cookie holds works, has passed TOTP and ends when left unused.
    const sessionToken = /^arbitra_session=([^;]+)/.exec(cookie)![1]!;
    expect((await server.client(sessionToken).members.myProfile.query()).languages).toEqual(['zh-CN', 'en']);
    const session = await db().selectFrom('sessions').select(['kind', 'totp_verified', 'idle_timeout_seconds']).where('user_id', '=', data.user.id).executeTakeFirstOrThrow();
    expect(session).toEqual({ kind: 'browser', totp_verified: true, idle_timeout_seconds: 1800 });
    // The invitation is used up and says by whom; its pending TOTP secret is gone.
    const inv = await db().selectFrom('member_invitations').select(['consumed_at', 'user_id', 'totp_secret']).where('id', '=', invitation.id).executeTakeFirstOrThrow();
    expect(inv).toMatchObject({ user_id: data.user.id, totp_secret: null });
    expect((await legal.members.invitations.query()).find((i) => i.id === invitation.id)).toMatchObject({ state: 'accepted', userId: data.user.id });
  });

  it('a link works once: a second setup, even at the same moment, is refused and writes nothing', async () => {
    const { token } = await invite(address('once'));
    const start = await anon().members.beginSetup.mutate({ token });
    const input = (name: string) => ({ token, displayName: name, language: 'en' as const, languages: ['en' as const], password: PASSWORD, totpCode: authenticator.generate(start.totp.secret) });
    const results = await Promise.allSettled([anon().members.completeSetup.mutate(input('One')), anon().members.completeSetup.mutate(input('Two'))]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const users = await count('users');
    const codes = await count('recovery_codes');
    const err = await failure(anon('zh-CN').members.completeSetup.mutate(input('Three')));
    expect(err).toMatchObject({ httpStatus: 409, messageKey: 'members.invitation_used', field: 'token', message: translate('zh-CN', 'members.invitation_used') });
    expect(await failure(anon().members.beginSetup.mutate({ token }))).toMatchObject({ httpStatus: 409, messageKey: 'members.invitation_used' });
    expect([await count('users'), await count('recovery_codes')]).toEqual([users, codes]);
  });
});

describe('signing in as a member', () => {
  let email: string;
  let secret: string;
  let codes: string[];
  beforeAll(async () => {
    email = address('signin');
    const { token } = await invite(email);
    const done = await setUp(token);
    secret = done.secret;
    codes = done.result.recoveryCodes;
  });
  const login = (extra: Record<string, string>, language: Language = 'en') => anon(language).auth.login.mutate({ email, password: PASSWORD, kind: 'cli', ...extra });

  it('needs the TOTP code or a recovery code after the password', async () => {
    expect(await failure(login({}))).toMatchObject({ httpStatus: 401, messageKey: 'auth.totp_code_required', field: 'totpCode' });
    const ok = await login({ totpCode: authenticator.generate(secret, new Date(Date.now() + 30_000)) });
    expect(ok).toMatchObject({ totp: 'ok', user: { email, role: 'arbitrator' } });
    expect(ok.recoveryCodesLeft).toBeUndefined();
  });

  it('a recovery code signs in once, however it is typed; used again it is refused', async () => {
    const first = await login({ recoveryCode: codes[0]! });
    expect(first).toMatchObject({ totp: 'ok', recoveryCodesLeft: 9 });
    expect(await server.client(first.token!).members.myProfile.query()).toMatchObject({ email });
    const err = await failure(login({ recoveryCode: codes[0]! }, 'zh-CN'));
    expect(err).toMatchObject({ httpStatus: 401, messageKey: 'auth.recovery_code_invalid', field: 'recoveryCode', message: translate('zh-CN', 'auth.recovery_code_invalid') });
    const second = await login({ recoveryCode: ` ${codes[1]!.toLowerCase().replace(/-/g, ' ')} ` });
    expect(second.recoveryCodesLeft).toBe(8);
    expect(await failure(login({ recoveryCode: 'not a code at all' }))).toMatchObject({ messageKey: 'auth.recovery_code_invalid' });
    const audit = await db().selectFrom('audit_log').select(['details']).where('action', '=', 'session.login').orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ secondFactor: 'recovery_code', recoveryCodesLeft: 8 });
  });

  it('wrong recovery codes count as failed sign-ins: the sixth attempt is throttled even with a good code', async () => {
    for (let i = 0; i < 5; i++) expect(await failure(login({ recoveryCode: 'ZZZZ-ZZZZ-ZZZZ' }))).toMatchObject({ messageKey: 'auth.recovery_code_invalid' });
    expect(await failure(login({ recoveryCode: codes[5]! }))).toMatchObject({ httpStatus: 429, messageKey: 'auth.throttled' });
    // The refused attempt did not use the code up.
    await db().deleteFrom('login_attempts').execute();
    expect((await login({ recoveryCode: codes[5]! })).recoveryCodesLeft).toBeGreaterThan(0);
  });

  it('signing out everywhere ends every session of the member', async () => {
    const a = await login({ recoveryCode: codes[6]! });
    const b = await login({ recoveryCode: codes[7]! });
    expect(await server.client(a.token!).auth.logoutEverywhere.mutate()).toMatchObject({ ok: true });
    for (const token of [a.token!, b.token!]) expect(await failure(server.client(token).auth.me.query())).toMatchObject({ httpStatus: 401, messageKey: 'auth.login_required' });
  });
});

describe('new recovery codes', () => {
  it('a member gets a new set with a current TOTP code; the old codes stop working, the new ones work once', async () => {
    const email = address('renew');
    const { token } = await invite(email);
    const { result, secret } = await setUp(token);
    const login = (recoveryCode: string) => anon().auth.login.mutate({ email, password: PASSWORD, kind: 'cli', recoveryCode });
    const member = server.client((await login(result.recoveryCodes[0]!)).token!, 'zh-CN');

    // A wrong code is refused, recorded as a failed attempt, and changes nothing.
    const attempts = await db().selectFrom('login_attempts').select('id').where('email', '=', email).where('succeeded', '=', false).execute();
    const err = await failure(member.members.regenerateRecoveryCodes.mutate({ totpCode: authenticator.generate(secret, new Date(Date.now() - 10 * 60_000)) }));
    expect(err).toMatchObject({ httpStatus: 400, messageKey: 'auth.totp_invalid', field: 'totpCode', message: translate('zh-CN', 'auth.totp_invalid') });
    expect(await db().selectFrom('login_attempts').select('id').where('email', '=', email).where('succeeded', '=', false).execute()).toHaveLength(attempts.length + 1);

    const renewed = await member.members.regenerateRecoveryCodes.mutate({ totpCode: authenticator.generate(secret, new Date(Date.now() + 30_000)) });
    expect(renewed.recoveryCodes).toHaveLength(10);
    expect(renewed.recoveryCodes.filter((c) => result.recoveryCodes.includes(c))).toEqual([]);
    expect(await failure(login(result.recoveryCodes[1]!))).toMatchObject({ messageKey: 'auth.recovery_code_invalid' });
    expect((await login(renewed.recoveryCodes[0]!)).recoveryCodesLeft).toBe(9);
    expect(await failure(login(renewed.recoveryCodes[0]!))).toMatchObject({ messageKey: 'auth.recovery_code_invalid' });
    // The same TOTP code cannot renew them twice.
    expect(await failure(member.members.regenerateRecoveryCodes.mutate({ totpCode: authenticator.generate(secret, new Date(Date.now() + 30_000)) }))).toMatchObject({
      httpStatus: 400,
      messageKey: 'auth.totp_code_used',
    });
  });
});

describe('idle timeout', () => {
  const backdate = (token: string, minutes: number) =>
    server.t.ownerDb
      .updateTable('sessions')
      .set({ last_seen_at: new Date(Date.now() - minutes * 60_000) })
      .where('token_hash', '=', createHash('sha256').update(token).digest('hex'))
      .execute();
  const browserSession = async () => (await createSession(db(), { userId: server.users.arbitrator.id, kind: 'browser', totpVerified: true, ip: '127.0.0.1', userAgent: 'test' })).token;

  it('ends a browser session unused for 30 minutes, saying why in the reader’s language', async () => {
    const token = await browserSession();
    await backdate(token, 31);
    const err = await failure(server.client(token, 'zh-CN').auth.me.query());
    expect(err).toMatchObject({ httpStatus: 401, messageKey: 'auth.session_idle', message: translate('zh-CN', 'auth.session_idle', { minutes: 30 }) });
  });

  it('keeps a session in use alive: each use counts from then', async () => {
    const token = await browserSession();
    await backdate(token, 29);
    await server.client(token).auth.me.query();
    const row = await db().selectFrom('sessions').select('last_seen_at').where('token_hash', '=', createHash('sha256').update(token).digest('hex')).executeTakeFirstOrThrow();
    expect(Date.now() - row.last_seen_at.getTime()).toBeLessThan(60_000);
    await backdate(token, 20);
    expect((await server.client(token).auth.me.query()).user.role).toBe('arbitrator');
  });

  it('applies to browser sign-ins with the configured limit, not to devices or the CLI', async () => {
    expect(loadConfig({}).sessionIdleMs).toBe(30 * 60_000);
    expect(loadConfig({ ARBITRA_SESSION_IDLE_MINUTES: '5' }).sessionIdleMs).toBe(5 * 60_000);
    const cli = await server.login('legal');
    await backdate(cli, 600);
    expect((await server.client(cli).auth.me.query()).user.role).toBe('legal');
    const res = await fetch(`${server.url}/trpc/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-arbitra-csrf': '1' },
      body: JSON.stringify({ email: 'legal@example.test', password: TEST_PASSWORD }),
    });
    const token = /arbitra_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')![1]!;
    const row = await db().selectFrom('sessions').select('idle_timeout_seconds').where('token_hash', '=', createHash('sha256').update(token).digest('hex')).executeTakeFirstOrThrow();
    expect(row.idle_timeout_seconds).toBe(server.config.sessionIdleMs / 1000);
  });
});

describe('member profiles', () => {
  let member: Client;
  let memberId: string;
  beforeAll(async () => {
    const email = address('profile');
    const { token } = await invite(email, { role: 'mediator' });
    const { result } = await setUp(token, { displayName: 'Ada Okafor' });
    memberId = result.user.id;
    member = server.client((await anon().auth.login.mutate({ email, password: PASSWORD, kind: 'cli', recoveryCode: result.recoveryCodes[0]! })).token!);
  });

  it('starts with the languages given at setup, available, no areas or conflicts', async () => {
    expect(await member.members.myProfile.query()).toMatchObject({
      id: memberId,
      role: 'mediator',
      availability: 'available',
      languages: ['en', 'zh-CN'],
      areas: [],
      conflictCompanies: [],
      conflictPeople: [],
    });
  });

  it('a member keeps their profile; legal, supervisors and admins see it when choosing a panel, filtered', async () => {
    const saved = await member.members.updateProfile.mutate({
      availability: 'limited',
      availabilityNote: ' Away 20 Dec – 3 Jan ',
      languages: ['en'],
      areas: ['custody', 'kyc_aml'],
      conflictCompanies: ['Acme Capital Ltd'],
      conflictPeople: ['王伟'],
    });
    expect(saved).toMatchObject({ availability: 'limited', availabilityNote: 'Away 20 Dec – 3 Jan', areas: ['custody', 'kyc_aml'], conflictCompanies: ['Acme Capital Ltd'], conflictPeople: ['王伟'] });
    expect(saved.profileUpdatedAt).not.toBeNull();
    for (const reader of [legal, supervisor, admin]) {
      const listed = await reader.members.list.query({});
      expect(listed.find((m) => m.id === memberId)).toMatchObject({ displayName: 'Ada Okafor', areas: ['custody', 'kyc_aml'], conflictPeople: ['王伟'] });
      expect(listed.every((m) => m.role === 'arbitrator' || m.role === 'mediator')).toBe(true);
    }
    expect((await legal.members.list.query({ area: 'custody' })).map((m) => m.id)).toEqual([memberId]);
    expect((await legal.members.list.query({ area: 'p2p' })).map((m) => m.id)).not.toContain(memberId);
    expect((await legal.members.list.query({ role: 'arbitrator' })).map((m) => m.id)).not.toContain(memberId);
    expect((await legal.members.list.query({ availability: 'limited', language: 'en' })).map((m) => m.id)).toEqual([memberId]);
    // The seeded arbitrator has no profile yet: listed with defaults, marked as never saved.
    expect((await legal.members.list.query({ role: 'arbitrator' })).find((m) => m.id === server.users.arbitrator.id)).toMatchObject({ profileUpdatedAt: null, availability: 'available' });
    const audit = await db().selectFrom('audit_log').select('action').where('entity_id', '=', memberId).where('action', '=', 'member.profile_updated').execute();
    expect(audit).toHaveLength(1);
  });
});
