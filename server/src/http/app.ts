// The HTTP edge: Fastify hosting tRPC at /trpc, the intake REST API at /api/v1, the arbitration
// portal's page and assets at /portal/, and /healthz.
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import { fastifyTRPCPlugin, type CreateFastifyContextOptions } from '@trpc/server/adapters/fastify';
import { pingDatabase, type DB } from '../db/database';
import type { ServerConfig } from '../config';
import { appRouter, type AppRouter } from '../trpc/app-router';
import type { TrpcContext } from '../trpc/trpc';
import { resolveActor, SESSION_COOKIE, tokenProblem } from '../auth/session.service';
import { translate } from '../../../shared/i18n';
import { AppError } from '../../../shared/errors';
import { bearerToken, errorBody, HTTP_STATUS, requestMeta } from './request';
import { csrfRefusal, sendCsrfRefusal } from './csrf';
import { sessionCookieOptions } from './session-cookie';
import { registerIntakeRoutes } from '../intake/intake.routes';
import { registerEvidenceRoutes } from '../evidence/evidence.routes';
import type { EvidenceDeps } from '../evidence/evidence-deps';
import type { ChangeNotifier } from '../sync/change-notifier';
import { evidenceDeps } from '../evidence/store-from-config';
import { registerDossierRoutes } from '../dossiers/dossier.routes';
import type { DossierQueue } from '../dossiers/dossier-jobs';
import { registerPortalRoutes } from './portal';

export interface AppDeps {
  db: DB;
  config: ServerConfig;
  /** Tells /healthz whether the database is ready. */
  isReady?: () => boolean;
  /** The evidence vault; by default a filesystem store under the data directory. */
  evidence?: EvidenceDeps;
  /** Postgres LISTEN/NOTIFY fan-out for the sync subscription. */
  changes?: ChangeNotifier | null;
  /** The dossier render queue; without it, dossier requests are refused (downloads still work). */
  dossierQueue?: DossierQueue | null;
  /** The built portal served under /portal/; by default out/portal (http/portal.ts). */
  portalDir?: string;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.config.logLevel === 'silent' ? false : { level: deps.config.logLevel },
    bodyLimit: deps.config.bodyLimit,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[A-Za-z0-9._-]{8,64}$/.test(given) ? given : randomUUID();
    },
    trustProxy: false,
  });
  await app.register(cookie);

  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
    reply.header('x-content-type-options', 'nosniff');
    if (deps.config.tls) reply.header('strict-transport-security', `max-age=${deps.config.hstsMaxAge}; includeSubDomains`);
    // Everything under the API carries case data, PII or evidence for someone: no cache keeps it.
    if ((req.url.startsWith('/trpc/') || req.url.startsWith('/api/')) && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });

  // Forged cross-site requests are refused before their body is read (http/csrf.ts).
  app.addHook('onRequest', async (req, reply) => {
    const refusal = csrfRefusal(req, deps.config.allowedOrigins);
    if (refusal) return sendCsrfRefusal(req, reply, refusal, requestMeta(req));
  });

  // Anything Fastify itself refuses (bad JSON, oversized body, wrong content type) gets the same
  // translated error shape; an unexpected error becomes a 500 with only the request id.
  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, req, reply) => {
    const meta = requestMeta(req);
    let app: AppError;
    if (error instanceof AppError) app = error;
    else if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') app = new AppError('payload_too_large', 'error.payload_too_large', { params: { maximum: deps.config.bodyLimit } });
    else if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') app = new AppError('bad_input', 'error.unsupported_media_type');
    else if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || (error.statusCode === 400 && /JSON/i.test(error.message)))
      app = new AppError('bad_input', 'error.body_not_json');
    else if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) app = new AppError('bad_input', 'error.bad_request');
    else {
      req.log.error({ err: error }, 'internal error');
      return reply.status(500).send({
        error: { code: 'internal', messageKey: 'error.internal', message: translate(meta.language, 'error.internal', { requestId: meta.requestId }), field: null, issues: [], requestId: meta.requestId },
      });
    }
    return reply.status(HTTP_STATUS[app.kind]).send(errorBody(app, meta));
  });
  app.setNotFoundHandler((req, reply) => reply.status(404).send(errorBody(new AppError('not_found', 'error.route_not_found'), requestMeta(req))));

  app.get('/healthz', async (_req, reply) => {
    const ready = deps.isReady ? deps.isReady() : true;
    if (!ready) return reply.status(503).send({ status: 'starting' });
    await pingDatabase(deps.db);
    return { status: 'ok', database: 'ready' };
  });

  await app.register(fastifyTRPCPlugin, {
    prefix: '/trpc',
    trpcOptions: {
      router: appRouter,
      createContext: async ({ req, res }: CreateFastifyContextOptions): Promise<TrpcContext> => {
        const meta = requestMeta(req);
        const token = bearerToken(req) ?? req.cookies[SESSION_COOKIE] ?? null;
        const actor = await resolveActor(deps.db, token);
        return {
          db: deps.db,
          config: deps.config,
          actor,
          authProblem: actor ? null : await tokenProblem(deps.db, token),
          meta,
          log: req.log,
          changes: deps.changes ?? null,
          dossierQueue: deps.dossierQueue ?? null,
          setSessionCookie: (value, expiresAt) => {
            // Cleared with exactly the attributes it was set with, or browsers keep the old one.
            if (value === null) res.clearCookie(SESSION_COOKIE, sessionCookieOptions(deps.config));
            else res.setCookie(SESSION_COOKIE, value, { ...sessionCookieOptions(deps.config), expires: expiresAt });
          },
        };
      },
    },
  });

  await registerIntakeRoutes(app, deps);
  const evidence = deps.evidence ?? evidenceDeps(deps.db, deps.config);
  await registerEvidenceRoutes(app, evidence);
  await registerDossierRoutes(app, { db: deps.db, store: evidence.store });
  await registerPortalRoutes(app, { dir: deps.portalDir });
  return app;
}

export type { AppRouter };
