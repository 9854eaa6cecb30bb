// A form checked with a zod schema built from the server's own validators (forms/schemas.ts): each
// field shows the translated message of its first issue, and an error the server answers (message
// key, field, issues) lands on the same field; one that names no field of this form is shown for the
// form as a whole. Messages follow a language switch (they are kept as keys and translated on read).
import { computed, reactive, ref, type Ref } from 'vue';
import type { z } from 'zod';
import type { FieldIssue } from '../../../shared/errors';
import { fieldIssues } from '../../../shared/validation';
import { errorInfo, type ErrorInfo } from '../errors';
import { i18n, tr, type Params } from '../i18n';

type Issue = { messageKey: string; params?: Params };

export interface UseForm<S extends z.ZodType> {
  values: z.input<S> & Record<string, unknown>;
  error(field: string): string;
  formError: Readonly<Ref<string>>;
  submitting: Readonly<Ref<boolean>>;
  validate(): z.output<S> | null;
  applyError(error: unknown): ErrorInfo;
  clear(field?: string): void;
  submit<T>(action: (data: z.output<S>) => Promise<T>): Promise<T | undefined>;
}

export function useForm<S extends z.ZodType>(schema: S, initial: z.input<S>, options: { prepare?: (values: Record<string, unknown>) => unknown } = {}): UseForm<S> {
  const values = reactive(JSON.parse(JSON.stringify(initial ?? {})) as Record<string, unknown>) as z.input<S> & Record<string, unknown>;
  const issues = ref<Record<string, Issue>>({});
  const formIssue = ref<Issue | null>(null);
  const submitting = ref(false);
  const locale = () => (i18n.global as unknown as { locale: { value: string } }).locale.value;

  const errors = computed(() => {
    void locale();
    return Object.fromEntries(Object.entries(issues.value).map(([field, i]) => [field, tr(i.messageKey, i.params ?? {})]));
  });
  const formError = computed(() => {
    void locale();
    return formIssue.value ? tr(formIssue.value.messageKey, formIssue.value.params ?? {}) : '';
  });

  function toMap(list: FieldIssue[]): Record<string, Issue> {
    const map: Record<string, Issue> = {};
    for (const i of list) if (!(i.field in map)) map[i.field] = { messageKey: i.messageKey, params: i.params };
    return map;
  }

  function validate(): z.output<S> | null {
    formIssue.value = null;
    const input = options.prepare ? options.prepare(JSON.parse(JSON.stringify(values)) as Record<string, unknown>) : values;
    const result = schema.safeParse(input);
    issues.value = result.success ? {} : toMap(fieldIssues(result.error));
    return result.success ? (result.data as z.output<S>) : null;
  }

  function applyError(error: unknown): ErrorInfo {
    const info = errorInfo(error);
    const list: FieldIssue[] = info.issues.length ? info.issues : info.field ? [{ field: info.field, messageKey: info.messageKey, params: info.params }] : [];
    const onFields = list.filter((i) => (i.field.split('.')[0] ?? '') in values);
    issues.value = toMap(onFields);
    formIssue.value = onFields.length ? null : { messageKey: info.messageKey, params: info.params };
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

  return { values, error: (field) => errors.value[field] ?? '', formError, submitting, validate, applyError, clear, submit };
}
