import { router } from './trpc';
import { authRouter } from '../auth/auth.router';
import { adminRouter } from '../admin/admin.router';
import { casesRouter } from '../cases/cases.router';
import { rulesRouter } from '../rules/rules.router';
import { auditRouter } from '../audit/audit.router';
import { evidenceRouter } from '../evidence/evidence.router';
import { syncRouter } from '../sync/sync.router';
import { reportsRouter } from '../reports/reports.router';
import { escalationsRouter } from '../escalations/escalations.router';
import { dossiersRouter } from '../dossiers/dossiers.router';
import { membersRouter } from '../members/members.router';

export const appRouter = router({
  auth: authRouter,
  admin: adminRouter,
  cases: casesRouter,
  rules: rulesRouter,
  audit: auditRouter,
  evidence: evidenceRouter,
  sync: syncRouter,
  reports: reportsRouter,
  escalations: escalationsRouter,
  dossiers: dossiersRouter,
  members: membersRouter,
});

export type AppRouter = typeof appRouter;
