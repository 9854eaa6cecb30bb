// Inputs of the admin.* procedures, validated at the edge.
import { z } from 'zod';
import { LANGUAGES, ROLES } from '../../../shared/domain';
import { text, uuid } from '../../../shared/schemas';
import { emailAddress, newPassword } from '../auth/auth.schema';

export const createUserInput = z.strictObject({
  email: emailAddress,
  displayName: text(100),
  role: z.enum(ROLES),
  language: z.enum(LANGUAGES).default('en'),
  password: newPassword,
  teamIds: z.array(uuid).max(50).default([]),
});

export const setUserRoleInput = z.strictObject({ userId: uuid, role: z.enum(ROLES) });

export const disableUserInput = z.strictObject({ userId: uuid });

export const createTeamInput = z.strictObject({ name: text(100) });

export const setTeamMembersInput = z.strictObject({ teamId: uuid, userIds: z.array(uuid).max(500) });

export const createIntakeKeyInput = z.strictObject({ name: text(100), defaultTeamId: uuid.nullish() });

export const revokeIntakeKeyInput = z.strictObject({ id: uuid });
