// Signing in and out, TOTP enrolment and password changes. Every sign-in attempt is recorded, and
// failed ones are throttled per account and per address; every write is audited in its transaction.
import type { DB } from '../db/database';
import { transact, transactIndependently } from '../db/transaction';
import type { RequestMeta, ServiceContext, UserActor } from '../context';
import { audit } from '../audit/audit.service';
import { AppError, badInput, conflict } from '../../../shared/errors';
import { TOTP_REQUIRED_ROLES, type Language, type Role } from '../../../shared/domain';
import { dummyPasswordHash, hashPassword, verifyPassword } from './password';
import { authenticator } from './totp';
import { createSession } from './session.service';
import { redeemRecoveryCode } from './recovery-codes';
import { markSessionTotpVerified, revokeAllSessionsOfUser, revokeSession, teamIdsOf } from './session.repository';
import { attemptsForEmail, attemptsForEmailFromIp, failuresFromIp, hasSucceededFromIp, lockLoginAccount, recordLoginAttempt, type AttemptRow } from './throttle.repository';
import {
  enableTotp,
  findUserCredentialsByEmail,
  findUserCredentialsById,
  revokeOtherSessions,
  setPasswordHash,
  setPendingTotpSecret,
  setTotpLastStep,
} from '../admin/users.repository';

export type SessionKind = 'browser' | 'device' | 'cli';
export type TotpStatus = 'ok' | 'enrolment_required';

/** The signed-in user as the apps see them: nothing secret. */
export interface SessionUser {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  language: Language;
  teamIds: string[];
}

export interface LoginInput {
  email: string;
  password: string;
  totpCode?: string;
  recoveryCode?: string;
  kind?: SessionKind;
}

export interface LoginResult {
  token: string;
  expiresAt: string;
  user: SessionUser;
  totp: TotpStatus;
  /** When a recovery code stood in for TOTP: how many unused ones are left (the apps urge new ones when few are). */
  recoveryCodesLeft?: number;
}

// ---------------------------------------------------------------------------------------------
// Throttling
// ---------------------------------------------------------------------------------------------

export const THROTTLE = {
  /** Failures counted together when they fall within this window… */
  windowMs: 15 * 60 * 1000,
  /** …lock the account for that address (or the address) for this long after the failure that reached the limit. */
  lockMs: 15 * 60 * 1000,
  /** Failures on one account from one address: the guesser's address is locked out of that account, nobody else. */
  accountAddressLimit: 5,
  /** Failures from one address, whatever the account (password spraying). */
  addressLimit: 20,
  /** Failures on one account from all addresses before each further attempt is slowed down… */
  accountDelayAfter: 5,
  /** …by this much, doubling with every further failure, … */
  accountDelayBaseMs: 500,
  /** …up to this: a delay, never a lockout, so no stranger can keep the owner out. */
  accountDelayMaxMs: 10_000,
  /** How far back the attempts are read; a lock chain older than this is forgotten. */
  lookbackMs: 24 * 60 * 60 * 1000,
  maxRows: 1000,
} as const;

/**
 * When the lock these attempts (oldest first) put in place ends, or null if none holds at `now`.
 * `limit` failures within the window lock until `lockMs` after the last of them. Attempts made
 * while locked were refused without a password check, so they are not guesses and do not count
 * (nor extend the lock); a success clears the count when `resetOnSuccess`.
 */
export function lockedUntil(attempts: readonly AttemptRow[], limit: number, now: Date, options: { resetOnSuccess: boolean }): Date | null {
  let until = Number.NEGATIVE_INFINITY;
  let counted: number[] = [];
  for (const attempt of attempts) {
    const t = attempt.at.getTime();
    if (t < until) continue;
    if (attempt.succeeded) {
      if (options.resetOnSuccess) counted = [];
      continue;
    }
    counted = counted.filter((c) => c > t - THROTTLE.windowMs);
    counted.push(t);
    if (counted.length >= limit) {
      until = t + THROTTLE.lockMs;
      counted = [];
    }
  }
  return until > now.getTime() ? new Date(until) : null;
}

/**
 * The progressive delay before an attempt on an account that failed `failures` times (from any
 * address) within the window since its last success: none up to `accountDelayAfter`, then
 * doubling, capped at `accountDelayMaxMs`.
 */
export function accountDelayMs(failures: number): number {
  if (failures < THROTTLE.accountDelayAfter) return 0;
  return Math.min(THROTTLE.accountDelayMaxMs, THROTTLE.accountDelayBaseMs * 2 ** Math.min(20, failures - THROTTLE.accountDelayAfter));
}

/** The account's failures within the window since its last success, from every address. */
function recentAccountFailures(attempts: readonly AttemptRow[], now: Date): number {
  let n = 0;
  for (const a of attempts) {
    if (a.succeeded) n = 0;
    else if (a.at.getTime() > now.getTime() - THROTTLE.windowMs) n++;
  }
  return n;
}

/**
 * How long to hold this attempt before looking at it (OWASP: slow distributed guessing down
 * instead of locking the account). An address the owner signed in from recently is not slowed.
 */
async function progressiveDelayMs(db: DB, email: string, ip: string, now: Date): Promise<number> {
  const since = new Date(now.getTime() - THROTTLE.lookbackMs);
  const delay = accountDelayMs(recentAccountFailures(await attemptsForEmail(db, email, since, THROTTLE.maxRows), now));
  if (delay === 0 || (await hasSucceededFromIp(db, email, ip, since))) return 0;
  return delay;
}

/**
 * Seconds until this address may try this account again, or null when it may. Locks are per
 * account and address (five guesses lock out the guesser, not the owner elsewhere) and per address.
 */
export async function throttledFor(db: DB, email: string, ip: string, now: Date): Promise<number | null> {
  const since = new Date(now.getTime() - THROTTLE.lookbackMs);
  const pair = lockedUntil(await attemptsForEmailFromIp(db, email, ip, since, THROTTLE.maxRows), THROTTLE.accountAddressLimit, now, { resetOnSuccess: true });
  const address = lockedUntil(await failuresFromIp(db, ip, since, THROTTLE.maxRows), THROTTLE.addressLimit, now, { resetOnSuccess: false });
  const until = Math.max(pair?.getTime() ?? 0, address?.getTime() ?? 0);
  if (until <= now.getTime()) return null;
  return Math.max(1, Math.ceil((until - now.getTime()) / 1000));
}

export function throttledError(retryAfterSeconds: number): AppError {
  return new AppError('too_many_requests', 'auth.throttled', {
    params: { retryAfterSeconds, retryAfterMinutes: Math.ceil(retryAfterSeconds / 60) },
  });
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

const invalidCredentials = () => new AppError('unauthenticated', 'auth.invalid_credentials', { field: 'password' });

/** Whoever is trying to sign in, before we know who they are. */
const anonymousContext = (meta: RequestMeta): ServiceContext => ({ actor: { kind: 'system', name: 'anonymous' }, meta });

export function sessionUser(actor: UserActor): SessionUser {
  return { id: actor.userId, email: actor.email, displayName: actor.displayName, role: actor.role, language: actor.language, teamIds: actor.teamIds };
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: AppError };

/** Runs `work` in a transaction of its own that commits even when the outcome is a refusal (the attempt stays recorded), then throws it. */
export async function commitThenThrow<T>(db: DB, work: (trx: DB) => Promise<Outcome<T>>): Promise<T> {
  const outcome = await transactIndependently(db, work);
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

// ---------------------------------------------------------------------------------------------
// Sign in
// ---------------------------------------------------------------------------------------------

/**
 * Signs in with email, password and (where enrolled) a TOTP code; always a new session. A throttled
 * attempt is refused before the password is looked at; an unknown email costs the same password
 * check as a wrong password and answers the same.
 */
export async function login(db: DB, meta: RequestMeta, input: LoginInput, now = new Date(), options: { idleMs?: number } = {}): Promise<LoginResult> {
  const email = normaliseEmail(input.email);
  const kind: SessionKind = input.kind ?? 'browser';
  const dummyHash = await dummyPasswordHash();
  // Held before the account's lock is taken, so a slowed attempt does not hold up anyone else's.
  const delay = await progressiveDelayMs(db, email, meta.ip, now);
  if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));

  return commitThenThrow(db, async (trx) => {
    const refuse = async (reason: string, error: AppError, userId?: string): Promise<Outcome<LoginResult>> => {
      await recordLoginAttempt(trx, { email, ip: meta.ip, succeeded: false, at: now });
      await audit(trx, anonymousContext(meta), {
        action: 'session.login_failed',
        ...(userId ? { entity: 'user', entityId: userId } : {}),
        details: { email, ip: meta.ip, reason },
      });
      return { ok: false, error };
    };

    await lockLoginAccount(trx, email);
    const retryAfterSeconds = await throttledFor(trx, email, meta.ip, now);
    if (retryAfterSeconds !== null) return refuse('throttled', throttledError(retryAfterSeconds));

    const user = await findUserCredentialsByEmail(trx, email);
    const passwordOk = await verifyPassword(user?.password_hash ?? dummyHash, input.password);
    if (!user) return refuse('unknown_email', invalidCredentials());
    if (!passwordOk) return refuse('wrong_password', invalidCredentials(), user.id);
    if (user.disabled_at !== null) return refuse('disabled', invalidCredentials(), user.id);

    const role = user.role as Role;
    let totp: TotpStatus = 'ok';
    let totpVerified = false;
    let recoveryCodesLeft: number | undefined;
    if (user.totp_enabled_at !== null && user.totp_secret !== null && !input.totpCode && input.recoveryCode) {
      // The authenticator is lost: a recovery code stands in for the TOTP code, once.
      const redeemed = await redeemRecoveryCode(trx, user.id, input.recoveryCode, now);
      if (!redeemed.ok) return refuse('recovery_code_invalid', new AppError('unauthenticated', 'auth.recovery_code_invalid', { field: 'recoveryCode' }), user.id);
      totpVerified = true;
      recoveryCodesLeft = redeemed.remaining;
    } else if (user.totp_enabled_at !== null && user.totp_secret !== null) {
      // Enrolled (mandatory for some roles, chosen by others): the code is part of the sign-in.
      if (!input.totpCode) return refuse('totp_missing', new AppError('unauthenticated', 'auth.totp_code_required', { field: 'totpCode' }), user.id);
      const step = authenticator.matchStep(user.totp_secret, input.totpCode, now);
      if (step === null) return refuse('totp_invalid', new AppError('unauthenticated', 'auth.totp_invalid', { field: 'totpCode' }), user.id);
      if (user.totp_last_step !== null && step <= Number(user.totp_last_step))
        return refuse('totp_replayed', new AppError('unauthenticated', 'auth.totp_code_used', { field: 'totpCode' }), user.id);
      await setTotpLastStep(trx, user.id, step);
      totpVerified = true;
    } else if (TOTP_REQUIRED_ROLES.includes(role)) {
      // Must use TOTP but has not enrolled: a session that can do nothing but enrol.
      totp = 'enrolment_required';
    }

    const session = await createSession(trx, { userId: user.id, kind, totpVerified, ip: meta.ip, userAgent: meta.userAgent, idleMs: options.idleMs }, now);
    await recordLoginAttempt(trx, { email, ip: meta.ip, succeeded: true, at: now });
    const actor: UserActor = {
      kind: 'user',
      userId: user.id,
      role,
      email: user.email,
      displayName: user.display_name,
      language: user.language as Language,
      teamIds: await teamIdsOf(trx, user.id),
      sessionId: session.sessionId,
      totpSatisfied: totp === 'ok',
    };
    const secondFactor = recoveryCodesLeft !== undefined ? { secondFactor: 'recovery_code', recoveryCodesLeft } : {};
    await audit(trx, { actor, meta }, { action: 'session.login', entity: 'session', entityId: session.sessionId, details: { kind, totp, ip: meta.ip, ...secondFactor } });
    return {
      ok: true,
      value: { token: session.token, expiresAt: session.expiresAt.toISOString(), user: sessionUser(actor), totp, ...(recoveryCodesLeft !== undefined ? { recoveryCodesLeft } : {}) },
    };
  });
}

export function me(ctx: ServiceContext & { actor: UserActor }): { user: SessionUser; totp: TotpStatus } {
  return { user: sessionUser(ctx.actor), totp: ctx.actor.totpSatisfied ? 'ok' : 'enrolment_required' };
}

export async function logout(db: DB, ctx: ServiceContext & { actor: UserActor }, now = new Date()): Promise<{ ok: true }> {
  await transact(db, async (trx) => {
    await revokeSession(trx, ctx.actor.sessionId, now);
    await audit(trx, ctx, { action: 'session.logout', entity: 'session', entityId: ctx.actor.sessionId });
  });
  return { ok: true };
}

export async function logoutEverywhere(db: DB, ctx: ServiceContext & { actor: UserActor }, now = new Date()): Promise<{ ok: true; revokedSessions: number }> {
  return transact(db, async (trx) => {
    const result = await revokeAllSessionsOfUser(trx, ctx.actor.userId, now);
    const revokedSessions = Number(result.numUpdatedRows);
    await audit(trx, ctx, { action: 'session.logout_everywhere', entity: 'user', entityId: ctx.actor.userId, details: { revokedSessions } });
    return { ok: true as const, revokedSessions };
  });
}

// ---------------------------------------------------------------------------------------------
// TOTP enrolment
// ---------------------------------------------------------------------------------------------

/** Starts enrolment: a new secret, shown this once to put into an authenticator app. */
export async function totpEnroll(db: DB, ctx: ServiceContext & { actor: UserActor }): Promise<{ secret: string; uri: string }> {
  return transact(db, async (trx) => {
    const user = await findUserCredentialsById(trx, ctx.actor.userId);
    if (!user) throw new AppError('unauthenticated', 'auth.login_required');
    if (user.totp_enabled_at !== null) throw conflict('auth.totp_already_enabled');
    const secret = authenticator.generateSecret();
    await setPendingTotpSecret(trx, user.id, secret);
    await audit(trx, ctx, { action: 'totp.enrolment_started', entity: 'user', entityId: user.id });
    return { secret, uri: authenticator.uri(secret, user.email) };
  });
}

/**
 * Finishes enrolment with a first code: TOTP is on, this session has passed it, and the user's other
 * sessions (which never did) are signed out.
 */
export async function totpConfirm(db: DB, ctx: ServiceContext & { actor: UserActor }, input: { code: string }, now = new Date()): Promise<{ totp: 'ok' }> {
  return transact(db, async (trx) => {
    const user = await findUserCredentialsById(trx, ctx.actor.userId);
    if (!user) throw new AppError('unauthenticated', 'auth.login_required');
    if (user.totp_enabled_at !== null) throw conflict('auth.totp_already_enabled');
    if (user.totp_secret === null) throw conflict('auth.totp_not_started');
    const step = authenticator.matchStep(user.totp_secret, input.code, now);
    if (step === null) throw badInput('auth.totp_invalid', 'code');
    await enableTotp(trx, user.id, now, step);
    await markSessionTotpVerified(trx, ctx.actor.sessionId);
    const revokedSessions = await revokeOtherSessions(trx, user.id, ctx.actor.sessionId, now);
    await audit(trx, ctx, { action: 'totp.enabled', entity: 'user', entityId: user.id, details: { revokedSessions } });
    return { totp: 'ok' as const };
  });
}

// ---------------------------------------------------------------------------------------------
// Password change
// ---------------------------------------------------------------------------------------------

/**
 * Changes the password after checking the current one; the user's other sessions are signed out.
 * The check counts as a sign-in attempt, so a stolen session cannot guess the password unthrottled.
 */
export async function changePassword(
  db: DB,
  ctx: ServiceContext & { actor: UserActor },
  input: { currentPassword: string; newPassword: string },
  now = new Date(),
): Promise<{ ok: true; revokedSessions: number }> {
  if (input.newPassword === input.currentPassword) throw badInput('auth.password_unchanged', 'newPassword');
  const email = normaliseEmail(ctx.actor.email);
  const ip = ctx.meta.ip;
  return commitThenThrow(db, async (trx) => {
    const refuse = async (reason: string, error: AppError): Promise<Outcome<{ ok: true; revokedSessions: number }>> => {
      await recordLoginAttempt(trx, { email, ip, succeeded: false, at: now });
      await audit(trx, ctx, { action: 'user.password_change_failed', entity: 'user', entityId: ctx.actor.userId, details: { reason, ip } });
      return { ok: false, error };
    };

    await lockLoginAccount(trx, email);
    const retryAfterSeconds = await throttledFor(trx, email, ip, now);
    if (retryAfterSeconds !== null) return refuse('throttled', throttledError(retryAfterSeconds));
    const user = await findUserCredentialsById(trx, ctx.actor.userId);
    if (!user) return { ok: false, error: new AppError('unauthenticated', 'auth.login_required') };
    if (!(await verifyPassword(user.password_hash, input.currentPassword))) return refuse('wrong_password', badInput('auth.current_password_wrong', 'currentPassword'));

    await setPasswordHash(trx, user.id, await hashPassword(input.newPassword));
    const revokedSessions = await revokeOtherSessions(trx, user.id, ctx.actor.sessionId, now);
    await recordLoginAttempt(trx, { email, ip, succeeded: true, at: now });
    await audit(trx, ctx, { action: 'user.password_changed', entity: 'user', entityId: user.id, details: { revokedSessions } });
    return { ok: true, value: { ok: true as const, revokedSessions } };
  });
}
