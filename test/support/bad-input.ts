// Tables of bad input to tRPC procedures, for the *-bad-input tests: one valid input per procedure,
// bad variants of it that name the field the error must name, a call by procedure name, and the
// check that the answer is a 400 naming that field, translated for a reader of Chinese.
import { expect } from 'vitest';
import { translate } from '../../shared/i18n';
import type { failure, TestServer } from './server';

type Client = ReturnType<TestServer['client']>;
type Input = Record<string, unknown>;

/** Calls the procedure `ns.name` by name: a query when `queries` has it, a mutation otherwise. */
export function callProcedure(client: Client, proc: string, input: unknown, queries: ReadonlySet<string>): Promise<unknown> {
  const [ns, name] = proc.split('.') as [string, string];
  const p = (client as unknown as Record<string, Record<string, { query(i: unknown): Promise<unknown>; mutate(i: unknown): Promise<unknown> }>>)[ns]![name]!;
  return queries.has(proc) ? p.query(input) : p.mutate(input);
}

/** A copy of `base` with `patch` applied; `undefined` values remove the key. */
export function w(base: Input, patch: Input): Input {
  const out: Input = { ...base, ...patch };
  for (const [k, v] of Object.entries(patch)) if (v === undefined) delete out[k];
  return out;
}

export interface BadInputRow {
  proc: string;
  label: string;
  input: () => unknown;
  /** The field the error must name. */
  field: string;
  /** The message key it must carry, where one is certain. */
  key?: string;
}

/**
 * An empty table over `base` (a valid input per procedure) and `bad`, which adds a bad variant of
 * a procedure's valid input: `patch` applied to it (see w), or an input of its own.
 */
export function badInputTable(base: Record<string, () => Input>) {
  const rows: BadInputRow[] = [];
  const bad = (proc: string, label: string, patch: Input | (() => unknown), field: string, key?: string) => {
    rows.push({ proc, label, input: typeof patch === 'function' ? patch : () => w(base[proc]!(), patch), field, key });
  };
  return { rows, bad };
}

/**
 * The answer to a row's bad input: a 400 whose message key matches `keyPattern` (and is the row's
 * key where it has one), naming the row's field in the headline and the first issue, both messages
 * translated into Chinese with every placeholder filled in.
 */
export function expectBadInputInChinese(error: Awaited<ReturnType<typeof failure>>, row: BadInputRow, keyPattern = /^validation\./) {
  const err = error as typeof error & {
    params: Record<string, string | number>;
    issues: { field: string; messageKey: string; message: string; params?: Record<string, string | number> }[];
    requestId: string;
  };
  expect(err.httpStatus).toBe(400);
  expect(err.code).toBe('BAD_REQUEST');
  expect(err.messageKey).toMatch(keyPattern);
  if (row.key) expect(err.messageKey).toBe(row.key);
  expect(err.field).toBe(row.field);
  expect(err.issues[0]).toMatchObject({ field: row.field, messageKey: err.messageKey });
  for (const [message, key, params] of [
    [err.message, err.messageKey, { ...err.params, requestId: err.requestId }],
    [err.issues[0]!.message, err.issues[0]!.messageKey, err.issues[0]!.params],
  ] as const) {
    expect(message).toBe(translate('zh-CN', key, params));
    expect(message).toMatch(/[\u4e00-\u9fff]/);
    expect(message).not.toMatch(/\{\w+\}/);
  }
}
