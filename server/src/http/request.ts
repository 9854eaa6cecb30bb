// What every HTTP route reads from a request (its meta, a bearer token) and how it answers an
// error; apart from app.ts so the feature route files that app.ts registers need not import it.
import type { FastifyRequest } from 'fastify';
import type { RequestMeta } from '../context';
import { languageFromHeader, translate } from '../../../shared/i18n';
import type { AppError } from '../../../shared/errors';

export function requestMeta(req: FastifyRequest): RequestMeta {
  const explicit = req.headers['x-arbitra-language'];
  return {
    requestId: String(req.id),
    ip: req.ip,
    userAgent: req.headers['user-agent'] ?? null,
    language: explicit === 'zh-CN' || explicit === 'en' ? explicit : languageFromHeader(req.headers['accept-language']),
  };
}

export function bearerToken(req: FastifyRequest): string | null {
  const header = req.headers.authorization;
  if (header && /^Bearer\s+/i.test(header)) return header.replace(/^Bearer\s+/i, '').trim();
  return null;
}

/** The JSON body of an error at the REST edge: the same fields tRPC errors carry in `data`. */
export function errorBody(error: AppError, meta: RequestMeta) {
  return {
    error: {
      code: error.kind,
      messageKey: error.messageKey,
      message: translate(meta.language, error.messageKey, { ...error.options.params, requestId: meta.requestId }),
      field: error.field ?? null,
      issues: error.issues.map((i) => ({ ...i, message: translate(meta.language, i.messageKey, i.params) })),
      requestId: meta.requestId,
    },
  };
}

export const HTTP_STATUS: Record<AppError['kind'], number> = {
  bad_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_many_requests: 429,
  payload_too_large: 413,
  unavailable: 503,
};
