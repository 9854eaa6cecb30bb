// Every tRPC procedure of the app router with an input generator built from its own zod schema.
// The list is walked from the router, so a procedure added tomorrow is fuzzed tomorrow; one whose
// schema the generator cannot read makes `procedureGenerators` report it (and the suite fail).
import fc from 'fast-check';
import type { z } from 'zod';
import { appRouter } from '../../server/src/trpc/app-router';
import { CATEGORIES, MONETARY_REMEDY_KINDS } from '../../shared/domain';
import { MUTATIONS, MUTATION_NAMES } from '../../shared/sync/protocol';
import { mutatedArbitrary, UnsupportedSchemaError, validArbitrary, type ArbitraryOptions } from './zod-arbitrary';

export type ProcedureType = 'query' | 'mutation' | 'subscription';

export interface ProcedureEntry {
  path: string;
  type: ProcedureType;
  /** The zod schemas tRPC validates the input with (none: the procedure takes no input). */
  inputs: z.core.$ZodType[];
}

/** The app router's procedures, flattened to their dotted paths. */
export function routerProcedures(): ProcedureEntry[] {
  const procedures = (appRouter as unknown as { _def: { procedures: Record<string, { _def: { type: ProcedureType; inputs: z.core.$ZodType[] } }> } })._def.procedures;
  return Object.entries(procedures)
    .map(([path, p]) => ({ path, type: p._def.type, inputs: p._def.inputs }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

export interface ProcedureGenerator {
  valid: fc.Arbitrary<unknown>;
  mutated: fc.Arbitrary<unknown>;
}

const AMOUNTS = ['0.5', '1', '1200.123456789012345678', '0.000000000000000001', '99999999', '65000.5'];
const SHARES: [string, string, string][] = [
  ['100', '0', '0'],
  ['50', '50', '0'],
  ['33.33', '33.33', '33.34'],
  ['20', '80', '0'],
  ['0', '0', '100.00'],
];
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Cross-field rules zod's definition cannot show (refinements): a valid value of these procedures is
 * repaired to satisfy them, so valid inputs get past validation into the services.
 */
const FIXUPS: Record<string, (v: Record<string, unknown>) => Record<string, unknown>> = {
  'cases.create': fixComplaint,
  'cases.classify': fixSubcategory,
  'cases.setAssessment': (v) => {
    const [platformShare, userShare, thirdPartyShare] = SHARES[String(v.findings ?? '').length % SHARES.length]!;
    return { ...v, platformShare, userShare, thirdPartyShare };
  },
  'cases.proposeRemedy': fixRemedy,
  'evidence.redact': (v) => ({ ...v, end: Number(v.start ?? 0) + 1 + (Number(v.end ?? 0) % 20) }),
  'rules.setTieringRules': (v) => ({
    ...v,
    rules: Array.isArray(v.rules)
      ? v.rules.map((r, i) => (isObject(r) ? { ...r, id: `rule-${i}`, order: i, when: isObject(r.when) ? { ...r.when, subcategories: undefined } : r.when } : r))
      : v.rules,
  }),
  'rules.setSlaPolicy': (v) => {
    const a = Number(v.firstResponseMinutes);
    const b = Number(v.resolutionMinutes);
    return a > b ? { ...v, firstResponseMinutes: b, resolutionMinutes: a } : v;
  },
};

function fixSubcategory(v: Record<string, unknown>): Record<string, unknown> {
  const subs = CATEGORIES[v.category as keyof typeof CATEGORIES] as readonly string[] | undefined;
  if (!subs) return v;
  return { ...v, subcategory: subs[String(v.subcategory ?? '').length % subs.length] };
}

function fixComplaint(v: Record<string, unknown>): Record<string, unknown> {
  const out = fixSubcategory(v);
  if (Array.isArray(out.amounts)) {
    const seen = new Set<string>();
    out.amounts = out.amounts.filter((a) => !isObject(a) || (seen.has(String(a.asset)) ? false : (seen.add(String(a.asset)), true)));
  }
  return out;
}

function fixRemedy(v: Record<string, unknown>): Record<string, unknown> {
  const monetary = (MONETARY_REMEDY_KINDS as readonly string[]).includes(String(v.kind));
  if (monetary) return { ...v, asset: v.asset ?? 'BTC', amount: v.amount ?? '0.01' };
  const { asset: _a, amount: _b, ...rest } = v;
  return rest;
}

/** Hints by key name: known ids (most of the time) so valid inputs reach real rows, and values zod's definition cannot describe. */
export function generatorHints(pools: Record<string, string[]>, extra: Record<string, fc.Arbitrary<unknown>> = {}): Record<string, fc.Arbitrary<unknown>> {
  const hints: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, ids] of Object.entries(pools)) {
    if (ids.length === 0) continue;
    if (key === 'userIds') hints[key] = fc.array(fc.constantFrom(...ids), { maxLength: 3 });
    else hints[key] = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...ids) }, { weight: 1, arbitrary: fc.uuid({ version: 4 }) });
  }
  const amount = fc.constantFrom(...AMOUNTS);
  Object.assign(hints, {
    amount,
    thresholdUsd: fc.constantFrom('0', '1000', '50000.5'),
    minUsd: fc.constantFrom('0', '1000', '50000.5'),
    maxUsd: fc.constantFrom('100000', '2000000.25'),
    usdRate: fc.constantFrom('0', '1', '65000.12'),
    from: fc.constantFrom('2026-01-01', '2025-06-30', '2026-03-01T00:00:00+08:00'),
    to: fc.constantFrom('2026-12-31', '2027-01-01T00:00:00Z', '2026-06-30'),
  });
  return { ...hints, ...extra };
}

/** Envelopes a workstation could push: each mutation's arguments from its own schema. */
export function pushMutationsHint(options: ArbitraryOptions): fc.Arbitrary<unknown> {
  const envelope = fc.constantFrom(...MUTATION_NAMES).chain((name) =>
    fc.record({
      seq: fc.integer({ min: 1, max: 4 }),
      name: fc.constant(name),
      args: fc.oneof(validArbitrary(MUTATIONS[name], options), mutatedArbitrary(MUTATIONS[name], options)).map((a) => (isObject(a) ? a : { value: a })),
      createdAt: fc.date({ min: new Date('2025-01-01'), max: new Date('2027-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
    }),
  );
  return fc.array(envelope, { minLength: 1, maxLength: 3 });
}

/** The generator of one procedure's input; throws UnsupportedSchemaError when its schema cannot be read. */
export function procedureGenerator(entry: ProcedureEntry, options: ArbitraryOptions): ProcedureGenerator {
  if (entry.inputs.length === 0) {
    // No input: the procedure must ignore whatever is sent.
    return { valid: fc.constant(undefined), mutated: fc.oneof(fc.constantFrom<unknown>(null, 0, '', 'x', [], {}, { extra: 1 }), fc.jsonValue({ maxDepth: 3 })) };
  }
  if (entry.inputs.length > 1) throw new UnsupportedSchemaError(entry.path, 'chained .input() (more than one schema)');
  const schema = entry.inputs[0]!;
  const fix = FIXUPS[entry.path];
  try {
    const valid = validArbitrary(schema, options).map((v) => (fix && isObject(v) ? fix(v) : v));
    return { valid, mutated: mutatedArbitrary(schema, options) };
  } catch (error) {
    if (error instanceof UnsupportedSchemaError) throw new UnsupportedSchemaError(`${entry.path}: ${error.path}`, error.kind);
    throw error;
  }
}

/** Generators for every procedure, and the procedures for which none could be built. */
export function procedureGenerators(options: ArbitraryOptions): { generators: Map<string, ProcedureGenerator>; missing: string[] } {
  const generators = new Map<string, ProcedureGenerator>();
  const missing: string[] = [];
  for (const entry of routerProcedures()) {
    try {
      generators.set(entry.path, procedureGenerator(entry, options));
    } catch (error) {
      missing.push(error instanceof Error ? error.message : String(error));
    }
  }
  return { generators, missing };
}
