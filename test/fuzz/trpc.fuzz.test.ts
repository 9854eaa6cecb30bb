// Property: for every tRPC procedure (walked from the app router) and every actor (each role,
// nobody, a TOTP-pending session, a made-up token), generated inputs — valid ones from the
// procedure's zod schema and mutated ones — never get a 500 or an unhandled rejection, and a refused
// call writes nothing (row counts of every table and the audit chain's head unchanged; a failed
// sign-in's designed record aside). Most cases go through createCaller (in-process, same router,
// middlewares and context); one in eight goes over real loopback HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { toAppError } from '../../server/src/trpc/trpc';
import { TEST_PASSWORD } from '../support/server';
import { ACTORS, CSRF_HEADERS, startFuzzWorld, type FuzzActor, type FuzzWorld } from './harness';
import { createJudge, formatStats, type Judge, type Outcome } from './judge';
import { generatorHints, procedureGenerators, pushMutationsHint, routerProcedures, type ProcedureEntry, type ProcedureGenerator } from './procedures';
import { asSentOverJson, describeValue, type ArbitraryOptions } from './zod-arbitrary';
import { Findings, watchUnhandledRejections } from './findings';
import { checkProperty, replayHint, runs, timeoutFor } from './config';

/** Cases per procedure (times ARBITRA_FUZZ_RUNS); 69 procedures → about 6,500 cases. */
const RUNS_PER_PROCEDURE = runs(100);
/** Procedures that render a PDF per call run fewer cases. */
const SLOW: Record<string, number> = { 'reports.transparency': runs(25), 'auth.login': runs(40), 'auth.changePassword': runs(40), 'sync.push': runs(60) };
/** Longest one procedure's property runs before it stops generating (times ARBITRA_FUZZ_RUNS). */
const BUDGET_MS = 45_000;
/** Procedures whose success ends the caller's session (or others'): sessions are renewed after them. */
const SESSION_ENDING = new Set(['auth.logout', 'auth.logoutEverywhere', 'auth.totpConfirm', 'auth.changePassword']);

const procedures = routerProcedures();
const findings = new Findings('trpc');
const rejections = watchUnhandledRejections();
let world: FuzzWorld;
let generators: Map<string, ProcedureGenerator>;
let missing: string[];
let judge: Judge;
let httpCases = 0;
const startedAt = Date.now();

function lookup(target: unknown, path: string): (input: unknown) => Promise<unknown> {
  const fn = path.split('.').reduce<any>((o, k) => o?.[k], target);
  if (typeof fn !== 'function') throw new Error(`no caller function for ${path}`);
  return fn as (input: unknown) => Promise<unknown>;
}

async function viaCaller(entry: ProcedureEntry, actor: FuzzActor, input: unknown, ip: string): Promise<Outcome> {
  const caller = await world.caller(actor, ip);
  try {
    const result = await lookup(caller, entry.path)(asSentOverJson(input));
    if (entry.type === 'subscription') {
      const iterator = (result as AsyncIterable<unknown>)[Symbol.asyncIterator]();
      await Promise.race([iterator.next(), new Promise((r) => setTimeout(r, 2_000))]);
      await iterator.return?.();
    }
    return { ok: true, status: 200, summary: `ok ${describeValue(result, 160)}` };
  } catch (error) {
    const status = error instanceof TRPCError ? getHTTPStatusCodeFromError(error) : 500;
    const app = toAppError(error);
    if (!app || status >= 500) {
      const cause = error instanceof TRPCError ? (error.cause ?? error) : error;
      return { ok: false, status: Math.max(status, 500), summary: `${status} ${error instanceof TRPCError ? error.code : 'thrown'}: ${String((cause as Error)?.stack ?? cause).split('\n').slice(0, 4).join(' | ')}` };
    }
    return { ok: false, status, summary: `${status} ${app.messageKey}${app.field ? ` (${app.field})` : ''}` };
  }
}

async function viaHttp(entry: ProcedureEntry, actor: FuzzActor, input: unknown): Promise<Outcome> {
  const token = world.tokens[actor];
  const headers: Record<string, string> = { ...CSRF_HEADERS, 'accept-language': 'en', ...(token ? { authorization: `Bearer ${token}` } : {}) };
  const sent = input === undefined ? undefined : JSON.stringify(input);
  let res: Response;
  if (entry.type === 'query') {
    const query = sent === undefined ? '' : `?input=${encodeURIComponent(sent)}`;
    res = await fetch(`${world.url}/trpc/${entry.path}${query}`, { headers, signal: AbortSignal.timeout(30_000) });
  } else {
    res = await fetch(`${world.url}/trpc/${entry.path}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: sent,
      signal: AbortSignal.timeout(30_000),
    });
  }
  const text = await res.text();
  let summary = `${res.status}`;
  try {
    const body = JSON.parse(text) as { error?: { data?: { messageKey?: string; field?: string | null } } };
    if (body.error) summary += ` ${body.error.data?.messageKey ?? ''}${body.error.data?.field ? ` (${body.error.data.field})` : ''}`;
    else summary += ' ok';
  } catch {
    summary += ` ${text.slice(0, 200)}`;
  }
  return { ok: res.status < 400, status: res.status, summary };
}

async function runCase(entry: ProcedureEntry, actor: FuzzActor, input: unknown, transport: 'caller' | 'http', ipSuffix: number) {
  const ip = `10.${(ipSuffix >> 16) & 255}.${(ipSuffix >> 8) & 255}.${ipSuffix & 255}`;
  if (transport === 'http') httpCases++;
  const outcome = transport === 'http' ? await viaHttp(entry, actor, input) : await viaCaller(entry, actor, input, ip);
  await judge.judge({ target: entry.path, actor, transport, input, outcome, renewSessions: SESSION_ENDING.has(entry.path) });
}

beforeAll(async () => {
  world = await startFuzzWorld();
  const options: ArbitraryOptions = { hints: {} };
  const hints = generatorHints(world.pools, {
    email: fc.oneof(fc.constantFrom(...Object.values(world.users).map((u) => u.email), 'nobody@example.test'), fc.constantFrom('Specialist@Example.TEST ', ' legal@example.test')),
    password: fc.oneof({ weight: 1, arbitrary: fc.constant(TEST_PASSWORD) }, { weight: 3, arbitrary: fc.string({ minLength: 1, maxLength: 40 }) }),
  });
  options.hints = { ...hints, mutations: pushMutationsHint({ hints }) };
  ({ generators, missing } = procedureGenerators(options));
  judge = await createJudge(world, findings, rejections);
}, 240_000);

afterAll(async () => {
  rejections.stop();
  const file = findings.save();
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  if (process.env.ARBITRA_FUZZ_STATS) console.log(formatStats(judge.stats));
  console.log(`[fuzz:trpc] ${judge?.cases} cases (${httpCases} over HTTP) across ${procedures.length} procedures × ${ACTORS.length} actors in ${seconds}s; ${findings.all().length} distinct finding(s) → ${file}`);
  await world?.close();
});

describe('tRPC procedures under generated input', () => {
  it('every procedure of the app router has a generator', () => {
    expect(procedures.length).toBeGreaterThan(40);
    expect(missing, `procedures without an input generator:\n${missing.join('\n')}`).toEqual([]);
    expect([...generators.keys()].sort()).toEqual(procedures.map((p) => p.path));
  });

  for (const entry of procedures) {
    it(
      `${entry.path} (${entry.type}): no 500, no unhandled rejection, a refusal writes nothing`,
      async () => {
        const generator = generators.get(entry.path);
        expect(generator, `no generator for ${entry.path}`).toBeDefined();
        const input = fc.oneof({ weight: 2, arbitrary: generator!.valid }, { weight: 3, arbitrary: generator!.mutated });
        const transport = entry.type === 'subscription' ? fc.constant('caller' as const) : fc.integer({ min: 0, max: 7 }).map((n) => (n === 0 ? ('http' as const) : ('caller' as const)));
        await checkProperty(
          fc.asyncProperty(fc.constantFrom(...ACTORS), input, transport, fc.nat({ max: 0xffffff }), async (actor, value, via, ip) => {
            await runCase(entry, actor, value, via, ip);
          }) as fc.IAsyncProperty<unknown[]>,
          SLOW[entry.path] ?? RUNS_PER_PROCEDURE,
          `trpc:${entry.path}`,
          BUDGET_MS,
        );
        const found = findings.for(entry.path);
        expect(found, Findings.format(found, replayHint(`trpc:${entry.path}`, SLOW[entry.path] ?? RUNS_PER_PROCEDURE))).toEqual([]);
      },
      timeoutFor(BUDGET_MS + 30_000),
    );
  }
});
