// Dossier PDFs over REST, because they are bytes: the requester, legal and supervisors who see the
// case, and an arbitrator or mediator their own external copy. Each download is audited.
//   GET /api/v1/dossiers/:dossierId/pdf
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requestMeta, bearerToken } from '../http/request';
import type { ServiceContext, UserActor } from '../context';
import type { DB } from '../db/database';
import type { BlobStore } from '../evidence/blob-store';
import { resolveActor, SESSION_COOKIE } from '../auth/session.service';
import { REST_ACCESS } from '../auth/policy';
import { AppError } from '../../../shared/errors';
import { parseInput } from '../../../shared/validation';
import { dossierIdParams } from './dossiers.schema';
import { openDossierPdf } from './dossier.service';

const ROUTE = 'GET /api/v1/dossiers/:dossierId/pdf' as const;

async function userContext(req: FastifyRequest, db: DB): Promise<ServiceContext & { actor: UserActor }> {
  const actor = await resolveActor(db, bearerToken(req) ?? req.cookies?.[SESSION_COOKIE] ?? null);
  if (!actor) throw new AppError('unauthenticated', 'auth.login_required');
  if (!actor.totpSatisfied) throw new AppError('forbidden', 'auth.totp_required');
  if (!(REST_ACCESS[ROUTE] as readonly string[]).includes(actor.role)) throw new AppError('forbidden', 'error.forbidden');
  return { actor, meta: requestMeta(req) };
}

/** RFC 6266 / 5987: an ASCII fallback name and the real one in UTF-8, nothing that could break the header. */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

export async function registerDossierRoutes(app: FastifyInstance, deps: { db: DB; store: BlobStore }): Promise<void> {
  app.get('/api/v1/dossiers/:dossierId/pdf', async (req, reply) => {
    const ctx = await userContext(req, deps.db);
    const { dossierId } = parseInput(dossierIdParams, req.params);
    const file = await openDossierPdf(deps, ctx, dossierId);
    return reply
      .header('content-type', 'application/pdf')
      .header('content-length', String(file.size))
      .header('content-disposition', contentDisposition(file.fileName))
      .header('x-content-sha256', file.sha256)
      .header('cache-control', 'private, no-store')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .send(file.stream);
  });
}
