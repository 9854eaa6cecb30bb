// tRPC set-up: context, the error shape every client reads, and the one authorization middleware.
import { initTRPC, TRPCError } from '@trpc/server';
import type { DB } from '../db/database';
import { isUniqueViolation } from '../db/pg-errors';
import type { Actor, RequestMeta, ServiceContext, UserActor } from '../context';
import type { ServerConfig } from '../config';
import type { ChangeNotifier } from '../sync/change-notifier';
import type { DossierQueue } from '../dossiers/dossier-jobs';
import { AppError } from '../../../shared/errors';
import { errorShape, KIND_TO_CODE, toAppError as toSharedAppError } from '../../../shared/trpc-errors';
import { accessFor, TOTP_PENDING_ALLOWED } from '../auth/policy';
import { isNeutral, redactForNeutral } from '../escalations/neutral-redaction';
import { findUnstorableText } from '../../../shared/schemas';

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

export type { ErrorData } from '../../../shared/trpc-errors';

/** The AppError behind any thrown thing; a Postgres unique violation (a client-chosen id used twice) is a conflict, not a crash. */
export function toAppError(error: unknown): AppError | null {
  return toSharedAppError(error, (e) => (isUniqueViolation(e) ? new AppError('conflict', 'error.duplicate') : null));
}

const t = initTRPC.context<TrpcContext>().create({
  errorFormatter({ shape, error, ctx }) {
    const app = toAppError(error);
    const requestId = ctx?.meta.requestId ?? 'unknown';
    if (!app) ctx?.log.error({ err: error.cause ?? error, requestId }, 'internal error');
    return { code: shape.code, ...errorShape(app, ctx?.meta.language ?? 'en', requestId, shape.data.httpStatus) };
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

/**
 * Whatever an external neutral receives leaves the company: every result sent to an arbitrator or
 * mediator passes through the one PII redaction (escalations/neutral-redaction.ts), whichever
 * procedure produced it.
 */
const redactForNeutrals = t.middleware(async ({ ctx, next }) => {
  const result = await next();
  if (!result.ok || !isNeutral(ctx.actor)) return result;
  return { ...result, data: await redactForNeutral(ctx.db, ctx.actor.userId, result.data) };
});

/**
 * No procedure receives text that cannot be stored (NUL, a lone surrogate), whatever its schema
 * says: refused with the field's path, before validation, never a 500 from Postgres or a silent
 * U+FFFD. A workstation's push is checked per mutation instead (sync.service), so one bad
 * mutation is rejected on its own and the queue moves on.
 */
const refuseUnstorableText = t.middleware(async ({ path, getRawInput, next }) => {
  if (path !== 'sync.push') {
    const found = findUnstorableText(await getRawInput().catch(() => undefined));
    if (found) throw new AppError('bad_input', found.messageKey, { field: found.field });
  }
  return next();
});

export const procedure = t.procedure.use(errorMapping).use(authorize).use(refuseUnstorableText).use(redactForNeutrals);

/** The service context of an authorized user call. */
export function userContext(ctx: TrpcContext): ServiceContext & { actor: UserActor } {
  if (!ctx.actor || ctx.actor.kind !== 'user') throw new AppError('unauthenticated', 'auth.login_required');
  return { actor: ctx.actor, meta: ctx.meta };
}
