// members.*: external members' accounts. The platform invites (legal, admins), lists and withdraws
// invitations and reads members' profiles to choose a panel; the invitee sets the account up from the
// link (public: the link's token is the credential); a member keeps their own profile and renews
// their recovery codes. Thin:
// validate, call the service (policy.ts decides who may).
import { procedure, router, userContext } from '../trpc/trpc';
import { publicBaseUrl } from '../config';
import { mailerFor } from './mailer';
import { beginSetup, completeSetup, invite, listInvitations, listMembers, myProfile, regenerateRecoveryCodes, revokeInvitation, updateProfile, type SetupResult } from './members.service';
import { beginSetupInput, completeSetupInput, inviteInput, listMembersInput, regenerateRecoveryCodesInput, revokeInvitationInput, updateProfileInput } from './members.schema';

export const membersRouter = router({
  invite: procedure
    .input(inviteInput)
    .mutation(({ ctx, input }) => invite(ctx.db, userContext(ctx), input, { mailer: mailerFor(ctx.config), publicBaseUrl: publicBaseUrl(ctx.config), ttlMs: ctx.config.invitationTtlMs })),
  invitations: procedure.query(({ ctx }) => listInvitations(ctx.db)),
  revokeInvitation: procedure.input(revokeInvitationInput).mutation(({ ctx, input }) => revokeInvitation(ctx.db, userContext(ctx), input)),
  list: procedure.input(listMembersInput).query(({ ctx, input }) => listMembers(ctx.db, input)),
  beginSetup: procedure.input(beginSetupInput).mutation(({ ctx, input }) => beginSetup(ctx.db, ctx.meta, input)),
  completeSetup: procedure.input(completeSetupInput).mutation(async ({ ctx, input }): Promise<Omit<SetupResult, 'token'>> => {
    const { token, ...result } = await completeSetup(ctx.db, ctx.meta, input, { idleMs: ctx.config.sessionIdleMs });
    // The portal's session, as after signing in: in the httpOnly cookie only.
    ctx.setSessionCookie(token, new Date(result.expiresAt));
    return result;
  }),
  myProfile: procedure.query(({ ctx }) => myProfile(ctx.db, userContext(ctx))),
  updateProfile: procedure.input(updateProfileInput).mutation(({ ctx, input }) => updateProfile(ctx.db, userContext(ctx), input)),
  regenerateRecoveryCodes: procedure.input(regenerateRecoveryCodesInput).mutation(({ ctx, input }) => regenerateRecoveryCodes(ctx.db, userContext(ctx), input)),
});
