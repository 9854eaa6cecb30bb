// Errors a person reads carry a message key (translated by shared/i18n) and the field they concern.
// The server maps `kind` to an HTTP/tRPC code; stacks never leave the server.

// `unavailable`: a service the request needs (the mail server) did not answer; trying later may work.
export type ErrorKind = 'bad_input' | 'unauthenticated' | 'forbidden' | 'not_found' | 'conflict' | 'too_many_requests' | 'payload_too_large' | 'unavailable';

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `complainant.email` or `amounts.0.amount`. */
  field: string;
  messageKey: string;
  params?: Record<string, string | number>;
}

export class AppError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly messageKey: string,
    readonly options: { field?: string; params?: Record<string, string | number>; issues?: FieldIssue[] } = {},
  ) {
    super(messageKey);
    this.name = 'AppError';
  }
  get field(): string | undefined {
    return this.options.field ?? this.options.issues?.[0]?.field;
  }
  get issues(): FieldIssue[] {
    if (this.options.issues) return this.options.issues;
    return this.options.field ? [{ field: this.options.field, messageKey: this.messageKey, params: this.options.params }] : [];
  }
}

export const badInput = (messageKey: string, field?: string, params?: Record<string, string | number>) =>
  new AppError('bad_input', messageKey, { field, params });
export const forbidden = (messageKey = 'error.forbidden') => new AppError('forbidden', messageKey);
export const notFound = (messageKey = 'error.not_found', field?: string) => new AppError('not_found', messageKey, { field });
export const conflict = (messageKey: string, field?: string, params?: Record<string, string | number>) =>
  new AppError('conflict', messageKey, { field, params });
