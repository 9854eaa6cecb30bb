// Turns zod's issues into the field + message key pairs every entry point answers with.
import { z } from 'zod';
import { AppError, type FieldIssue } from './errors';
import { hasMessage } from './i18n';

// zod only keeps an issue's input when asked, so tell "missing" from "wrong type" where the input is
// still at hand: in the global error map. Per-schema messages still take precedence.
z.config({
  customError: (issue) => {
    if (issue.code === 'invalid_type') return issue.input === undefined ? 'validation.required' : 'validation.invalid_type';
    // A missing enum field is missing, not a wrong choice.
    if (issue.code === 'invalid_value' && issue.input === undefined) return 'validation.required';
    return undefined;
  },
});

function issueKey(issue: z.core.$ZodIssue): { messageKey: string; params?: Record<string, string | number> } {
  // Custom refinements put a message key straight into `message`.
  if (issue.code === 'custom') return { messageKey: issue.message && (issue.message.startsWith('validation.') || hasMessage(issue.message)) ? issue.message : 'validation.invalid' };
  if (issue.code === 'invalid_type' && issue.message === 'validation.invalid_type')
    return { messageKey: 'validation.invalid_type', params: { expected: String(issue.expected) } };
  // A schema's own message key (validation.*, rules.*, …) is kept when a translation exists.
  if (issue.message && (issue.message.startsWith('validation.') || hasMessage(issue.message))) return { messageKey: issue.message };
  switch (issue.code) {
    case 'invalid_type':
      return (issue as { input?: unknown }).input === undefined
        ? { messageKey: 'validation.required' }
        : { messageKey: 'validation.invalid_type', params: { expected: String(issue.expected) } };
    case 'invalid_value':
      return { messageKey: 'validation.invalid_enum', params: { allowed: issue.values.map(String).join(', ') } };
    case 'too_big':
      return issue.origin === 'string'
        ? { messageKey: 'validation.too_long', params: { maximum: Number(issue.maximum) } }
        : issue.origin === 'array'
          ? { messageKey: 'validation.too_many', params: { maximum: Number(issue.maximum) } }
          : { messageKey: 'validation.too_large', params: { maximum: Number(issue.maximum) } };
    case 'too_small':
      return issue.origin === 'string'
        ? Number(issue.minimum) <= 1
          ? { messageKey: 'validation.required' }
          : { messageKey: 'validation.too_short', params: { minimum: Number(issue.minimum) } }
        : issue.origin === 'array'
          ? { messageKey: 'validation.too_few', params: { minimum: Number(issue.minimum) } }
          : { messageKey: 'validation.too_small', params: { minimum: Number(issue.minimum) } };
    case 'invalid_format':
      return { messageKey: `validation.format.${issue.format}` };
    case 'unrecognized_keys':
      return { messageKey: 'validation.unknown_field', params: { keys: issue.keys.join(', ') } };
    case 'not_multiple_of':
      return { messageKey: 'validation.invalid' };
    default:
      return { messageKey: 'validation.invalid' };
  }
}

export function fieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') path.push(issue.keys[0] ?? '');
    return { field: path.join('.') || '(body)', ...issueKey(issue) };
  });
}

export function validationError(error: z.ZodError): AppError {
  const issues = fieldIssues(error);
  // The top-level message is the first issue's, with its parameters filled in.
  return new AppError('bad_input', issues[0]?.messageKey ?? 'validation.invalid', { issues, params: issues[0]?.params });
}

/** Parse or throw an AppError naming the field; the one way entry points validate. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw validationError(result.error);
  return result.data;
}
