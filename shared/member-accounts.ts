// Accounts of external members (arbitrators and mediators): the vocabulary of their profile, the inputs the
// portal sends, and the rules of invitations, passwords and recovery codes. Pure: the server and the
// portal's forms use the same schemas and the same answers.
import { z } from 'zod';
import { EXTERNAL_ROLES, LANGUAGES, type Language, type Role } from './domain';
import { text } from './schemas';
import { translate } from './i18n';

/** What a member hears cases about (the platform picks a panel by them). */
export const MEMBER_AREAS = ['trading', 'custody', 'kyc_aml', 'p2p'] as const;
export type MemberArea = (typeof MEMBER_AREAS)[number];

/** Whether a member takes new cases now. */
export const AVAILABILITIES = ['available', 'limited', 'unavailable'] as const;
export type Availability = (typeof AVAILABILITIES)[number];

export const MEMBER_ROLES = EXTERNAL_ROLES as readonly ['arbitrator', 'mediator'];
export type MemberRole = Extract<Role, 'arbitrator' | 'mediator'>;

export const RECOVERY_CODE_COUNT = 10;
export const MEMBER_PASSWORD_MIN_LENGTH = 12;
export const MEMBER_PASSWORD_MAX_LENGTH = 256;

// ---------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------

const unique = (items: readonly unknown[]) => new Set(items.map((i) => (typeof i === 'string' ? i.toLowerCase() : i))).size === items.length;
const uniqueList = <T extends z.ZodType>(item: T, min: number, max: number) => z.array(item).min(min).max(max).refine(unique, 'validation.duplicate_item');

/** The link's token as the server issued it (base64url); anything else cannot be one. */
export const invitationToken = z.string().regex(/^[A-Za-z0-9_-]{20,100}$/, 'members.invitation_invalid');
export const memberTotpCode = z
  .string()
  .trim()
  .regex(/^[0-9]{6}$/, 'validation.totp_code_format');
export const memberLanguages = uniqueList(z.enum(LANGUAGES), 1, LANGUAGES.length);
/** A company or person a member must not sit against, as they write it. */
const conflictName = text(200);

export const memberProfileInput = z.strictObject({
  availability: z.enum(AVAILABILITIES),
  /** When the availability changes, or why it is limited ("away until 15 January"). */
  availabilityNote: text(500, 0).default(''),
  languages: memberLanguages,
  areas: uniqueList(z.enum(MEMBER_AREAS), 0, MEMBER_AREAS.length),
  conflictCompanies: uniqueList(conflictName, 0, 100),
  conflictPeople: uniqueList(conflictName, 0, 100),
});
export type MemberProfileInput = z.output<typeof memberProfileInput>;

export const beginSetupInput = z.strictObject({ token: invitationToken });

export const completeSetupInput = z.strictObject({
  token: invitationToken,
  displayName: text(100),
  /** The language the portal and mail speak to them in. */
  language: z.enum(LANGUAGES),
  /** The languages they hear cases in. */
  languages: memberLanguages,
  password: z.string().min(MEMBER_PASSWORD_MIN_LENGTH, 'validation.password_too_weak').max(MEMBER_PASSWORD_MAX_LENGTH),
  /** The first code of the authenticator just enrolled: proves the enrolment worked. */
  totpCode: memberTotpCode,
});
export type CompleteSetupInput = z.output<typeof completeSetupInput>;

// ---------------------------------------------------------------------------------------------
// Passwords: length and the known-weak check (NIST SP 800-63B), no composition rules
// ---------------------------------------------------------------------------------------------

export type PasswordProblemKey = 'validation.password_too_weak' | 'validation.password_too_long' | 'validation.password_repetitive' | 'validation.password_common' | 'validation.password_personal';

/** Compared as a person would type it again: compatibility-normalised (full width is ASCII) and lower case. */
const normalise = (s: string) => s.normalize('NFKC').toLowerCase();
/** Letters and digits only, for comparing with names and addresses written with other separators. */
const alnum = (s: string) => normalise(s).replace(/[^\p{L}\p{N}]/gu, '');

/** One unit said again and again ("abcabcabcabc", "passwordpassword", "aaaaaaaaaaaa"). */
function isRepeatedUnit(s: string): boolean {
  return /^([\s\S]+?)\1+$/u.test(s);
}

/** Neighbouring keys of a run: each character one after (or before) the last, digits wrapping ("7890123…"). */
function isSequence(chars: readonly string[]): boolean {
  if (chars.length < 3) return false;
  const digits = chars.every((c) => /[0-9]/.test(c));
  const step = (a: string, b: string) => (digits ? (Number(b) - Number(a) + 10) % 10 : b.codePointAt(0)! - a.codePointAt(0)!);
  const first = step(chars[0]!, chars[1]!);
  const expected = digits ? [1, 9] : [1, -1];
  if (!expected.includes(first)) return false;
  for (let i = 1; i < chars.length - 1; i++) if (step(chars[i]!, chars[i + 1]!) !== first) return false;
  return true;
}

/**
 * Why a new password is refused, or null when it is fine: shorter than 12 characters (counted as
 * characters a person sees, not UTF-16 units), one unit repeated, a run of neighbouring characters or
 * hardly more than two different characters,
 * one of the commonly used passwords (also with digits or symbols added before or after), or the
 * person's own name or address, or the service's name.
 */
export function passwordProblem(password: string, context: { email?: string; names?: readonly string[] }, common: ReadonlySet<string>): PasswordProblemKey | null {
  const chars = Array.from(password.normalize('NFC'));
  if (chars.length < MEMBER_PASSWORD_MIN_LENGTH) return 'validation.password_too_weak';
  if (password.length > MEMBER_PASSWORD_MAX_LENGTH) return 'validation.password_too_long';
  const plain = normalise(password);
  // Spaces do not make a pattern less of one ("li li li li li li").
  const squeezed = Array.from(plain.replace(/\s+/g, ''));
  if (new Set(squeezed).size < 3 || isRepeatedUnit(squeezed.join('')) || isSequence(squeezed)) return 'validation.password_repetitive';
  // The word with the digits and symbols people put around it taken away: "Password2026!" is "password".
  const core = plain.replace(/^[^\p{L}]+/u, '').replace(/[^\p{L}]+$/u, '');
  if (common.has(plain) || common.has(plain.replace(/\s+/g, '')) || (core.length >= 4 && common.has(core))) return 'validation.password_common';
  const personal = [context.email ?? '', (context.email ?? '').split('@')[0] ?? '', ...(context.names ?? []), 'arbitra'].map(alnum).filter((w) => w.length >= 3);
  const bare = alnum(password);
  const bareCore = alnum(core);
  if (personal.some((w) => w === bare || w === bareCore)) return 'validation.password_personal';
  return null;
}

// ---------------------------------------------------------------------------------------------
// Invitations
// ---------------------------------------------------------------------------------------------

export type InvitationState = 'pending' | 'accepted' | 'revoked' | 'expired';

/** Where an invitation stands at `now`: used or revoked for good, otherwise pending until it expires. */
export function invitationState(invitation: { expiresAt: Date; consumedAt: Date | null; revokedAt: Date | null }, now: Date): InvitationState {
  if (invitation.consumedAt !== null) return 'accepted';
  if (invitation.revokedAt !== null) return 'revoked';
  return invitation.expiresAt.getTime() > now.getTime() ? 'pending' : 'expired';
}

/** The message a link answers with when it can no longer be used. */
export const INVITATION_REFUSAL: Record<Exclude<InvitationState, 'pending'>, string> = {
  accepted: 'members.invitation_used',
  revoked: 'members.invitation_revoked',
  expired: 'members.invitation_expired',
};

/** The portal's setup page for a token; the token travels in the fragment, which browsers never send to a server. */
export function setupLink(publicBaseUrl: string, token: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/portal/#/setup?token=${encodeURIComponent(token)}`;
}

/** `2026-12-09 10:00 UTC`: one unambiguous form in both languages. */
export function mailDateTime(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The invitation e-mail in the invitee's language: plain text, the link on a line of its own. */
export function invitationMail(language: Language, input: { role: MemberRole; inviterName: string; link: string; expiresAt: Date }): { subject: string; text: string } {
  const role = translate(language, `members.mail.as.${input.role}`);
  const params = { role, inviter: input.inviterName, link: input.link, expiresAt: mailDateTime(input.expiresAt) };
  return {
    subject: translate(language, 'members.mail.invitation.subject', params),
    text: translate(language, 'members.mail.invitation.body', params),
  };
}

// ---------------------------------------------------------------------------------------------
// Recovery codes
// ---------------------------------------------------------------------------------------------

/** Crockford's base32: no I, L, O or U, so a code read aloud or copied by hand survives. */
export const RECOVERY_CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const RECOVERY_CODE_LENGTH = 12;

/** `ABCD-EFGH-JKMN`: how a code is shown. */
export function formatRecoveryCode(raw: string): string {
  return raw.match(/.{1,4}/g)!.join('-');
}

/**
 * A typed recovery code in its stored form, or null when it cannot be one: case, spaces and dashes
 * do not matter, and the letters people confuse with digits (O, I, L) read as those digits.
 */
export function normaliseRecoveryCode(typed: string): string | null {
  const s = typed.normalize('NFKC').toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (s.length !== RECOVERY_CODE_LENGTH) return null;
  for (const c of s) if (!RECOVERY_CODE_ALPHABET.includes(c)) return null;
  return s;
}
