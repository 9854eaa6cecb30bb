// External members' accounts: legal or an admin invites an arbitrator or mediator by e-mail; the
// invitee sets the account up from the link (name, languages, password, TOTP, recovery codes) and
// keeps a profile the platform reads when it chooses a panel. Every write is audited in its
// transaction; the link's token and the recovery codes are stored only as hashes.
import QRCode from 'qrcode';
import type { DB } from '../db/database';
import { transact } from '../db/transaction';
import { isUniqueViolation } from '../db/pg-errors';
import type { RequestMeta, ServiceContext, UserActor } from '../context';
import { audit } from '../audit/audit.service';
import { AppError, badInput, conflict, notFound } from '../../../shared/errors';
import type { Language } from '../../../shared/domain';
import { COMMON_PASSWORDS } from '../../../shared/common-passwords';
import {
  INVITATION_REFUSAL,
  invitationMail,
  invitationState,
  MEMBER_PASSWORD_MIN_LENGTH,
  passwordProblem,
  setupLink,
  type Availability,
  type CompleteSetupInput,
  type InvitationState,
  type MemberArea,
  type MemberProfileInput,
  type MemberRole,
} from '../../../shared/member-accounts';
import { hashPassword } from '../auth/password';
import { authenticator } from '../auth/totp';
import { hashToken, newToken, createSession } from '../auth/session.service';
import { commitThenThrow, normaliseEmail, sessionUser, throttledError, throttledFor, type Outcome, type SessionUser } from '../auth/auth.service';
import { prepareRecoveryCodes, replaceRecoveryCodes, storeRecoveryCodes } from '../auth/recovery-codes';
import { lockLoginAccount, recordLoginAttempt } from '../auth/throttle.repository';
import { emailTaken, findUserCredentialsById, setTotpLastStep } from '../admin/users.repository';
import type { Mailer } from './mailer';
import {
  consumeInvitation,
  findInvitationById,
  findInvitationByTokenHash,
  findMember,
  insertInvitation,
  insertMemberUser,
  listInvitations as listInvitationRows,
  listMembers as listMemberRows,
  revokeInvitation as revokeInvitationRow,
  revokeOpenInvitationsFor,
  setInvitationTotpSecret,
  upsertProfile,
} from './members.repository';

type UserContext = ServiceContext & { actor: UserActor };

// ---------------------------------------------------------------------------------------------
// Views: what leaves the server
// ---------------------------------------------------------------------------------------------

export interface InvitationView {
  id: string;
  email: string;
  role: MemberRole;
  language: Language;
  state: InvitationState;
  invitedBy: { id: string; displayName: string };
  createdAt: string;
  expiresAt: string;
  acceptedAt: string | null;
  userId: string | null;
  revokedAt: string | null;
}

export interface MemberView {
  id: string;
  email: string;
  displayName: string;
  role: MemberRole;
  language: Language;
  totpEnabled: boolean;
  availability: Availability;
  availabilityNote: string;
  languages: Language[];
  areas: MemberArea[];
  conflictCompanies: string[];
  conflictPeople: string[];
  /** Null until the member first saves a profile (a member made before profiles, or by an admin). */
  profileUpdatedAt: string | null;
}

const iso = (d: Date | string) => new Date(d).toISOString();
const isoOrNull = (d: Date | string | null) => (d === null ? null : iso(d));

function invitationView(
  row: {
    id: string;
    email: string;
    role: string;
    language: string;
    created_at: Date;
    expires_at: Date;
    consumed_at: Date | null;
    user_id: string | null;
    revoked_at: Date | null;
    invited_by: string;
  },
  inviterName: string,
  now: Date,
): InvitationView {
  return {
    id: row.id,
    email: row.email,
    role: row.role as MemberRole,
    language: row.language as Language,
    state: invitationState({ expiresAt: new Date(row.expires_at), consumedAt: row.consumed_at, revokedAt: row.revoked_at }, now),
    invitedBy: { id: row.invited_by, displayName: inviterName },
    createdAt: iso(row.created_at),
    expiresAt: iso(row.expires_at),
    acceptedAt: isoOrNull(row.consumed_at),
    userId: row.user_id,
    revokedAt: isoOrNull(row.revoked_at),
  };
}

type MemberRow = NonNullable<Awaited<ReturnType<typeof findMember>>>;

function memberView(row: MemberRow): MemberView {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    role: row.role as MemberRole,
    language: row.language as Language,
    totpEnabled: row.totp_enabled_at !== null,
    availability: (row.availability ?? 'available') as Availability,
    availabilityNote: row.availability_note ?? '',
    languages: (row.languages ?? []) as Language[],
    areas: (row.areas ?? []) as MemberArea[],
    conflictCompanies: row.conflict_companies ?? [],
    conflictPeople: row.conflict_people ?? [],
    profileUpdatedAt: isoOrNull(row.updated_at),
  };
}

// ---------------------------------------------------------------------------------------------
// Invitations (the platform side)
// ---------------------------------------------------------------------------------------------

export interface InviteDeps {
  mailer: Mailer;
  /** Where people reach the server: the base of the setup link. */
  publicBaseUrl: string;
  /** How long the link works. */
  ttlMs: number;
}

/**
 * Invites an arbitrator or mediator: a single-use link that expires, mailed in their language. An
 * earlier invitation to the same address still open is withdrawn (only the newest link works). The
 * mail is sent inside the transaction: if it cannot be sent, no invitation is left behind.
 */
export async function invite(
  db: DB,
  ctx: UserContext,
  input: { email: string; role: MemberRole; language: Language },
  deps: InviteDeps,
  now = new Date(),
): Promise<InvitationView & { delivery: 'smtp' | 'outbox' }> {
  const email = normaliseEmail(input.email);
  return transact(db, async (trx) => {
    if (await emailTaken(trx, email)) throw conflict('members.email_taken', 'email');
    const superseded = await revokeOpenInvitationsFor(trx, email, ctx.actor.userId, now);
    const token = newToken();
    const expiresAt = new Date(now.getTime() + deps.ttlMs);
    const row = await insertInvitation(trx, { email, role: input.role, language: input.language, token_hash: hashToken(token), invited_by: ctx.actor.userId, created_at: now, expires_at: expiresAt });
    const mail = invitationMail(input.language, { role: input.role, inviterName: ctx.actor.displayName, link: setupLink(deps.publicBaseUrl, token), expiresAt });
    // A mail server that does not take the message: nothing is kept (the transaction ends), and the
    // person is told to try again rather than shown an internal error.
    const sent = await deps.mailer.send({ to: email, ...mail, language: input.language }).catch(() => {
      throw new AppError('unavailable', 'members.mail_unavailable');
    });
    await audit(trx, ctx, {
      action: 'member.invited',
      entity: 'member_invitation',
      entityId: row.id,
      details: { email, role: input.role, language: input.language, expiresAt: expiresAt.toISOString(), delivery: sent.via, superseded },
    });
    return { ...invitationView(row, ctx.actor.displayName, now), delivery: sent.via };
  });
}

export async function listInvitations(db: DB, now = new Date()): Promise<InvitationView[]> {
  const rows = await listInvitationRows(db, 500);
  return rows.map((r) => invitationView(r, r.inviter_name, now));
}

/** Withdraws an invitation still open: its link stops working at once. */
export async function revokeInvitation(db: DB, ctx: UserContext, input: { invitationId: string }, now = new Date()): Promise<InvitationView> {
  return transact(db, async (trx) => {
    const row = await findInvitationById(trx, input.invitationId, { lock: true });
    if (!row) throw notFound('members.invitation_not_found', 'invitationId');
    if (!(await revokeInvitationRow(trx, row.id, ctx.actor.userId, now))) throw conflict('members.invitation_not_pending', 'invitationId');
    await audit(trx, ctx, { action: 'member.invitation_revoked', entity: 'member_invitation', entityId: row.id, details: { email: row.email } });
    const [after] = await listInvitationRows(trx, 1, row.id);
    return invitationView(after!, after!.inviter_name, now);
  });
}

// ---------------------------------------------------------------------------------------------
// Setup from the link (the invitee, not signed in)
// ---------------------------------------------------------------------------------------------

/** Whoever holds the link, before they have an account. */
const inviteeContext = (meta: RequestMeta): ServiceContext => ({ actor: { kind: 'system', name: 'invitee' }, meta });

/** The invitation behind a token while it can still be used; otherwise the refusal naming why. */
async function usableInvitation(db: DB, token: string, now: Date, options: { lock?: boolean } = {}) {
  const row = await findInvitationByTokenHash(db, hashToken(token), options);
  if (!row) throw new AppError('not_found', 'members.invitation_invalid', { field: 'token' });
  const state = invitationState({ expiresAt: new Date(row.expires_at), consumedAt: row.consumed_at, revokedAt: row.revoked_at }, now);
  if (state !== 'pending') throw conflict(INVITATION_REFUSAL[state], 'token');
  return row;
}

export interface SetupStart {
  email: string;
  role: MemberRole;
  language: Language;
  expiresAt: string;
  passwordMinLength: number;
  /** The authenticator to enrol: the secret (to type in), the otpauth URI and the same as a QR code (an SVG data URL). */
  totp: { secret: string; uri: string; qrCode: string };
}

/**
 * Opens the setup page: who is invited, and the TOTP secret to enrol (made on the first visit and
 * kept, so reloading the page shows the same QR code). Writes nothing but that secret and its audit entry.
 */
export async function beginSetup(db: DB, meta: RequestMeta, input: { token: string }, now = new Date()): Promise<SetupStart> {
  return transact(db, async (trx) => {
    const row = await usableInvitation(trx, input.token, now, { lock: true });
    let secret = row.totp_secret;
    if (secret === null) {
      secret = authenticator.generateSecret();
      await setInvitationTotpSecret(trx, row.id, secret);
      await audit(trx, inviteeContext(meta), { action: 'member.setup_started', entity: 'member_invitation', entityId: row.id });
    }
    const uri = authenticator.uri(secret, row.email);
    const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    return {
      email: row.email,
      role: row.role as MemberRole,
      language: row.language as Language,
      expiresAt: iso(row.expires_at),
      passwordMinLength: MEMBER_PASSWORD_MIN_LENGTH,
      totp: { secret, uri, qrCode: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` },
    };
  });
}

export interface SetupResult {
  token: string;
  expiresAt: string;
  user: SessionUser;
  totp: 'ok';
  /** Shown this once; only their hashes are kept. */
  recoveryCodes: string[];
}

/**
 * Creates the account from the link, all or nothing: the password passes the strength rules, the
 * first TOTP code proves the enrolment, and in one transaction the invitation is used up (a second
 * use, a withdrawn or expired link is refused), the user, profile and recovery codes are written and
 * a session begins.
 */
export async function completeSetup(db: DB, meta: RequestMeta, input: CompleteSetupInput, options: { idleMs?: number } = {}, now = new Date()): Promise<SetupResult> {
  const first = await usableInvitation(db, input.token, now);
  const weak = passwordProblem(input.password, { email: first.email, names: [input.displayName] }, COMMON_PASSWORDS);
  if (weak) throw badInput(weak, 'password');
  // Checked again under the lock below; here so a wrong code is refused before eleven argon2 hashes are spent on it.
  if (first.totp_secret === null) throw conflict('members.setup_not_started', 'totpCode');
  if (authenticator.matchStep(first.totp_secret, input.totpCode, now) === null) throw badInput('auth.totp_invalid', 'totpCode');
  // The slow hashing happens before the transaction, so it holds no lock meanwhile.
  const [passwordHash, codes] = await Promise.all([hashPassword(input.password), prepareRecoveryCodes()]);
  try {
    return await transact(db, async (trx) => {
      const row = await usableInvitation(trx, input.token, now, { lock: true });
      if (row.totp_secret === null) throw conflict('members.setup_not_started', 'totpCode');
      const step = authenticator.matchStep(row.totp_secret, input.totpCode, now);
      if (step === null) throw badInput('auth.totp_invalid', 'totpCode');
      if (await emailTaken(trx, row.email)) throw conflict('members.email_taken', 'token');
      const { id: userId } = await insertMemberUser(trx, {
        email: row.email,
        display_name: input.displayName,
        role: row.role,
        language: input.language,
        password_hash: passwordHash,
        totp_secret: row.totp_secret,
        totp_enabled_at: now,
        totp_last_step: step,
      });
      if (!(await consumeInvitation(trx, row.id, userId, now))) throw conflict('members.invitation_used', 'token');
      await upsertProfile(trx, userId, { availability: 'available', availability_note: '', languages: input.languages, areas: [], conflict_companies: [], conflict_people: [] }, now);
      await storeRecoveryCodes(trx, userId, codes.hashes, now);
      const session = await createSession(trx, { userId, kind: 'browser', totpVerified: true, ip: meta.ip, userAgent: meta.userAgent, idleMs: options.idleMs }, now);
      const actor: UserActor = {
        kind: 'user',
        userId,
        role: row.role as MemberRole,
        email: row.email,
        displayName: input.displayName,
        language: input.language,
        teamIds: [],
        sessionId: session.sessionId,
        totpSatisfied: true,
      };
      await audit(
        trx,
        { actor, meta },
        {
          action: 'member.account_created',
          entity: 'user',
          entityId: userId,
          details: { invitationId: row.id, role: row.role, language: input.language, languages: input.languages, recoveryCodes: codes.hashes.length, sessionId: session.sessionId },
        },
      );
      return { token: session.token, expiresAt: session.expiresAt.toISOString(), user: sessionUser(actor), totp: 'ok' as const, recoveryCodes: codes.shown };
    });
  } catch (error) {
    // The same link completed twice at once: the first one's user holds the address.
    if (isUniqueViolation(error)) throw conflict('members.invitation_used', 'token');
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Recovery codes
// ---------------------------------------------------------------------------------------------

/**
 * A new set of ten recovery codes for a member whose old ones are used up or exposed; the old ones stop
 * working. Needs a current TOTP code (a session alone is not enough), which counts as a sign-in
 * attempt: a wrong one is recorded and throttled, so a stolen session cannot guess codes unthrottled.
 */
export async function regenerateRecoveryCodes(db: DB, ctx: UserContext, input: { totpCode: string }, now = new Date()): Promise<{ recoveryCodes: string[] }> {
  const codes = await prepareRecoveryCodes();
  const email = normaliseEmail(ctx.actor.email);
  const ip = ctx.meta.ip;
  return commitThenThrow(db, async (trx) => {
    const refuse = async (reason: string, error: AppError): Promise<Outcome<{ recoveryCodes: string[] }>> => {
      await recordLoginAttempt(trx, { email, ip, succeeded: false, at: now });
      await audit(trx, ctx, { action: 'member.recovery_codes_refused', entity: 'user', entityId: ctx.actor.userId, details: { reason, ip } });
      return { ok: false, error };
    };
    await lockLoginAccount(trx, email);
    const retryAfterSeconds = await throttledFor(trx, email, ip, now);
    if (retryAfterSeconds !== null) return refuse('throttled', throttledError(retryAfterSeconds));
    const user = await findUserCredentialsById(trx, ctx.actor.userId);
    if (!user) return { ok: false, error: new AppError('unauthenticated', 'auth.login_required') };
    if (user.totp_enabled_at === null || user.totp_secret === null) return { ok: false, error: conflict('auth.totp_not_started', 'totpCode') };
    const step = authenticator.matchStep(user.totp_secret, input.totpCode, now);
    if (step === null) return refuse('totp_invalid', badInput('auth.totp_invalid', 'totpCode'));
    if (user.totp_last_step !== null && step <= Number(user.totp_last_step)) return refuse('totp_replayed', badInput('auth.totp_code_used', 'totpCode'));
    await setTotpLastStep(trx, user.id, step);
    await replaceRecoveryCodes(trx, user.id, codes.hashes, now);
    await recordLoginAttempt(trx, { email, ip, succeeded: true, at: now });
    await audit(trx, ctx, { action: 'member.recovery_codes_regenerated', entity: 'user', entityId: user.id, details: { recoveryCodes: codes.hashes.length } });
    return { ok: true, value: { recoveryCodes: codes.shown } };
  });
}

// ---------------------------------------------------------------------------------------------
// Profiles
// ---------------------------------------------------------------------------------------------

export async function myProfile(db: DB, ctx: UserContext): Promise<MemberView> {
  const row = await findMember(db, ctx.actor.userId);
  if (!row) throw new AppError('unauthenticated', 'auth.login_required');
  return memberView(row);
}

export async function updateProfile(db: DB, ctx: UserContext, input: MemberProfileInput, now = new Date()): Promise<MemberView> {
  return transact(db, async (trx) => {
    const values = {
      availability: input.availability,
      availability_note: input.availabilityNote,
      languages: [...input.languages],
      areas: [...input.areas],
      conflict_companies: [...input.conflictCompanies],
      conflict_people: [...input.conflictPeople],
    };
    await upsertProfile(trx, ctx.actor.userId, values, now);
    await audit(trx, ctx, { action: 'member.profile_updated', entity: 'user', entityId: ctx.actor.userId, details: { ...input } });
    return memberView((await findMember(trx, ctx.actor.userId))!);
  });
}

/** Members with their profiles, for choosing a panel: who is available, in which languages and areas, and whom they must not sit against. */
export async function listMembers(db: DB, filter: { role?: MemberRole; area?: MemberArea; language?: Language; availability?: Availability }): Promise<MemberView[]> {
  return (await listMemberRows(db, filter)).map(memberView);
}
