// tRPC set-up: context, the error shape every client reads, and the one authorization middleware.
import { initTRPC, TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { ZodError } from 'zod';
import type { DB } from '../db/database';
import { isUniqueViolation } from '../db/pg-errors';
import type { Actor, RequestMeta, ServiceContext, UserActor } from '../context';
import type { ServerConfig } from '../config';
import type { ChangeNotifier } from '../sync/change-notifier';
import type { DossierQueue } from '../dossiers/dossier-jobs';
import { AppError, type ErrorKind, type FieldIssue } from '../../../shared/errors';
import { validationError } from '../../../shared/validation';
import { translate } from '../../../shared/i18n';
import { accessFor, TOTP_PENDING_ALLOWED } from '../auth/policy';

export interface TrpcContext {
  db: DB;
  config: ServerConfig;
  actor: Actor | null;
  /** Why the presented credential was refused, when the client must know (a revoked device). */
  authProblem?: { messageKey: string; params: Record<string, string> } | null;
  meta: RequestMeta;
  /** Lets auth procedures set or clear the portal's session cookie. */
  setSessionCookie: (token: string | null, expiresAt?: Date) => void;
  log: { error: (obj: unknown, msg?: string) => void };
  /** Committed-change notifications (Postgres LISTEN), for the sync subscription. */
  changes: ChangeNotifier | null;
  /** The dossier render queue (pg-boss); null where this process renders nothing. */
  dossierQueue?: DossierQueue | null;
}

const KIND_TO_CODE: Record<ErrorKind, TRPC_ERROR_CODE_KEY> = {
  bad_input: 'BAD_REQUEST',
  unauthenticated: 'UNAUTHORIZED',
  forbidden: 'FORBIDDEN',
  not_found: 'NOT_FOUND',
  conflict: 'CONFLICT',
  too_many_requests: 'TOO_MANY_REQUESTS',
  payload_too_large: 'PAYLOAD_TOO_LARGE',
};

export interface ErrorData {
  messageKey: string;
  field: string | null;
  issues: FieldIssue[];
  params: Record<string, string | number>;
  requestId: string;
}

/** The AppError behind any thrown thing; unknown errors become `error.internal` with no detail. */
export function toAppError(error: unknown): AppError | null {
  if (error instanceof AppError) return error;
  if (error instanceof ZodError) return validationError(error);
  // A row that already exists (a client-chosen id used twice): a conflict, not a crash.
  if (isUniqueViolation(error)) return new AppError('conflict', 'error.duplicate');
  // tRPC hands up the JSON parser's own error for a malformed body.
  if (error instanceof SyntaxError) return new AppError('bad_input', 'error.body_not_json');
  if (error instanceof TRPCError) {
    if (error.cause) return toAppError(error.cause);
    if (error.code === 'PARSE_ERROR') return new AppError('bad_input', 'error.body_not_json');
    if (error.code === 'NOT_FOUND') return new AppError('not_found', 'error.route_not_found');
    if (error.code === 'PAYLOAD_TOO_LARGE') return new AppError('payload_too_large', 'error.payload_too_large');
    if (error.code === 'BAD_REQUEST' || error.code === 'METHOD_NOT_SUPPORTED' || error.code === 'UNSUPPORTED_MEDIA_TYPE')
      return new AppError('bad_input', 'error.bad_request');
  }
  return null;
}

const t = initTRPC.context<TrpcContext>().create({
  errorFormatter({ shape, error, ctx }) {
    const app = toAppError(error);
    const requestId = ctx?.meta.requestId ?? 'unknown';
    const language = ctx?.meta.language ?? 'en';
    if (!app) {
      ctx?.log.error({ err: error.cause ?? error, requestId }, 'internal error');
      return {
        code: shape.code,
        message: translate(language, 'error.internal', { requestId }),
        data: { code: 'INTERNAL_SERVER_ERROR', httpStatus: 500, messageKey: 'error.internal', field: null, issues: [], params: {}, requestId },
      };
    }
    const code = KIND_TO_CODE[app.kind];
    const issues = app.issues.map((i) => ({ ...i, message: translate(language, i.messageKey, i.params) }));
    return {
      code: shape.code,
      message: translate(language, app.messageKey, { ...app.options.params, requestId }),
      data: {
        code,
        httpStatus: shape.data.httpStatus,
        messageKey: app.messageKey,
        field: app.field ?? null,
        issues,
        params: app.options.params ?? {},
        requestId,
      },
    };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Throws AppErrors as TRPCErrors with the matching code, so HTTP statuses are right too. */
const errorMapping = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const app = toAppError(result.error);
    if (app && result.error.code !== KIND_TO_CODE[app.kind]) {
      throw new TRPCError({ code: KIND_TO_CODE[app.kind], cause: app, message: app.messageKey });
    }
  }
  return result;
});

/** Every procedure passes here: the access table in policy.ts decides, denying what it does not list. */
const authorize = t.middleware(({ ctx, path, next }) => {
  const access = accessFor(path);
  if (access === undefined) throw new AppError('forbidden', 'error.forbidden');
  if (access === 'public') return next();
  const actor = ctx.actor;
  if (!actor || actor.kind !== 'user') {
    if (ctx.authProblem) throw new AppError('unauthenticated', ctx.authProblem.messageKey, { params: ctx.authProblem.params });
    throw new AppError('unauthenticated', 'auth.login_required');
  }
  if (!actor.totpSatisfied && !TOTP_PENDING_ALLOWED.includes(path)) throw new AppError('forbidden', 'auth.totp_required');
  if (access !== 'authenticated' && !access.includes(actor.role)) throw new AppError('forbidden', 'error.forbidden');
  return next();
});

export const procedure = t.procedure.use(errorMapping).use(authorize);

/** The service context of an authorized user call. */
export function userContext(ctx: TrpcContext): ServiceContext & { actor: UserActor } {
  if (!ctx.actor || ctx.actor.kind !== 'user') throw new AppError('unauthenticated', 'auth.login_required');
  return { actor: ctx.actor, meta: ctx.meta };
}
