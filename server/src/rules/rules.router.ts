import { procedure, router, userContext } from '../trpc/trpc';
import * as s from './rules.schema';
import * as rules from './rules.service';

export const rulesRouter = router({
  get: procedure.query(({ ctx }) => rules.getRules(ctx.db)),
  setTieringRules: procedure.input(s.setTieringRulesInput).mutation(async ({ ctx, input }) => {
    const sc = userContext(ctx);
    await rules.setTieringRules(ctx.db, sc, input.rules, sc.actor.userId);
    return { ok: true as const };
  }),
  setSlaPolicy: procedure.input(s.setSlaPolicyInput).mutation(async ({ ctx, input }) => {
    const sc = userContext(ctx);
    await rules.setSlaPolicy(ctx.db, sc, input, sc.actor.userId);
    return { ok: true as const };
  }),
  setApprovalThreshold: procedure.input(s.setApprovalThresholdInput).mutation(async ({ ctx, input }) => {
    await rules.setApprovalThreshold(ctx.db, userContext(ctx), input.thresholdUsd);
    return { ok: true as const };
  }),
  setAssetRate: procedure.input(s.setAssetRateInput).mutation(async ({ ctx, input }) => {
    await rules.setAssetRate(ctx.db, userContext(ctx), input.asset, new Date(input.effectiveAt), input.usdRate);
    return { ok: true as const };
  }),
});
