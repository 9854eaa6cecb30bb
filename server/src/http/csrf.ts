// Cross-site request forgery: a page on another site can make the browser send a form post
// (application/x-www-form-urlencoded, multipart/form-data, text/plain) with the user's session
// cookie, but it cannot add a custom header without a CORS preflight, which this server never
// grants. So every state-changing request (any method but GET, HEAD, OPTIONS; every tRPC mutation)
// must carry `x-arbitra-csrf: 1`, and a request whose Origin (or, without one, Sec-Fetch-Site)
// says it came from another site is refused. Both are checked before the body is read: nothing runs.
//
// Exempt: the intake API (POST /api/v1/complaints), which is authenticated by an intake key in the
// Authorization header only and never reads the session cookie, so a forged post carries no
// credential a browser would add by itself.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import { AppError } from '../../../shared/errors';
import { translate } from '../../../shared/i18n';
import type { RequestMeta } from '../context';
import { errorBody } from './request';

export const CSRF_HEADER = 'x-arbitra-csrf';
export const CSRF_HEADER_VALUE = '1';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Routes that never read the session cookie (key-authenticated machine APIs). */
const EXEMPT_PATHS = [/^\/api\/v1\/complaints\/?$/];

function sameOrigin(origin: string, host: string | undefined, allowed: readonly string[]): boolean {
  if (allowed.includes(origin)) return true;
  try {
    const u = new URL(origin);
    return !!host && u.host.toLowerCase() === host.toLowerCase() && (u.protocol === 'http:' || u.protocol === 'https:');
  } catch {
    return false;
  }
}

/** Why this request is refused as a possible forgery, or null when it may go on. */
export function csrfRefusal(req: FastifyRequest, allowedOrigins: readonly string[]): AppError | null {
  if (SAFE_METHODS.has(req.method)) return null;
  const pathname = req.url.split('?')[0] ?? '';
  if (EXEMPT_PATHS.some((p) => p.test(pathname))) return null;
  const origin = req.headers.origin;
  if (typeof origin === 'string') {
    if (!sameOrigin(origin, req.headers.host, allowedOrigins)) return new AppError('forbidden', 'error.cross_origin_refused', { params: { origin: origin.slice(0, 200) } });
  } else {
    const site = req.headers['sec-fetch-site'];
    if (site === 'cross-site' || site === 'same-site') return new AppError('forbidden', 'error.cross_origin_refused', { params: { origin: String(site) } });
  }
  if (req.headers[CSRF_HEADER] !== CSRF_HEADER_VALUE) return new AppError('forbidden', 'error.csrf_header_missing', { field: CSRF_HEADER, params: { header: CSRF_HEADER } });
  return null;
}

/** The refusal in the shape the caller reads: a tRPC error envelope under /trpc, the REST error body elsewhere. */
export function sendCsrfRefusal(req: FastifyRequest, reply: FastifyReply, error: AppError, meta: RequestMeta) {
  reply.status(403).header('cache-control', 'no-store');
  const pathname = req.url.split('?')[0] ?? '';
  if (!pathname.startsWith('/trpc/')) return reply.send(errorBody(error, meta));
  const message = translate(meta.language, error.messageKey, { ...error.options.params, requestId: meta.requestId });
  const one = {
    error: {
      message,
      code: TRPC_ERROR_CODES_BY_KEY.FORBIDDEN,
      data: { code: 'FORBIDDEN', httpStatus: 403, messageKey: error.messageKey, field: error.field ?? null, issues: [], params: error.options.params ?? {}, requestId: meta.requestId },
    },
  };
  const batch = /[?&]batch=1(&|$)/.test(req.url);
  const count = pathname.slice('/trpc/'.length).split(',').length;
  return reply.send(batch ? Array.from({ length: count }, () => one) : one);
}
