// Thin procedures: validate (schema beside this file), authorize (policy.ts via `procedure`), call the service.
import { procedure, router, userContext } from '../trpc/trpc';
import * as s from './escalations.schema';
import * as escalations from './escalations.service';

export const escalationsRouter = router({
  forCase: procedure.input(s.forCaseInput).query(({ ctx, input }) => escalations.escalationsOfCase(ctx.db, userContext(ctx), input.caseId)),
  mySeats: procedure.query(({ ctx }) => escalations.mySeats(ctx.db, userContext(ctx))),
  assignMember: procedure.input(s.assignMemberInput).mutation(({ ctx, input }) => escalations.assignMember(ctx.db, userContext(ctx), input)),
  disclose: procedure.input(s.discloseInput).mutation(({ ctx, input }) => escalations.disclose(ctx.db, userContext(ctx), input)),
  answerSeat: procedure.input(s.answerSeatInput).mutation(({ ctx, input }) => escalations.answerSeat(ctx.db, userContext(ctx), input)),
  recordRuling: procedure.input(s.recordRulingInput).mutation(({ ctx, input }) => escalations.recordRuling(ctx.db, userContext(ctx), input)),
  signRuling: procedure.input(s.signRulingInput).mutation(({ ctx, input }) => escalations.signRuling(ctx.db, userContext(ctx), input)),
  addOpinion: procedure.input(s.addOpinionInput).mutation(({ ctx, input }) => escalations.addOpinion(ctx.db, userContext(ctx), input)),
});
