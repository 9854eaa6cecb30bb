// The rules of external members' accounts: password strength (length and the known-weak check, no
// composition rules), invitation states and the link, the invitation e-mail in both languages,
// recovery-code formats, and the inputs the portal sends.
import { describe, expect, it } from 'vitest';
import { COMMON_PASSWORDS } from '../../shared/common-passwords';
import {
  completeSetupInput,
  formatRecoveryCode,
  INVITATION_REFUSAL,
  invitationMail,
  invitationState,
  mailDateTime,
  memberProfileInput,
  normaliseRecoveryCode,
  passwordProblem,
  RECOVERY_CODE_ALPHABET,
  RECOVERY_CODE_LENGTH,
  setupLink,
} from '../../shared/member-accounts';
import { hasMessage } from '../../shared/i18n';
import { fieldIssues } from '../../shared/validation';

const who = { email: 'helen.zhang@lawfirm.example', names: ['Helen Zhang'] };
const check = (password: string) => passwordProblem(password, who, COMMON_PASSWORDS);

describe('passwordProblem', () => {
  it('accepts long passwords of any make-up: no composition rules', () => {
    for (const ok of ['correct horse battery staple', 'lowercaseonlybutlong', '我的密码很长而且不常见吧', 'Tr0ub4dor&3xyz', 'paper lantern river 7']) expect([ok, check(ok)]).toEqual([ok, null]);
  });

  it('counts characters a person sees, not UTF-16 units', () => {
    expect(check('密码密码密码密码密码')).toBe('validation.password_too_weak'); // 10 characters
    expect(check('🐉🐉🐉🐉🐉🐉')).toBe('validation.password_too_weak'); // 12 UTF-16 units, 6 characters
    expect(check('a'.repeat(11))).toBe('validation.password_too_weak');
    expect(check('x'.repeat(257))).toBe('validation.password_too_long');
  });

  it('refuses repeated units and runs of neighbouring characters', () => {
    for (const bad of [
      'aaaaaaaaaaaa',
      'abcabcabcabc',
      'passwordpassword',
      'abcdefghijklm',
      'zyxwvutsrqpo',
      '123456789012',
      '890123456789',
      '987654321098',
      '121212121212',
      '            x ',
      'ab ab ab ab ab ab',
      'aabbaabbaaab',
    ])
      expect([bad, check(bad)]).toEqual([bad, 'validation.password_repetitive']);
    expect(check('abcdefghijkz')).toBeNull();
  });

  it('refuses the common passwords, also with digits and symbols around them and in other case or width', () => {
    for (const bad of [
      'password1234',
      'Password2026!',
      'QWERTYUIOP123',
      '1qaz2wsx3edc',
      'iloveyou1314',
      '!!!sunshine!!!',
      'ｐａｓｓｗｏｒｄ１２３４',
      'woaini1314520',
      'baseball1234',
      'trustno1trustno',
    ])
      expect([bad, check(bad)]).toEqual([bad, bad === 'trustno1trustno' ? null : 'validation.password_common']);
  });

  it('refuses the person’s own name and address and the service’s name', () => {
    for (const bad of ['helen.zhang@lawfirm.example', 'HelenZhang2026', 'helen_zhang!!!', 'Arbitra2026!!', 'helen zhang 1234'])
      expect([bad, check(bad)]).toEqual([bad, 'validation.password_personal']);
    // A name inside a longer phrase is not the name.
    expect(check('helen zhang likes green tea')).toBeNull();
    // Short names say nothing: "Li" matches too much.
    expect(passwordProblem('li li li li li li', { names: ['Li'] }, new Set())).toBe('validation.password_repetitive');
    expect(passwordProblem('li-and-twelve-chars', { names: ['Li'] }, new Set())).toBeNull();
  });

  it('bundles a list of common passwords: lower case, unique, at least 10,000', () => {
    expect(COMMON_PASSWORDS.size).toBeGreaterThanOrEqual(10_000);
    for (const p of ['123456', 'password', 'qwerty', '5201314', 'woaini1314']) expect(COMMON_PASSWORDS.has(p)).toBe(true);
    expect([...COMMON_PASSWORDS].filter((p) => p !== p.toLowerCase() || p.trim() === '')).toEqual([]);
  });

  it('every problem is a message in both languages', () => {
    for (const key of ['validation.password_too_weak', 'validation.password_too_long', 'validation.password_repetitive', 'validation.password_common', 'validation.password_personal'])
      expect([key, hasMessage(key)]).toEqual([key, true]);
  });
});

describe('invitations', () => {
  const now = new Date('2026-12-06T10:00:00Z');
  const later = new Date('2026-12-09T10:00:00Z');
  const at = (o: Partial<{ expiresAt: Date; consumedAt: Date | null; revokedAt: Date | null }>) => invitationState({ expiresAt: later, consumedAt: null, revokedAt: null, ...o }, now);

  it('is pending until it expires, then expired; used or withdrawn for good', () => {
    expect(at({})).toBe('pending');
    expect(at({ expiresAt: new Date(now.getTime() + 1) })).toBe('pending');
    expect(at({ expiresAt: now })).toBe('expired');
    expect(at({ consumedAt: now })).toBe('accepted');
    expect(at({ consumedAt: now, expiresAt: now })).toBe('accepted');
    expect(at({ revokedAt: now })).toBe('revoked');
    expect(at({ revokedAt: now, expiresAt: now })).toBe('revoked');
  });

  it('has a translated refusal for every state but pending', () => {
    expect(Object.keys(INVITATION_REFUSAL).sort()).toEqual(['accepted', 'expired', 'revoked']);
    for (const key of Object.values(INVITATION_REFUSAL)) expect([key, hasMessage(key)]).toEqual([key, true]);
  });

  it('links to the portal’s setup route with the token in the fragment', () => {
    expect(setupLink('https://arbitra.example.com/', 'abc_DEF-123')).toBe('https://arbitra.example.com/portal/#/setup?token=abc_DEF-123');
    expect(setupLink('http://127.0.0.1:5170', 'x')).toBe('http://127.0.0.1:5170/portal/#/setup?token=x');
  });

  it('writes the e-mail in the invitee’s language, with the link on a line of its own and the expiry', () => {
    const link = setupLink('https://arbitra.example.com', 'tok');
    const en = invitationMail('en', { role: 'arbitrator', inviterName: 'Li Na', link, expiresAt: later });
    expect(en.subject).toBe('Invitation to Arbitra as an arbitrator');
    expect(en.text).toContain(`\n${link}\n`);
    expect(en.text).toContain('Li Na invites you');
    expect(en.text).toContain('2026-12-09 10:00 UTC');
    const zh = invitationMail('zh-CN', { role: 'mediator', inviterName: '李娜', link, expiresAt: later });
    expect(zh.subject).toBe('邀请您以调解员身份加入 Arbitra');
    expect(zh.text).toContain(`\n${link}\n`);
    expect(zh.text).toMatch(/李娜 邀请您以调解员身份/);
    expect(zh.text).not.toMatch(/\{\w+\}/);
    expect(mailDateTime(new Date('2026-01-02T03:04:05.678Z'))).toBe('2026-01-02 03:04 UTC');
  });
});

describe('recovery codes', () => {
  it('shows codes in groups of four and reads them back however they are typed', () => {
    expect(formatRecoveryCode('ABCDEFGHJKMN')).toBe('ABCD-EFGH-JKMN');
    expect(normaliseRecoveryCode('ABCD-EFGH-JKMN')).toBe('ABCDEFGHJKMN');
    expect(normaliseRecoveryCode(' abcd efgh jkmn ')).toBe('ABCDEFGHJKMN');
    expect(normaliseRecoveryCode('ＡＢＣＤ－ＥＦＧＨ－ＪＫＭＮ')).toBe('ABCDEFGHJKMN');
    // O, I and L are not in the alphabet: read as the digits people mean.
    expect(normaliseRecoveryCode('O1IL-0000-0000')).toBe('011100000000');
  });

  it('refuses what cannot be a code', () => {
    for (const bad of ['', 'ABCD-EFGH-JKM', 'ABCD-EFGH-JKMNP', 'ABCD-EFGH-JKMU', 'ABCD_EFGH_JKMN', '123456']) expect([bad, normaliseRecoveryCode(bad)]).toEqual([bad, null]);
  });

  it('uses an alphabet of 32 distinct characters, 60 bits a code', () => {
    expect(new Set(RECOVERY_CODE_ALPHABET).size).toBe(32);
    expect(RECOVERY_CODE_LENGTH * Math.log2(RECOVERY_CODE_ALPHABET.length)).toBe(60);
  });
});

describe('inputs the portal sends', () => {
  const profile = { availability: 'available', languages: ['zh-CN', 'en'], areas: ['trading', 'p2p'], conflictCompanies: ['Acme Capital'], conflictPeople: [] };
  const issues = (r: { success: boolean; error?: unknown }) => (r.success ? [] : fieldIssues(r.error as never).map((i) => [i.field, i.messageKey]));

  it('takes a profile, trimming names and defaulting the note', () => {
    const r = memberProfileInput.parse({ ...profile, conflictPeople: ['  王伟 '] });
    expect(r).toMatchObject({ availabilityNote: '', conflictPeople: ['王伟'] });
  });

  it('refuses duplicates, unknown areas, no language, and more than 100 conflicts', () => {
    expect(issues(memberProfileInput.safeParse({ ...profile, languages: ['en', 'en'] }))).toEqual([['languages', 'validation.duplicate_item']]);
    expect(issues(memberProfileInput.safeParse({ ...profile, languages: [] }))).toEqual([['languages', 'validation.too_few']]);
    expect(issues(memberProfileInput.safeParse({ ...profile, areas: ['custody', 'derivatives'] }))).toEqual([['areas.1', 'validation.invalid_enum']]);
    expect(issues(memberProfileInput.safeParse({ ...profile, conflictCompanies: ['Acme', 'ACME'] }))).toEqual([['conflictCompanies', 'validation.duplicate_item']]);
    expect(issues(memberProfileInput.safeParse({ ...profile, conflictPeople: Array.from({ length: 101 }, (_, i) => `P${i}`) }))).toEqual([['conflictPeople', 'validation.too_many']]);
  });

  it('checks the setup form’s token, password length and code format', () => {
    const ok = { token: 'a'.repeat(43), displayName: 'Helen Zhang', language: 'en', languages: ['en'], password: 'correct horse battery staple', totpCode: '123456' };
    expect(completeSetupInput.safeParse(ok).success).toBe(true);
    expect(issues(completeSetupInput.safeParse({ ...ok, token: 'not a token' }))).toEqual([['token', 'members.invitation_invalid']]);
    expect(issues(completeSetupInput.safeParse({ ...ok, password: 'short' }))).toEqual([['password', 'validation.password_too_weak']]);
    expect(issues(completeSetupInput.safeParse({ ...ok, totpCode: '12345' }))).toEqual([['totpCode', 'validation.totp_code_format']]);
  });
});
