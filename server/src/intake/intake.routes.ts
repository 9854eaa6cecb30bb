// The intake REST API: customer-service systems post complaints with an intake key.
//   POST /api/v1/complaints    Authorization: Bearer arb_<prefix>_<secret>, JSON body (shared/schemas complaintIntake)
//   GET  /api/v1/openapi.json  the OpenAPI 3.1 description of the above
// Order of checks on a POST: key (before the body is even read, so strangers cannot make the server
// parse a megabyte), rate limit per key, content type, body size and JSON (Fastify's parser, errors
// mapped by http/app.ts's error handler), then the zod schema; only a complaint that passed all of them
// reaches receiveComplaint, whose one transaction writes everything or nothing.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { errorBody, requestMeta, bearerToken } from '../http/request';
import type { DB } from '../db/database';
import type { ServerConfig } from '../config';
import type { IntakeActor, ServiceContext } from '../context';
import { AppError, badInput } from '../../../shared/errors';
import { validationError } from '../../../shared/validation';
import { complaintIntake, type ComplaintIntake } from '../../../shared/schemas';
import { receiveComplaint } from './intake.service';
import { findIntakeKey, type ActiveIntakeKey } from '../admin/admin.service';
import { buildOpenApiDocument } from './openapi';
import { isNumericOverflow } from '../db/pg-errors';

export const INTAKE_PATH = '/api/v1/complaints';
export const OPENAPI_PATH = '/api/v1/openapi.json';

export interface IntakeRouteOptions {
  /** Complaints one key may post per window on one server instance. Default 1200 a minute. */
  rateLimit?: { max: number; windowMs: number };
}

/**
 * `ARBITRA_INTAKE_RATE_LIMIT=<max>/<seconds>` (e.g. `1200/60`). Read here until ServerConfig carries
 * it; a malformed value fails the start rather than silently allowing everything.
 */
export function rateLimitFromEnv(value: string | undefined): { max: number; windowMs: number } {
  if (value === undefined || value === '') return { max: 1200, windowMs: 60_000 };
  const m = /^([1-9][0-9]{0,8})\/([1-9][0-9]{0,6})$/.exec(value.trim());
  if (!m) throw new Error(`Invalid configuration: ARBITRA_INTAKE_RATE_LIMIT must look like 1200/60 (requests/seconds), got ${JSON.stringify(value)}`);
  return { max: Number(m[1]), windowMs: Number(m[2]) * 1000 };
}

declare module 'fastify' {
  interface FastifyRequest {
    intakeKey?: ActiveIntakeKey;
  }
}

/** A fixed-window counter per key. Per instance: behind a load balancer each instance allows `max`. */
class KeyRateLimiter {
  private windows = new Map<string, { start: number; count: number }>();
  constructor(private readonly max: number, private readonly windowMs: number) {}

  /** Seconds to wait when the key is over its limit, or 0 when the request may go ahead. */
  take(keyId: string, now = Date.now()): number {
    let w = this.windows.get(keyId);
    if (!w || now - w.start >= this.windowMs) {
      if (this.windows.size > 10_000) this.sweep(now);
      w = { start: now, count: 0 };
      this.windows.set(keyId, w);
    }
    if (w.count >= this.max) return Math.max(1, Math.ceil((w.start + this.windowMs - now) / 1000));
    w.count++;
    return 0;
  }

  private sweep(now: number) {
    for (const [k, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(k);
  }
}

/** `application/json`, optionally with a UTF-8 charset; anything else is refused with 415. */
function isJsonContentType(header: string | undefined): boolean {
  if (!header) return false;
  const [type, ...params] = header.split(';').map((p) => p.trim().toLowerCase());
  if (type !== 'application/json') return false;
  return params.every((p) => !p.startsWith('charset=') || /^charset="?utf-8"?$/.test(p));
}

/**
 * parseInput(complaintIntake, body), made exact for this edge:
 * - `reportInput`, so a wrong type (vipLevel "5", amounts "BTC:1") is never read as "required"
 *   whatever error map is configured;
 * - a missing enum value (no channel at all) is reported by zod as invalid_value; it is "required";
 * - the top-level message is translated with the error's params, so it takes the first issue's
 *   ({maximum}, {allowed}, {keys}) instead of showing the placeholder.
 * The last two belong in shared/validation.ts; once there, this can become parseInput again.
 */
export function parseComplaint(body: unknown): ComplaintIntake {
  const result = complaintIntake.safeParse(body, { reportInput: true });
  if (result.success) return result.data;
  // A missing enum (no channel at all) is "required", not "not one of the allowed values".
  for (const [i, issue] of result.error.issues.entries()) {
    if (issue.code === 'invalid_value' && (issue as { input?: unknown }).input === undefined)
      result.error.issues[i] = { code: 'invalid_type', expected: 'string', input: undefined, path: issue.path, message: issue.message } as z.core.$ZodIssue;
  }
  const error = validationError(result.error);
  throw new AppError('bad_input', error.messageKey, { issues: error.issues, params: error.issues[0]?.params });
}

export async function registerIntakeRoutes(app: FastifyInstance, deps: { db: DB; config: ServerConfig }, options: IntakeRouteOptions = {}): Promise<void> {
  const rateLimit = options.rateLimit ?? rateLimitFromEnv(process.env.ARBITRA_INTAKE_RATE_LIMIT);
  const limiter = new KeyRateLimiter(rateLimit.max, rateLimit.windowMs);

  // Runs before the body is read.
  async function authenticate(req: FastifyRequest, reply: FastifyReply) {
    const key = await findIntakeKey(deps.db, bearerToken(req));
    if (!key) {
      reply.header('www-authenticate', 'Bearer realm="arbitra-intake"');
      throw new AppError('unauthenticated', 'intake.key_invalid');
    }
    req.intakeKey = key;
    const retryAfter = limiter.take(key.id);
    if (retryAfter > 0) {
      reply.header('retry-after', String(retryAfter));
      throw new AppError('too_many_requests', 'intake.rate_limited', { params: { retryAfter } });
    }
    if (!isJsonContentType(req.headers['content-type'])) {
      // 415 rather than the error handler's generic 400: the body was never looked at.
      return reply.status(415).send(errorBody(new AppError('bad_input', 'error.unsupported_media_type'), requestMeta(req)));
    }
  }

  app.post(INTAKE_PATH, { onRequest: authenticate, bodyLimit: deps.config.bodyLimit }, async (req, reply) => {
    const key = req.intakeKey!;
    const input = parseComplaint(req.body);
    const actor: IntakeActor = { kind: 'intake', intakeKeyId: key.id, name: key.name, defaultTeamId: key.default_team_id };
    const ctx: ServiceContext = { actor, meta: requestMeta(req) };
    try {
      const result = await receiveComplaint(deps.db, ctx, input, { intakeKeyId: key.id, teamId: key.default_team_id });
      return reply.status(result.duplicate ? 200 : 201).send({ id: result.id, caseNumber: result.caseNumber, duplicate: result.duplicate });
    } catch (error) {
      // receiveComplaint names the amount whose USD value is too large; should a number still
      // overflow a column, the transaction has rolled back and the caller hears why, not a 500.
      if (isNumericOverflow(error)) throw badInput('intake.amount_value_too_large', 'amounts');
      throw error;
    }
  });

  const document = buildOpenApiDocument({ maxBodyBytes: deps.config.bodyLimit });
  app.get(OPENAPI_PATH, async (_req, reply) => reply.header('cache-control', 'no-cache').send(document));
}
