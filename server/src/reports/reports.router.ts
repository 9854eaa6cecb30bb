// reports.*: the transparency report. Thin: validate (reports.schema.ts), authorize (policy.ts via
// `procedure`), call the service. An export is recorded on the audit chain, so it is a mutation.
import { procedure, router, userContext } from '../trpc/trpc';
import { transparencyInput } from './reports.schema';
import { exportTransparencyReport } from './transparency.service';
import { latestAuditCheckpoint } from '../audit/checkpoint-store';

export const reportsRouter = router({
  transparency: procedure.input(transparencyInput).mutation(async ({ ctx, input }) => {
    const sc = userContext(ctx);
    // The report prints the audit chain's newest signed checkpoint, kept with the blobs.
    const auditCheckpoint = await latestAuditCheckpoint(ctx.config);
    return exportTransparencyReport(ctx.db, sc, { from: input.from, to: input.to, language: input.language ?? sc.actor.language }, { auditCheckpoint });
  }),
});
