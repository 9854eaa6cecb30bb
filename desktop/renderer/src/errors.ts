// What went wrong, as the person should read it: the engine's (or server's) message key, params and
// field from a contract error, translated on screen in the current language (so switching language
// re-translates errors already shown). An error without a key (the engine unreachable, a bug) gets a
// generic message, never a stack.
import { TRPCClientError } from '@trpc/client';
import type { FieldIssue } from '../../../shared/errors';
import { hasKey, tr, type Params } from './i18n';

export interface ErrorInfo {
  messageKey: string;
  params: Params;
  field: string | null;
  issues: FieldIssue[];
  requestId: string | null;
}

interface ContractErrorData {
  messageKey?: unknown;
  params?: unknown;
  field?: unknown;
  issues?: unknown;
  requestId?: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The key, params and field of any thrown thing. */
export function errorInfo(error: unknown): ErrorInfo {
  const data = (error instanceof TRPCClientError ? error.data : isRecord(error) ? (error as { data?: unknown }).data : undefined) as ContractErrorData | undefined;
  if (isRecord(data) && typeof data.messageKey === 'string') {
    const issues = Array.isArray(data.issues)
      ? (data.issues as unknown[]).filter(isRecord).map((i) => ({
          field: String(i.field ?? ''),
          messageKey: String(i.messageKey ?? 'validation.invalid'),
          params: isRecord(i.params) ? (i.params as Params) : undefined,
        }))
      : [];
    return {
      messageKey: data.messageKey,
      params: isRecord(data.params) ? (data.params as Params) : {},
      field: typeof data.field === 'string' ? data.field : null,
      issues,
      requestId: typeof data.requestId === 'string' ? data.requestId : null,
    };
  }
  // A key thrown by the renderer itself (e.g. new Error('ui.error.…')).
  if (error instanceof Error && hasKey(error.message)) return { messageKey: error.message, params: {}, field: null, issues: [], requestId: null };
  // No answer at all: the engine (main process or loopback server) is not reachable.
  if (error instanceof TRPCClientError && !error.data) return { messageKey: 'ui.error.engine_unreachable', params: {}, field: null, issues: [], requestId: null };
  return { messageKey: 'ui.error.unexpected', params: {}, field: null, issues: [], requestId: null };
}

/** The translated message of any thrown thing, in the current language. */
export function errorText(error: unknown): string {
  const info = errorInfo(error);
  return tr(info.messageKey, { requestId: info.requestId ?? '', ...info.params });
}

/** A message key with params, translated (for reasons the engine sends as data: SyncStatus.lastError, SessionStatus.reason, recusals). */
export function keyText(reason: { messageKey: string; params?: Params } | null | undefined): string {
  return reason ? tr(reason.messageKey, reason.params ?? {}) : '';
}
