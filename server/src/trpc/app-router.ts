import { router } from './trpc';
import { authRouter } from './routers/auth.router';
import { adminRouter } from './routers/admin.router';
import { casesRouter } from './routers/cases.router';
import { rulesRouter } from './routers/rules.router';
import { auditRouter } from './routers/audit.router';
import { evidenceRouter } from './routers/evidence.router';
import { syncRouter } from './routers/sync.router';
import { reportsRouter } from './routers/reports';
import { escalationsRouter } from './routers/escalations';
import { dossiersRouter } from './routers/dossiers';

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
});

export type AppRouter = typeof appRouter;
