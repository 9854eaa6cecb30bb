// admin.*: users, teams and intake keys. Thin: validate, call the service (policy.ts decides who may).
import { procedure, router, userContext } from '../trpc/trpc';
import {
  createIntakeKey,
  createTeam,
  createUser,
  disableUser,
  listIntakeKeys,
  listTeams,
  listUsers,
  revokeIntakeKey,
  setTeamMembers,
  setUserRole,
} from './admin.service';
import {
  createIntakeKeyInput,
  createTeamInput,
  createUserInput,
  disableUserInput,
  revokeIntakeKeyInput,
  setTeamMembersInput,
  setUserRoleInput,
} from './admin.schema';

export const adminRouter = router({
  listUsers: procedure.query(({ ctx }) => listUsers(ctx.db)),
  createUser: procedure.input(createUserInput).mutation(({ ctx, input }) => createUser(ctx.db, userContext(ctx), input)),
  setUserRole: procedure.input(setUserRoleInput).mutation(({ ctx, input }) => setUserRole(ctx.db, userContext(ctx), input)),
  disableUser: procedure.input(disableUserInput).mutation(({ ctx, input }) => disableUser(ctx.db, userContext(ctx), input)),
  listTeams: procedure.query(({ ctx }) => listTeams(ctx.db)),
  createTeam: procedure.input(createTeamInput).mutation(({ ctx, input }) => createTeam(ctx.db, userContext(ctx), input)),
  setTeamMembers: procedure.input(setTeamMembersInput).mutation(({ ctx, input }) => setTeamMembers(ctx.db, userContext(ctx), input)),
  createIntakeKey: procedure.input(createIntakeKeyInput).mutation(({ ctx, input }) => createIntakeKey(ctx.db, userContext(ctx), input)),
  revokeIntakeKey: procedure.input(revokeIntakeKeyInput).mutation(({ ctx, input }) => revokeIntakeKey(ctx.db, userContext(ctx), input)),
  listIntakeKeys: procedure.query(({ ctx }) => listIntakeKeys(ctx.db)),
});
