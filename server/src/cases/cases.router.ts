// Thin procedures: validate (schema beside this file), authorize (policy.ts via `procedure`), call the service.
import { procedure, router, userContext } from '../trpc/trpc';
import * as s from './cases.schema';
import * as cases from './cases.service';
import { receiveComplaint } from '../intake/intake.service';
import { canSeeCase } from '../auth/policy';
import { updateCaseFieldsInput } from '../../../shared/sync/protocol';

export const casesRouter = router({
  list: procedure.input(s.listCasesInput).query(({ ctx, input }) => cases.listVisibleCases(ctx.db, userContext(ctx), input)),
  get: procedure.input(s.caseIdInput).query(({ ctx, input }) => cases.getCaseDetail(ctx.db, userContext(ctx), input.caseId)),
  timeline: procedure.input(s.caseIdInput).query(({ ctx, input }) => cases.getTimeline(ctx.db, userContext(ctx), input.caseId)),
  complainantPii: procedure.input(s.caseIdInput).query(({ ctx, input }) => cases.readComplainantPii(ctx.db, userContext(ctx), input.caseId)),
  create: procedure.input(s.createCaseInput).mutation(({ ctx, input }) => {
    const sc = userContext(ctx);
    return receiveComplaint(ctx.db, sc, input, { intakeKeyId: null, teamId: sc.actor.teamIds[0] ?? null, maySee: (c) => canSeeCase(sc.actor, c) });
  }),
  classify: procedure.input(s.classifyInput).mutation(({ ctx, input }) => cases.classifyCase(ctx.db, userContext(ctx), input as Parameters<typeof cases.classifyCase>[2])),
  assign: procedure.input(s.assignInput).mutation(({ ctx, input }) => cases.assignCase(ctx.db, userContext(ctx), input)),
  transition: procedure.input(s.transitionInput).mutation(({ ctx, input }) => cases.transitionCase(ctx.db, userContext(ctx), input)),
  addNote: procedure.input(s.addNoteInput).mutation(({ ctx, input }) => cases.addNote(ctx.db, userContext(ctx), input)),
  addConsultation: procedure.input(s.addConsultationInput).mutation(({ ctx, input }) => cases.addConsultation(ctx.db, userContext(ctx), input)),
  answerConsultation: procedure.input(s.answerConsultationInput).mutation(({ ctx, input }) => cases.answerConsultation(ctx.db, userContext(ctx), input)),
  logCommunication: procedure.input(s.logCommunicationInput).mutation(({ ctx, input }) => cases.logCommunication(ctx.db, userContext(ctx), input)),
  setAssessment: procedure.input(s.setAssessmentInput).mutation(({ ctx, input }) => cases.setAssessment(ctx.db, userContext(ctx), input)),
  proposeRemedy: procedure.input(s.proposeRemedyInput).mutation(({ ctx, input }) => cases.proposeRemedy(ctx.db, userContext(ctx), input)),
  withdrawRemedy: procedure.input(s.withdrawRemedyInput).mutation(({ ctx, input }) => cases.withdrawRemedy(ctx.db, userContext(ctx), input)),
  recordSatisfaction: procedure.input(s.recordSatisfactionInput).mutation(({ ctx, input }) => cases.recordSatisfaction(ctx.db, userContext(ctx), input)),
  recordRelation: procedure.input(s.recordRelationInput).mutation(({ ctx, input }) => cases.recordRelation(ctx.db, userContext(ctx), input)),
  updateFields: procedure.input(updateCaseFieldsInput).mutation(({ ctx, input }) => cases.updateCaseFields(ctx.db, userContext(ctx), input)),
  slaDueSoon: procedure.input(s.slaDueSoonInput).query(({ ctx, input }) => cases.slaDueSoon(ctx.db, userContext(ctx), input)),
});
