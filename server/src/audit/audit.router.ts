import { procedure, router, userContext } from '../trpc/trpc';
import * as s from './audit.schema';
import { visibleCase } from '../cases/cases.service';
import { auditEntriesForCase } from './audit.repository';
import { verifyAuditChain } from './audit.service';

export const auditRouter = router({
  caseTrail: procedure.input(s.caseTrailInput).query(async ({ ctx, input }) => {
    const c = await visibleCase(ctx.db, userContext(ctx), input.caseId);
    const rows = await auditEntriesForCase(ctx.db, c.id);
    return rows.map((r) => ({ seq: r.seq, at: r.at, actor: r.actor_label, action: r.action, requestId: r.request_id, details: r.details, hash: r.hash }));
  }),
  verify: procedure.query(({ ctx }) => verifyAuditChain(ctx.db)),
});
