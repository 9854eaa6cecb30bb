// What went wrong, as the person should read it: the server's message key, params and field from a
// tRPC error, translated in the language on screen (a switch re-translates errors already shown).
// No answer at all is "the server cannot be reached"; anything without a key is a generic message.
import { TRPCClientError } from '@trpc/client';
import type { FieldIssue } from '../../shared/errors';
import { hasKey, type Params } from './i18n';

export interface ErrorInfo {
  messageKey: string;
  params: Params;
  field: string | null;
  issues: FieldIssue[];
  /** The server's tRPC code (UNAUTHORIZED, NOT_FOUND, …), or null when there was no answer. */
  code: string | null;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

export function errorInfo(error: unknown): ErrorInfo {
  const data = error instanceof TRPCClientError ? (error.data as unknown) : isRecord(error) ? (error as { data?: unknown }).data : undefined;
  if (isRecord(data) && typeof data.messageKey === 'string') {
    const issues = Array.isArray(data.issues)
      ? data.issues
          .filter(isRecord)
          .map((i) => ({ field: String(i.field ?? ''), messageKey: String(i.messageKey ?? 'validation.invalid'), params: isRecord(i.params) ? (i.params as Params) : undefined }))
      : [];
    const params = { ...(isRecord(data.params) ? (data.params as Params) : {}), ...(typeof data.requestId === 'string' ? { requestId: data.requestId } : {}) };
    return { messageKey: data.messageKey, params, field: typeof data.field === 'string' ? data.field : null, issues, code: typeof data.code === 'string' ? data.code : null };
  }
  if (error instanceof Error && hasKey(error.message)) return { messageKey: error.message, params: {}, field: null, issues: [], code: null };
  if (error instanceof TRPCClientError && !error.data) return { messageKey: 'portal.error.unreachable', params: {}, field: null, issues: [], code: null };
  return { messageKey: 'portal.error.unexpected', params: {}, field: null, issues: [], code: null };
}

/** Whether the server says there is no (valid) session: signed out elsewhere, expired, idle too long. */
export function isSessionEnded(error: unknown): boolean {
  return errorInfo(error).code === 'UNAUTHORIZED';
}
