import { router } from './trpc';
import { authRouter } from './routers/auth.router';
import { adminRouter } from './routers/admin.router';
import { casesRouter } from './routers/cases.router';
import { rulesRouter } from './routers/rules.router';
import { auditRouter } from './routers/audit.router';
import { evidenceRouter } from './routers/evidence.router';
import { syncRouter } from './routers/sync.router';

export const appRouter = router({
  auth: authRouter,
  admin: adminRouter,
  cases: casesRouter,
  rules: rulesRouter,
  audit: auditRouter,
  evidence: evidenceRouter,
  sync: syncRouter,
});

export type AppRouter = typeof appRouter;
