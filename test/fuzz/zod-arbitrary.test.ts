// The schema → arbitrary generator itself: valid values of each zod construct pass the schema,
// mutated ones are refused, and across the app's own procedure schemas most valid values pass (the
// rest trip a cross-field refinement the definition cannot show) and nearly all mutated ones fail.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { z } from 'zod';
import { mutatedArbitrary, UnsupportedSchemaError, validArbitrary, describeValue, asSentOverJson } from './zod-arbitrary';
import { procedureGenerators, routerProcedures, generatorHints } from './procedures';
import { fcParams, runs } from './config';
import '../../shared/validation';

const RUNS = runs(150);
/** Constructs that accept most strings, where a mutation of a field is often still valid. */
const LENIENT = new Set(['object', 'optional', 'nullable', 'refine']);

const CONSTRUCTS: Record<string, z.ZodType> = {
  object: z.object({ a: z.string(), b: z.number() }),
  strictObject: z.strictObject({ a: z.string().min(2).max(5), n: z.int().min(1).max(9) }),
  'string checks': z.string().min(3).max(12),
  regex: z.string().regex(/^[A-Z]{2}-[0-9]{3}$/),
  email: z.email(),
  uuid: z.uuid(),
  datetime: z.iso.datetime({ offset: true }),
  number: z.number().min(-5).max(5),
  int: z.int().min(0).max(10),
  boolean: z.boolean(),
  enum: z.enum(['a', 'b', 'c']),
  literal: z.literal(3),
  array: z.array(z.string().max(3)).min(1).max(4),
  optional: z.strictObject({ x: z.string().optional() }),
  nullable: z.string().min(1).nullable(),
  default: z.strictObject({ x: z.int().min(1).max(3).default(2) }),
  union: z.union([z.literal(1), z.literal(3)]),
  discriminatedUnion: z.discriminatedUnion('kind', [z.strictObject({ kind: z.literal('a'), n: z.int().min(0).max(1) }), z.strictObject({ kind: z.literal('b'), s: z.string().max(2) })]),
  record: z.record(z.string().regex(/^[a-z]{1,5}$/), z.string().max(10)),
  'pipe/transform (trimmed text)': z
    .string()
    .transform((s) => s.trim())
    .pipe(z.string().min(1).max(10)),
  refine: z.string().max(10).refine((s) => !s.includes('\u0000')),
};

describe('zod 4 schema → fast-check arbitrary', () => {
  for (const [name, schema] of Object.entries(CONSTRUCTS)) {
    it(`${name}: valid values pass, mutated values fail`, () => {
      fc.assert(
        fc.property(validArbitrary(schema), (v) => {
          const r = schema.safeParse(asSentOverJson(v));
          if (!r.success) throw new Error(`valid value refused: ${describeValue(v)}: ${r.error.message}`);
        }),
        fcParams(RUNS, `construct-valid:${name}`),
      );
      let refused = 0;
      fc.assert(
        fc.property(mutatedArbitrary(schema), (v) => {
          if (!schema.safeParse(v).success) refused++;
        }),
        fcParams(RUNS, `construct-mutated:${name}`),
      );
      // Mutations are hostile input first: on an unbounded string a NUL or a BOM is still valid, and
      // a union's other member may come up; most must be refused all the same.
      expect(refused / RUNS).toBeGreaterThan(LENIENT.has(name) ? 0.1 : 0.45);
    });
  }

  it('names the path of a kind it cannot generate', () => {
    const schema = z.strictObject({ a: z.strictObject({ b: z.custom<string>(() => true) }) });
    expect(() => validArbitrary(schema)).toThrow(UnsupportedSchemaError);
    expect(() => validArbitrary(schema)).toThrow(/a\.b/);
  });

  it('over the app router: valid inputs mostly pass, mutated inputs mostly fail', () => {
    const pools = { caseId: ['00000000-0000-4000-8000-000000000001'] };
    const { generators, missing } = procedureGenerators({ hints: generatorHints(pools) });
    expect(missing).toEqual([]);
    const weak: string[] = [];
    for (const entry of routerProcedures()) {
      if (entry.inputs.length === 0) continue;
      const schema = entry.inputs[0] as z.ZodType;
      const g = generators.get(entry.path)!;
      const valid = fc.sample(g.valid, { numRuns: 40, seed: 1 });
      const mutated = fc.sample(g.mutated, { numRuns: 40, seed: 2 });
      const validRate = valid.filter((v) => schema.safeParse(asSentOverJson(v)).success).length / valid.length;
      const refusedRate = mutated.filter((v) => !schema.safeParse(asSentOverJson(v)).success).length / mutated.length;
      if (validRate < 0.5 || refusedRate < 0.6) weak.push(`${entry.path}: valid ${Math.round(validRate * 100)}%, mutated refused ${Math.round(refusedRate * 100)}%`);
    }
    expect(weak, 'schemas whose generated values are mostly not what they claim').toEqual([]);
  });
});
