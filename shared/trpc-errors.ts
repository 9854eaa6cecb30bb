// How a thrown thing becomes the error every tRPC client of Arbitra reads (the server's router and the
// workstation's contract router alike): an AppError with a message key, the field and the params,
// translated into the caller's language; anything unknown is `error.internal` with no detail.
import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { ZodError } from 'zod';
import { AppError, type ErrorKind, type FieldIssue } from './errors';
import { validationError } from './validation';
import { translate } from './i18n';
import type { Language } from './domain';

export const KIND_TO_CODE: Record<ErrorKind, TRPC_ERROR_CODE_KEY> = {
  bad_input: 'BAD_REQUEST',
  unauthenticated: 'UNAUTHORIZED',
  forbidden: 'FORBIDDEN',
  not_found: 'NOT_FOUND',
  conflict: 'CONFLICT',
  too_many_requests: 'TOO_MANY_REQUESTS',
  payload_too_large: 'PAYLOAD_TOO_LARGE',
  unavailable: 'SERVICE_UNAVAILABLE',
};

export interface ErrorData {
  code: string;
  httpStatus: number;
  messageKey: string;
  field: string | null;
  issues: (FieldIssue & { message: string })[];
  params: Record<string, string | number>;
  requestId: string;
}

/**
 * The AppError behind any thrown thing, or null when it is not one the caller may see.
 * `more` recognises errors of the caller's own engine (e.g. a Postgres unique violation).
 */
export function toAppError(error: unknown, more?: (error: unknown) => AppError | null): AppError | null {
  if (error instanceof AppError) return error;
  if (error instanceof ZodError) return validationError(error);
  const own = more?.(error);
  if (own) return own;
  // tRPC hands up the JSON parser's own error for a malformed body.
  if (error instanceof SyntaxError) return new AppError('bad_input', 'error.body_not_json');
  if (error instanceof TRPCError) {
    if (error.cause) return toAppError(error.cause, more);
    if (error.code === 'PARSE_ERROR') return new AppError('bad_input', 'error.body_not_json');
    if (error.code === 'NOT_FOUND') return new AppError('not_found', 'error.route_not_found');
    if (error.code === 'PAYLOAD_TOO_LARGE') return new AppError('payload_too_large', 'error.payload_too_large');
    if (error.code === 'BAD_REQUEST' || error.code === 'METHOD_NOT_SUPPORTED' || error.code === 'UNSUPPORTED_MEDIA_TYPE')
      return new AppError('bad_input', 'error.bad_request');
  }
  return null;
}

/** The `message` and `data` of an error response; `app` null means internal (logged by the caller, never detailed). */
export function errorShape(app: AppError | null, language: Language, requestId: string, httpStatus: number): { message: string; data: ErrorData } {
  if (!app) {
    return {
      message: translate(language, 'error.internal', { requestId }),
      data: { code: 'INTERNAL_SERVER_ERROR', httpStatus: 500, messageKey: 'error.internal', field: null, issues: [], params: {}, requestId },
    };
  }
  const issues = app.issues.map((i) => ({ ...i, message: translate(language, i.messageKey, i.params) }));
  return {
    message: translate(language, app.messageKey, { ...app.options.params, requestId }),
    data: { code: KIND_TO_CODE[app.kind], httpStatus, messageKey: app.messageKey, field: app.field ?? null, issues, params: app.options.params ?? {}, requestId },
  };
}
