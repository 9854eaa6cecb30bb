// Administration: users and roles, teams and membership, intake keys. Every write is audited in its
// transaction; nothing secret (password hashes, TOTP secrets, key hashes) is ever returned.
import type { SessionUser } from '../auth/auth.service';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { DB } from '../db/database';
import { isUniqueViolation } from '../db/pg-errors';
import { transact } from '../db/transaction';
import type { ServiceContext, UserActor } from '../context';
import { audit } from '../audit/audit.service';
import { hashPassword } from '../auth/password';
import { normaliseEmail } from '../auth/auth.service';
import { revokeAllSessionsOfUser } from '../auth/session.repository';
import { AppError, badInput, conflict, notFound } from '../../../shared/errors';
import { EXTERNAL_ROLES, type Language, type Role } from '../../../shared/domain';
import {
  addMemberships,
  emailTaken,
  existingTeamIds,
  findPublicUserById,
  findTeam,
  insertTeam,
  insertUser,
  listTeams as listTeamRows,
  listUsers as listUserRows,
  membershipCount,
  replaceTeamMembers,
  setUserDisabled,
  setUserRole as setUserRoleRow,
  teamNameTaken,
  usersByIds,
} from './users.repository';
import {
  findIntakeKeyById,
  findIntakeKeyByPrefix,
  hashIntakeKey,
  insertIntakeKey,
  listIntakeKeys as listIntakeKeyRows,
  revokeIntakeKey as revokeIntakeKeyRow,
} from '../intake/intake-keys.repository';

type AdminContext = ServiceContext & { actor: UserActor };

// ---------------------------------------------------------------------------------------------
// Views: what leaves the server
// ---------------------------------------------------------------------------------------------

export interface UserView extends SessionUser {
  totpEnabled: boolean;
  disabledAt: string | null;
  createdAt: string;
}

export interface TeamView {
  id: string;
  name: string;
  memberIds: string[];
  createdAt: string;
}

export interface IntakeKeyView {
  id: string;
  name: string;
  prefix: string;
  defaultTeamId: string | null;
  createdBy: string | null;
  createdAt: string;
  revokedAt: string | null;
}

const iso = (d: Date | string) => new Date(d).toISOString();
const isoOrNull = (d: Date | string | null) => (d === null ? null : iso(d));

function userView(row: {
  id: string;
  email: string;
  display_name: string;
  role: string;
  language: string;
  team_ids: string[];
  totp_enabled_at: Date | null;
  disabled_at: Date | null;
  created_at: Date;
}): UserView {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    role: row.role as Role,
    language: row.language as Language,
    teamIds: row.team_ids,
    totpEnabled: row.totp_enabled_at !== null,
    disabledAt: isoOrNull(row.disabled_at),
    createdAt: iso(row.created_at),
  };
}

function teamView(row: { id: string; name: string; member_ids: string[]; created_at: Date }): TeamView {
  return { id: row.id, name: row.name, memberIds: row.member_ids, createdAt: iso(row.created_at) };
}

function intakeKeyView(row: {
  id: string;
  name: string;
  prefix: string;
  default_team_id: string | null;
  created_by: string | null;
  created_at: Date;
  revoked_at: Date | null;
}): IntakeKeyView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    defaultTeamId: row.default_team_id,
    createdBy: row.created_by,
    createdAt: iso(row.created_at),
    revokedAt: isoOrNull(row.revoked_at),
  };
}

const isExternal = (role: string) => (EXTERNAL_ROLES as readonly string[]).includes(role);

async function loadUserView(db: DB, userId: string): Promise<UserView> {
  const row = await findPublicUserById(db, userId);
  if (!row) throw notFound('error.user_not_found', 'userId');
  return userView(row);
}

// ---------------------------------------------------------------------------------------------
// Users
// ---------------------------------------------------------------------------------------------

export async function listUsers(db: DB): Promise<UserView[]> {
  return (await listUserRows(db)).map(userView);
}

export interface CreateUserInput {
  email: string;
  displayName: string;
  role: Role;
  language: Language;
  password: string;
  teamIds: string[];
}

export async function createUser(db: DB, ctx: AdminContext, input: CreateUserInput): Promise<UserView> {
  const email = normaliseEmail(input.email);
  const teamIds = [...new Set(input.teamIds)];
  if (teamIds.length > 0 && isExternal(input.role)) throw badInput('admin.external_user_in_team', 'teamIds');
  const passwordHash = await hashPassword(input.password);
  try {
    return await transact(db, async (trx) => {
      if (await emailTaken(trx, email)) throw conflict('admin.email_taken', 'email');
      const found = await existingTeamIds(trx, teamIds);
      if (found.length !== teamIds.length) throw notFound('error.team_not_found', 'teamIds');
      const userId = await insertUser(trx, {
        email,
        display_name: input.displayName,
        role: input.role,
        language: input.language,
        password_hash: passwordHash,
      });
      await addMemberships(trx, userId, teamIds);
      await audit(trx, ctx, {
        action: 'user.created',
        entity: 'user',
        entityId: userId,
        details: { email, displayName: input.displayName, role: input.role, language: input.language, teamIds },
      });
      return loadUserView(trx, userId);
    });
  } catch (error) {
    // Two admins creating the same address at once: the unique index decides.
    if (isUniqueViolation(error)) throw conflict('admin.email_taken', 'email');
    throw error;
  }
}

export async function setUserRole(db: DB, ctx: AdminContext, input: { userId: string; role: Role }): Promise<UserView> {
  if (input.userId === ctx.actor.userId) throw new AppError('forbidden', 'admin.cannot_change_own_role', { field: 'userId' });
  return transact(db, async (trx) => {
    const user = await findPublicUserById(trx, input.userId);
    if (!user) throw notFound('error.user_not_found', 'userId');
    if (user.role === input.role) return userView(user);
    // External arbitrators and mediators belong to no internal team.
    if (isExternal(input.role) && (await membershipCount(trx, user.id)) > 0) throw conflict('admin.external_user_in_team', 'role');
    await setUserRoleRow(trx, user.id, input.role);
    await audit(trx, ctx, { action: 'user.role_changed', entity: 'user', entityId: user.id, details: { from: user.role, to: input.role } });
    return loadUserView(trx, user.id);
  });
}

/** Disables the account and signs it out everywhere; the user can no longer sign in. */
export async function disableUser(db: DB, ctx: AdminContext, input: { userId: string }, now = new Date()): Promise<UserView> {
  if (input.userId === ctx.actor.userId) throw new AppError('forbidden', 'admin.cannot_disable_self', { field: 'userId' });
  return transact(db, async (trx) => {
    const user = await findPublicUserById(trx, input.userId);
    if (!user) throw notFound('error.user_not_found', 'userId');
    if (user.disabled_at !== null) return userView(user);
    await setUserDisabled(trx, user.id, now);
    const revoked = await revokeAllSessionsOfUser(trx, user.id, now);
    await audit(trx, ctx, {
      action: 'user.disabled',
      entity: 'user',
      entityId: user.id,
      details: { email: user.email, revokedSessions: Number(revoked.numUpdatedRows) },
    });
    return loadUserView(trx, user.id);
  });
}

// ---------------------------------------------------------------------------------------------
// Teams
// ---------------------------------------------------------------------------------------------

export async function listTeams(db: DB): Promise<TeamView[]> {
  return (await listTeamRows(db)).map(teamView);
}

export async function createTeam(db: DB, ctx: AdminContext, input: { name: string }): Promise<TeamView> {
  try {
    return await transact(db, async (trx) => {
      if (await teamNameTaken(trx, input.name)) throw conflict('admin.team_name_taken', 'name');
      const teamId = await insertTeam(trx, input.name);
      await audit(trx, ctx, { action: 'team.created', entity: 'team', entityId: teamId, details: { name: input.name } });
      const team = await findTeam(trx, teamId);
      return teamView(team!);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('admin.team_name_taken', 'name');
    throw error;
  }
}

/** Makes exactly `userIds` the team's members. */
export async function setTeamMembers(db: DB, ctx: AdminContext, input: { teamId: string; userIds: string[] }): Promise<TeamView> {
  const userIds = [...new Set(input.userIds)];
  return transact(db, async (trx) => {
    const team = await findTeam(trx, input.teamId);
    if (!team) throw notFound('error.team_not_found', 'teamId');
    const users = await usersByIds(trx, userIds);
    if (users.length !== userIds.length) throw notFound('error.user_not_found', 'userIds');
    if (users.some((u) => isExternal(u.role))) throw badInput('admin.external_user_in_team', 'userIds');
    const { added, removed } = await replaceTeamMembers(trx, team.id, userIds);
    if (added.length > 0 || removed.length > 0)
      await audit(trx, ctx, { action: 'team.members_changed', entity: 'team', entityId: team.id, details: { added, removed } });
    return teamView((await findTeam(trx, team.id))!);
  });
}

// ---------------------------------------------------------------------------------------------
// Intake keys
// ---------------------------------------------------------------------------------------------

/** `arb_<prefix>_<secret>`: the prefix finds the row, the SHA-256 of the whole key proves it. */
const INTAKE_KEY_PATTERN = /^arb_([0-9a-f]{12})_([0-9a-f]{64})$/;

export async function listIntakeKeys(db: DB): Promise<IntakeKeyView[]> {
  return (await listIntakeKeyRows(db)).map(intakeKeyView);
}

/** Creates an intake key; the key itself is in this answer and nowhere else, ever. */
export async function createIntakeKey(
  db: DB,
  ctx: AdminContext,
  input: { name: string; defaultTeamId?: string | null },
): Promise<{ key: string; intakeKey: IntakeKeyView }> {
  const prefix = randomBytes(6).toString('hex');
  const key = `arb_${prefix}_${randomBytes(32).toString('hex')}`;
  return transact(db, async (trx) => {
    const defaultTeamId = input.defaultTeamId ?? null;
    if (defaultTeamId !== null && !(await findTeam(trx, defaultTeamId))) throw notFound('error.team_not_found', 'defaultTeamId');
    const row = await insertIntakeKey(trx, { name: input.name, prefix, key_hash: hashIntakeKey(key), default_team_id: defaultTeamId, created_by: ctx.actor.userId });
    await audit(trx, ctx, { action: 'intake_key.created', entity: 'intake_key', entityId: row.id, details: { name: input.name, prefix, defaultTeamId } });
    return { key, intakeKey: intakeKeyView(row) };
  });
}

export async function revokeIntakeKey(db: DB, ctx: AdminContext, input: { id: string }, now = new Date()): Promise<IntakeKeyView> {
  return transact(db, async (trx) => {
    const row = await findIntakeKeyById(trx, input.id);
    if (!row) throw notFound('admin.intake_key_not_found', 'id');
    if (row.revoked_at !== null) return intakeKeyView(row);
    await revokeIntakeKeyRow(trx, row.id, now);
    await audit(trx, ctx, { action: 'intake_key.revoked', entity: 'intake_key', entityId: row.id, details: { name: row.name, prefix: row.prefix } });
    return intakeKeyView({ ...row, revoked_at: now });
  });
}

export interface ActiveIntakeKey {
  id: string;
  name: string;
  prefix: string;
  default_team_id: string | null;
  created_by: string | null;
  created_at: Date;
  revoked_at: null;
}

/** The active intake key a bearer token names, or null (malformed, unknown, wrong secret or revoked). */
export async function findIntakeKey(db: DB, bearer: string | null | undefined): Promise<ActiveIntakeKey | null> {
  if (!bearer) return null;
  const match = INTAKE_KEY_PATTERN.exec(bearer);
  if (!match) return null;
  const row = await findIntakeKeyByPrefix(db, match[1]!);
  if (!row || row.revoked_at !== null) return null;
  const presented = Buffer.from(hashIntakeKey(bearer), 'hex');
  const stored = Buffer.from(row.key_hash, 'hex');
  if (presented.length !== stored.length || !timingSafeEqual(presented, stored)) return null;
  const { key_hash: _hash, ...rest } = row;
  return { ...rest, revoked_at: null };
}
