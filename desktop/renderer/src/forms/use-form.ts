// A form validated with the same zod schema the contract and the server use: each field shows the
// translated message of its issue (shared/validation's fieldIssues), and an error the engine or the
// server answers (a TRPCClientError with messageKey / field / issues) lands on the same fields. An
// error that names no field of this form is shown for the form as a whole.
import { computed, reactive, ref, type Ref } from 'vue';
import type { z } from 'zod';
import type { FieldIssue } from '../../../../shared/errors';
import { fieldIssues } from '../../../../shared/validation';
import { errorInfo, type ErrorInfo } from '../errors';
import { i18n, type Params } from '../i18n';

export interface FormOptions {
  /** Field path prefixes the contract adds (e.g. `filter.` for the queue's filter): removed before matching. */
  stripPrefix?: string;
  /** Turns the edited values into the schema's input (e.g. empty inputs into absent fields). */
  prepare?: (values: Record<string, unknown>) => unknown;
}

export interface UseForm<S extends z.ZodType> {
  /** The values being edited (bind with v-model="form.values.email"). */
  values: z.input<S> & Record<string, unknown>;
  /** field path → translated message (first issue per field), in the current language. */
  errors: Readonly<Ref<Record<string, string>>>;
  /** The translated message at a field, or '' (suits el-form-item's `error` prop). */
  error(field: string): string;
  /** A message for the whole form (an error naming no field of it), translated, or ''. */
  formError: Readonly<Ref<string>>;
  submitting: Readonly<Ref<boolean>>;
  /** Checks every field; the parsed output, or null with the messages shown. */
  validate(): z.output<S> | null;
  /** Checks the form and shows (or clears) the message of one field only. */
  validateField(field: string): boolean;
  /** Puts a contract or server error onto the fields it names (or the form). */
  applyError(error: unknown): ErrorInfo;
  clear(field?: string): void;
  reset(values?: z.input<S>): void;
  /** Validate, then call `action` with the parsed values; a thrown error is applied to the fields. */
  submit<T>(action: (data: z.output<S>) => Promise<T>): Promise<T | undefined>;
}

type Issue = { messageKey: string; params?: Params };

export function useForm<S extends z.ZodType>(schema: S, initial: z.input<S>, options: FormOptions = {}): UseForm<S> {
  const clone = (v: unknown) => JSON.parse(JSON.stringify(v ?? {})) as Record<string, unknown>;
  const values = reactive(clone(initial)) as z.input<S> & Record<string, unknown>;
  const issues = ref<Record<string, Issue>>({});
  const formIssue = ref<Issue | null>(null);
  const submitting = ref(false);
  const t = (i: Issue) => (i18n.global as unknown as { t: (k: string, p: Params) => string }).t(i.messageKey, i.params ?? {});

  const normalize = (field: string) => (options.stripPrefix && field.startsWith(options.stripPrefix) ? field.slice(options.stripPrefix.length) : field);

  const errors = computed(() => {
    // Reading the locale makes the messages follow a language switch.
    void (i18n.global as unknown as { locale: { value: string } }).locale.value;
    const out: Record<string, string> = {};
    for (const [field, issue] of Object.entries(issues.value)) out[field] = t(issue);
    return out;
  });
  const formError = computed(() => {
    void (i18n.global as unknown as { locale: { value: string } }).locale.value;
    return formIssue.value ? t(formIssue.value) : '';
  });

  function toMap(list: FieldIssue[]): Record<string, Issue> {
    const map: Record<string, Issue> = {};
    for (const i of list) {
      const field = normalize(i.field);
      if (!(field in map)) map[field] = { messageKey: i.messageKey, params: i.params };
    }
    return map;
  }

  function check(): { ok: true; data: z.output<S> } | { ok: false; issues: Record<string, Issue> } {
    const result = schema.safeParse(options.prepare ? options.prepare(JSON.parse(JSON.stringify(values)) as Record<string, unknown>) : values);
    if (result.success) return { ok: true, data: result.data as z.output<S> };
    return { ok: false, issues: toMap(fieldIssues(result.error)) };
  }

  function validate(): z.output<S> | null {
    formIssue.value = null;
    const r = check();
    issues.value = r.ok ? {} : r.issues;
    return r.ok ? r.data : null;
  }

  function validateField(field: string): boolean {
    const r = check();
    const next = { ...issues.value };
    delete next[field];
    if (!r.ok && r.issues[field]) next[field] = r.issues[field]!;
    issues.value = next;
    return !next[field];
  }

  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape;
  const schemaFields = new Set(shape && typeof shape === 'object' ? Object.keys(shape) : []);
  function isField(field: string): boolean {
    const top = field.split('.')[0] ?? '';
    return field !== '(body)' && (top in values || schemaFields.has(top));
  }

  function applyError(error: unknown): ErrorInfo {
    const info = errorInfo(error);
    const list: FieldIssue[] = info.issues.length ? info.issues : info.field ? [{ field: info.field, messageKey: info.messageKey, params: info.params }] : [];
    const onFields = list.filter((i) => isField(normalize(i.field)));
    issues.value = toMap(onFields);
    formIssue.value = onFields.length ? null : { messageKey: info.messageKey, params: { requestId: info.requestId ?? '', ...info.params } };
    return info;
  }

  function clear(field?: string) {
    if (field === undefined) {
      issues.value = {};
      formIssue.value = null;
      return;
    }
    const next = { ...issues.value };
    delete next[field];
    issues.value = next;
  }

  function reset(next?: z.input<S>) {
    const fresh = clone(next ?? initial);
    for (const key of Object.keys(values)) delete (values as Record<string, unknown>)[key];
    Object.assign(values, fresh);
    clear();
  }

  async function submit<T>(action: (data: z.output<S>) => Promise<T>): Promise<T | undefined> {
    const data = validate();
    if (data === null) return undefined;
    submitting.value = true;
    try {
      return await action(data);
    } catch (error) {
      applyError(error);
      return undefined;
    } finally {
      submitting.value = false;
    }
  }

  return {
    values,
    errors,
    error: (field: string) => errors.value[field] ?? '',
    formError,
    submitting,
    validate,
    validateField,
    applyError,
    clear,
    reset,
    submit,
  };
}
