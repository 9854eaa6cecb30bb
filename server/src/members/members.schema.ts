// Inputs of the members.* procedures, validated at the edge. What the portal also sends (setup, the
// profile) lives in shared/member-accounts.ts, so its forms validate with the same schemas.
import { z } from 'zod';
import { LANGUAGES } from '../../../shared/domain';
import { uuid } from '../../../shared/schemas';
import { AVAILABILITIES, beginSetupInput, completeSetupInput, MEMBER_AREAS, MEMBER_ROLES, memberProfileInput, memberTotpCode } from '../../../shared/member-accounts';
import { emailAddress } from '../auth/auth.schema';

export const inviteInput = z.strictObject({
  email: emailAddress,
  role: z.enum(MEMBER_ROLES),
  /** The invitee's language: the e-mail is written in it, and it is their first portal language. */
  language: z.enum(LANGUAGES),
});

export const revokeInvitationInput = z.strictObject({ invitationId: uuid });

export const listMembersInput = z.strictObject({
  role: z.enum(MEMBER_ROLES).optional(),
  area: z.enum(MEMBER_AREAS).optional(),
  language: z.enum(LANGUAGES).optional(),
  availability: z.enum(AVAILABILITIES).optional(),
});

export const regenerateRecoveryCodesInput = z.strictObject({ totpCode: memberTotpCode });

export { beginSetupInput, completeSetupInput, memberProfileInput as updateProfileInput };
