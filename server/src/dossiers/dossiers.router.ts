// Thin procedures: validate (dossiers.schema.ts), authorize (policy.ts via `procedure`), call the service.
// The PDF itself is downloaded over REST: GET /api/v1/dossiers/:dossierId/pdf (dossier.routes.ts).
import { procedure, router, userContext } from '../trpc/trpc';
import * as s from './dossiers.schema';
import * as dossiers from './dossier.service';

export const dossiersRouter = router({
  request: procedure.input(s.requestDossierInput).mutation(({ ctx, input }) => dossiers.requestDossier({ db: ctx.db, queue: ctx.dossierQueue ?? null }, userContext(ctx), input)),
  requestExternal: procedure
    .input(s.requestExternalDossierInput)
    .mutation(({ ctx, input }) => dossiers.requestExternalDossier({ db: ctx.db, queue: ctx.dossierQueue ?? null }, userContext(ctx), input)),
  status: procedure.input(s.dossierIdInput).query(({ ctx, input }) => dossiers.dossierStatus({ db: ctx.db }, userContext(ctx), input)),
  list: procedure.input(s.listDossiersInput).query(({ ctx, input }) => dossiers.listDossiers({ db: ctx.db }, userContext(ctx), input)),
});
