// reports.*: the transparency report. Thin: validate (reports.schema.ts), authorize (policy.ts via
// `procedure`), call the service. An export is recorded on the audit chain, so it is a mutation.
import { procedure, router, userContext } from '../trpc/trpc';
import { transparencyInput } from './reports.schema';
import { exportTransparencyReport } from './transparency.service';

export const reportsRouter = router({
  transparency: procedure.input(transparencyInput).mutation(({ ctx, input }) => {
    const sc = userContext(ctx);
    return exportTransparencyReport(ctx.db, sc, { from: input.from, to: input.to, language: input.language ?? sc.actor.language });
  }),
});
