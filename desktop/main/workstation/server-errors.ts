// What the server's answers mean to the workstation: a decision it sent (an AppError with its
// message key and field, translated by the apps), or no answer at all (the network, a dead server).
import { TRPCClientError } from '@trpc/client';
import { AppError, type ErrorKind } from '../../../shared/errors';
import { TransportRefusal } from '../sync-engine';

const CODE_TO_KIND: Record<string, ErrorKind> = {
  BAD_REQUEST: 'bad_input',
  UNAUTHORIZED: 'unauthenticated',
  FORBIDDEN: 'forbidden',
  NOT_FOUND: 'not_found',
  CONFLICT: 'conflict',
  TOO_MANY_REQUESTS: 'too_many_requests',
  PAYLOAD_TOO_LARGE: 'payload_too_large',
};

export const SERVER_UNREACHABLE = 'workstation.server_unreachable';
export const SERVER_ERROR = 'workstation.server_error';

interface ServerErrorData {
  code?: string;
  messageKey?: string;
  field?: string | null;
  params?: Record<string, string | number>;
  httpStatus?: number;
}

/** The server answered with a decision (4xx with a message key); null for failures worth retrying. */
export function serverDecision(error: unknown): AppError | null {
  if (error instanceof AppError) return error;
  if (error instanceof TransportRefusal) return new AppError('forbidden', error.messageKey, { params: error.params });
  if (!(error instanceof TRPCClientError)) return null;
  const data = error.data as ServerErrorData | undefined;
  if (!data?.messageKey || (data.httpStatus ?? 500) >= 500) return null;
  return new AppError(CODE_TO_KIND[data.code ?? ''] ?? 'bad_input', data.messageKey, {
    ...(data.field ? { field: data.field } : {}),
    ...(data.params && Object.keys(data.params).length ? { params: data.params } : {}),
  });
}

/** The request got no answer: connection refused, reset, DNS, timeout. */
export function isUnreachable(error: unknown): boolean {
  if (error instanceof TRPCClientError) return error.data === undefined || error.data === null;
  return error instanceof TypeError || (error instanceof Error && /fetch failed|ECONNREFUSED|ECONNRESET|ENOTFOUND|ETIMEDOUT|offline|socket/i.test(error.message));
}

/** Any failure of a server call as the AppError the renderer shows. */
export function asAppError(error: unknown): AppError {
  const decision = serverDecision(error);
  if (decision) return decision;
  return new AppError('conflict', isUnreachable(error) ? SERVER_UNREACHABLE : SERVER_ERROR);
}
