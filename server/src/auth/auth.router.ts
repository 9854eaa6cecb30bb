// auth.*: sign in and out, the signed-in user, TOTP enrolment, password change. Thin: validate, call the service.
import { procedure, router, userContext } from '../trpc/trpc';
import { changePassword, login, logout, logoutEverywhere, me, totpConfirm, totpEnroll, type LoginResult } from './auth.service';
import { changePasswordInput, loginInput, totpConfirmInput } from './auth.schema';

export const authRouter = router({
  login: procedure.input(loginInput).mutation(async ({ ctx, input }): Promise<Omit<LoginResult, 'token'> & { token?: string }> => {
    const { token, ...result } = await login(ctx.db, ctx.meta, input, new Date(), { idleMs: ctx.config.sessionIdleMs });
    // The portal keeps its session in an httpOnly cookie that scripts cannot read, so the token is
    // not in the body either; devices and the CLI hold theirs.
    if ((input.kind ?? 'browser') !== 'browser') return { ...result, token };
    ctx.setSessionCookie(token, new Date(result.expiresAt));
    return result;
  }),
  logout: procedure.mutation(async ({ ctx }) => {
    const result = await logout(ctx.db, userContext(ctx));
    ctx.setSessionCookie(null);
    return result;
  }),
  logoutEverywhere: procedure.mutation(async ({ ctx }) => {
    const result = await logoutEverywhere(ctx.db, userContext(ctx));
    ctx.setSessionCookie(null);
    return result;
  }),
  me: procedure.query(({ ctx }) => me(userContext(ctx))),
  totpEnroll: procedure.mutation(({ ctx }) => totpEnroll(ctx.db, userContext(ctx))),
  totpConfirm: procedure.input(totpConfirmInput).mutation(({ ctx, input }) => totpConfirm(ctx.db, userContext(ctx), input)),
  changePassword: procedure.input(changePasswordInput).mutation(({ ctx, input }) => changePassword(ctx.db, userContext(ctx), input)),
});
