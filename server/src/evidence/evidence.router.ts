import { procedure, router, userContext } from '../trpc/trpc';
import * as s from './evidence.schema';
import * as evidence from './evidence.service';

export const evidenceRouter = router({
  list: procedure.input(s.listExhibitsInput).query(({ ctx, input }) => evidence.listExhibits(ctx.db, userContext(ctx), input.caseId)),
  get: procedure.input(s.exhibitIdInput).query(({ ctx, input }) => evidence.getExhibit(ctx.db, userContext(ctx), input.exhibitId)),
  records: procedure.input(s.recordsInput).query(({ ctx, input }) => evidence.exhibitRecords(ctx.db, userContext(ctx), input)),
  setInternalOnly: procedure.input(s.setInternalOnlyInput).mutation(({ ctx, input }) => evidence.setExhibitInternalOnly(ctx.db, userContext(ctx), input)),
  redact: procedure.input(s.redactInput).mutation(({ ctx, input }) => evidence.redactSpan(ctx.db, userContext(ctx), input)),
  externalView: procedure.input(s.externalViewInput).mutation(({ ctx, input }) => evidence.externalCaseView(ctx.db, userContext(ctx), input)),
});
