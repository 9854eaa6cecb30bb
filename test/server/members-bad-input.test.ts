// Bad input to every members.* procedure that takes input (and the recovery code of auth.login): a
// clear 400 with a message key naming the field, translated for the reader (zh-CN here), never a
// 500, and nothing written (no invitation, user, profile, recovery code, session, sign-in attempt, audit entry or mail).
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, startTestServer, type TestServer } from '../support/server';
import { stopServer } from './evidence/support';
import { badInputTable, callProcedure, expectBadInputInChinese } from '../support/bad-input';
import { outboxMails, setupToken } from '../support/mail';

let server: TestServer;
type Client = ReturnType<TestServer['client']>;
const zh = {} as Record<'legal' | 'arbitrator' | 'anonymous', Client>;
/** A real link, so input that slipped past validation would actually set an account up. */
let token = '';

const QUERIES = new Set(['members.list']);
const roleFor = (proc: string) =>
  proc.startsWith('members.') && /invite|revokeInvitation|list$/.test(proc) ? 'legal' : proc === 'members.updateProfile' || proc === 'members.regenerateRecoveryCodes' ? 'arbitrator' : 'anonymous';
const long = (n: number) => 'x'.repeat(n);

const profile = () => ({ availability: 'available', languages: ['en'], areas: ['trading'], conflictCompanies: [], conflictPeople: [] });
const base: Record<string, () => Record<string, unknown>> = {
  'members.invite': () => ({ email: 'new.member@lawfirm.example', role: 'arbitrator', language: 'en' }),
  'members.revokeInvitation': () => ({ invitationId: randomUUID() }),
  'members.list': () => ({}),
  'members.beginSetup': () => ({ token }),
  'members.completeSetup': () => ({ token, displayName: 'Helen Zhang', language: 'en', languages: ['en'], password: 'paper lantern river seven', totpCode: '123456' }),
  'members.updateProfile': profile,
  'members.regenerateRecoveryCodes': () => ({ totpCode: '123456' }),
  'auth.login': () => ({ email: 'arbitrator@example.test', password: 'whatever it is', recoveryCode: 'ABCD-EFGH-JKMN' }),
};
const { rows, bad } = badInputTable(base);

bad('members.invite', 'email not an address', { email: 'helen at lawfirm' }, 'email', 'validation.format.email');
bad('members.invite', 'email missing', { email: undefined }, 'email', 'validation.required');
bad('members.invite', 'email of 255 characters', { email: `${long(243)}@example.com` }, 'email');
bad('members.invite', 'role specialist', { role: 'specialist' }, 'role', 'validation.invalid_enum');
bad('members.invite', 'role admin', { role: 'admin' }, 'role', 'validation.invalid_enum');
bad('members.invite', 'language fr', { language: 'fr' }, 'language', 'validation.invalid_enum');
bad('members.invite', 'language missing', { language: undefined }, 'language', 'validation.required');
bad('members.invite', 'a token of your own', { token: 'a'.repeat(43) }, 'token', 'validation.unknown_field');
bad('members.revokeInvitation', 'invitationId not a uuid', { invitationId: 'inv-1' }, 'invitationId', 'validation.format.uuid');
bad('members.revokeInvitation', 'invitationId missing', { invitationId: undefined }, 'invitationId');
bad('members.list', 'area derivatives', { area: 'derivatives' }, 'area', 'validation.invalid_enum');
bad('members.list', 'role legal', { role: 'legal' }, 'role', 'validation.invalid_enum');
bad('members.list', 'availability busy', { availability: 'busy' }, 'availability', 'validation.invalid_enum');
bad('members.list', 'unknown field', { withConflicts: true }, 'withConflicts', 'validation.unknown_field');
bad('members.beginSetup', 'token missing', { token: undefined }, 'token', 'validation.required');
bad('members.beginSetup', 'token with spaces', { token: 'not a token at all, really' }, 'token', 'members.invitation_invalid');
bad('members.beginSetup', 'token too short', { token: 'abc' }, 'token', 'members.invitation_invalid');
bad('members.beginSetup', 'token of 101 characters', { token: 'a'.repeat(101) }, 'token', 'members.invitation_invalid');
bad('members.beginSetup', 'token as a number', { token: 12345 }, 'token', 'validation.invalid_type');
bad('members.completeSetup', 'blank name', { displayName: '   ' }, 'displayName', 'validation.required');
bad('members.completeSetup', 'name of 101 characters', { displayName: long(101) }, 'displayName', 'validation.too_long');
bad('members.completeSetup', 'name with a control character', { displayName: 'Helen\u0007' }, 'displayName', 'validation.control_characters');
bad('members.completeSetup', 'name with a NUL', { displayName: 'Helen\u0000' }, 'displayName', 'validation.nul_character');
bad('members.completeSetup', 'language de', { language: 'de' }, 'language', 'validation.invalid_enum');
bad('members.completeSetup', 'no languages', { languages: [] }, 'languages', 'validation.too_few');
bad('members.completeSetup', 'a language twice', { languages: ['en', 'en'] }, 'languages', 'validation.duplicate_item');
bad('members.completeSetup', 'a language not offered', { languages: ['en', 'ja'] }, 'languages.1', 'validation.invalid_enum');
bad('members.completeSetup', 'password of 11 characters', { password: 'elevenchars' }, 'password', 'validation.password_too_weak');
bad('members.completeSetup', 'password of 257 characters', { password: long(257) }, 'password', 'validation.too_long');
bad('members.completeSetup', 'a common password', { password: 'password1234' }, 'password', 'validation.password_common');
bad('members.completeSetup', 'the e-mail address as password', { password: 'new.member@lawfirm.example' }, 'password', 'validation.password_personal');
bad('members.completeSetup', 'a repetitive password', { password: '123456789012' }, 'password', 'validation.password_repetitive');
bad('members.completeSetup', 'TOTP code of 5 digits', { totpCode: '12345' }, 'totpCode', 'validation.totp_code_format');
bad('members.completeSetup', 'TOTP code with letters', { totpCode: '12345a' }, 'totpCode', 'validation.totp_code_format');
bad('members.completeSetup', 'TOTP code missing', { totpCode: undefined }, 'totpCode', 'validation.required');
bad('members.completeSetup', 'a role of your choosing', { role: 'admin' }, 'role', 'validation.unknown_field');
bad('members.updateProfile', 'availability busy', { availability: 'busy' }, 'availability', 'validation.invalid_enum');
bad('members.updateProfile', 'availability missing', { availability: undefined }, 'availability', 'validation.required');
bad('members.updateProfile', 'note of 501 characters', { availabilityNote: long(501) }, 'availabilityNote', 'validation.too_long');
bad('members.updateProfile', 'no languages', { languages: [] }, 'languages', 'validation.too_few');
bad('members.updateProfile', 'area derivatives', { areas: ['trading', 'derivatives'] }, 'areas.1', 'validation.invalid_enum');
bad('members.updateProfile', 'an area twice', { areas: ['p2p', 'p2p'] }, 'areas', 'validation.duplicate_item');
bad('members.updateProfile', 'a company twice, in other case', { conflictCompanies: ['Acme Ltd', 'ACME LTD'] }, 'conflictCompanies', 'validation.duplicate_item');
bad('members.updateProfile', 'a blank company', { conflictCompanies: ['  '] }, 'conflictCompanies.0', 'validation.required');
bad('members.updateProfile', 'a person of 201 characters', { conflictPeople: [long(201)] }, 'conflictPeople.0', 'validation.too_long');
bad('members.updateProfile', '101 companies', { conflictCompanies: Array.from({ length: 101 }, (_, i) => `Company ${i}`) }, 'conflictCompanies', 'validation.too_many');
bad('members.updateProfile', 'conflicts as a string', { conflictPeople: 'Wang Wei' }, 'conflictPeople', 'validation.invalid_type');
bad('members.updateProfile', 'an id of your own', { userId: randomUUID() }, 'userId', 'validation.unknown_field');
bad('members.regenerateRecoveryCodes', 'TOTP code of 7 digits', { totpCode: '1234567' }, 'totpCode', 'validation.totp_code_format');
bad('members.regenerateRecoveryCodes', 'TOTP code missing', { totpCode: undefined }, 'totpCode', 'validation.required');
bad('members.regenerateRecoveryCodes', 'a user of your choosing', { userId: randomUUID() }, 'userId', 'validation.unknown_field');
bad('auth.login', 'recovery code empty', { recoveryCode: '' }, 'recoveryCode', 'validation.required');
bad('auth.login', 'recovery code of 65 characters', { recoveryCode: long(65) }, 'recoveryCode', 'validation.too_long');

/** What a refused call must leave as it was: the members' tables, sessions, the audit log, the change versions and the outbox. */
async function snapshot() {
  const r = await sql<Record<string, string>>`
    select (select last_value::text from change_version) as version,
           (select count(*)::text from audit_log) as audit,
           (select count(*)::text from member_invitations) as invitations,
           (select count(*)::text from users) as users,
           (select count(*)::text from member_profiles) as profiles,
           (select count(*)::text from recovery_codes) as codes,
           (select count(*)::text from sessions) as sessions,
           (select count(*)::text from login_attempts) as attempts,
           (select string_agg(coalesce(totp_secret, '-'), ',' order by id) from member_invitations) as secrets`.execute(server.t.db);
  return { ...r.rows[0]!, outbox: outboxMails(server.dataDir).length };
}

beforeAll(async () => {
  server = await startTestServer();
  zh.legal = server.client(await server.login('legal'), 'zh-CN');
  zh.arbitrator = server.client(await server.login('arbitrator'), 'zh-CN');
  zh.anonymous = server.client(null, 'zh-CN');
  await zh.legal.members.invite.mutate({ email: 'new.member@lawfirm.example', role: 'arbitrator', language: 'en' });
  token = setupToken(outboxMails(server.dataDir).at(-1)!);
}, 120_000);
afterAll(async () => stopServer(server));

describe('bad input to members.*', () => {
  it('covers every members procedure that takes input', () => {
    expect(new Set(rows.map((r) => r.proc))).toEqual(new Set(Object.keys(base)));
  });

  it.each(rows.map((r) => [`${r.proc}: ${r.label}`, r] as const))('%s → 400 naming the field, in Chinese, nothing written', async (_name, r) => {
    const before = await snapshot();
    expectBadInputInChinese(await failure(callProcedure(zh[roleFor(r.proc)], r.proc, r.input(), QUERIES)), r, /^(validation|members)\./);
    expect(await snapshot()).toEqual(before);
  });

  it('names the field of a well-formed id or token that points at nothing (404, translated), and writes nothing', async () => {
    const before = await snapshot();
    const cases: [string, Record<string, unknown>, string, string][] = [
      ['members.revokeInvitation', { invitationId: randomUUID() }, 'invitationId', 'members.invitation_not_found'],
      ['members.beginSetup', { token: 'B'.repeat(43) }, 'token', 'members.invitation_invalid'],
      ['members.completeSetup', { ...base['members.completeSetup']!(), token: 'C'.repeat(43) }, 'token', 'members.invitation_invalid'],
    ];
    for (const [proc, input, field, key] of cases) {
      const err = await failure(callProcedure(zh[roleFor(proc)], proc, input, QUERIES));
      expect([proc, err.httpStatus, err.field, err.messageKey]).toEqual([proc, 404, field, key]);
      expect(err.message).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(await snapshot()).toEqual(before);
  });
});
