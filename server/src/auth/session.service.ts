// Session tokens: random, shown once to the client, stored only as a SHA-256 hash.
import { createHash, randomBytes } from 'node:crypto';
import type { DB } from '../db/database';
import type { UserActor } from '../context';
import { TOTP_REQUIRED_ROLES, type Language, type Role } from '../../../shared/domain';
import { findActiveSessionByTokenHash, idleExpiredSession, insertSession, revokedDeviceOfToken, touchSession } from './session.repository';

export const SESSION_COOKIE = 'arbitra_session';
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
export const DEVICE_SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/** A browser session unused this long ends (ARBITRA_SESSION_IDLE_MINUTES sets the server's). */
export const SESSION_IDLE_MS = 30 * 60 * 1000;
/** How stale the recorded last use may get before a request writes it again (one write a minute, not one a request). */
const TOUCH_AFTER_MS = 60 * 1000;

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
export const newToken = () => randomBytes(32).toString('base64url');

export async function createSession(
  db: DB,
  input: {
    userId: string;
    kind: 'browser' | 'device' | 'cli';
    totpVerified: boolean;
    ip: string | null;
    userAgent: string | null;
    deviceId?: string | null;
    /** For browser sessions: how long unused before the session ends (default SESSION_IDLE_MS). */
    idleMs?: number;
  },
  now = new Date(),
): Promise<{ token: string; sessionId: string; expiresAt: Date }> {
  const token = newToken();
  const expiresAt = new Date(now.getTime() + (input.kind === 'device' ? DEVICE_SESSION_TTL_MS : SESSION_TTL_MS));
  // A browser is the one left open on a desk; devices and the CLI hold their tokens on purpose.
  const idleSeconds = input.kind === 'browser' ? Math.max(1, Math.round((input.idleMs ?? SESSION_IDLE_MS) / 1000)) : null;
  const { id } = await insertSession(db, {
    token_hash: hashToken(token),
    user_id: input.userId,
    kind: input.kind,
    totp_verified: input.totpVerified,
    expires_at: expiresAt,
    ip: input.ip,
    user_agent: input.userAgent,
    device_id: input.deviceId ?? null,
    idle_timeout_seconds: idleSeconds,
    last_seen_at: now,
  });
  return { token, sessionId: id, expiresAt };
}

/** The actor behind a session token, or null when the token is unknown, expired, revoked, idle too long or its user disabled. */
export async function resolveActor(db: DB, token: string | null | undefined, now = new Date()): Promise<UserActor | null> {
  if (!token || token.length > 256) return null;
  const row = await findActiveSessionByTokenHash(db, hashToken(token), now);
  if (!row) return null;
  if (now.getTime() - new Date(row.last_seen_at).getTime() >= TOUCH_AFTER_MS) await touchSession(db, row.session_id, now);
  const role = row.role as Role;
  return {
    kind: 'user',
    userId: row.user_id,
    role,
    email: row.email,
    displayName: row.display_name,
    language: row.language as Language,
    teamIds: row.team_ids,
    sessionId: row.session_id,
    deviceId: row.device_id,
    totpSatisfied: row.totp_verified || !TOTP_REQUIRED_ROLES.includes(role),
  };
}

/** Why a presented token does not work, when the answer matters to the client (a revoked device wipes itself). */
export async function tokenProblem(db: DB, token: string | null | undefined, now = new Date()): Promise<{ messageKey: string; params: Record<string, string> } | null> {
  if (!token || token.length > 256) return null;
  const device = await revokedDeviceOfToken(db, hashToken(token));
  if (device) return { messageKey: 'sync.device_revoked', params: { reason: device.revoked_reason ?? '' } };
  // Signed out for being left unused: the apps say so instead of a bare "please sign in".
  const idle = await idleExpiredSession(db, hashToken(token), now);
  if (idle) return { messageKey: 'auth.session_idle', params: { minutes: String(Math.round((idle.idle_timeout_seconds ?? 0) / 60)) } };
  return null;
}
