// zod 4 schema → fast-check arbitraries: `validArbitrary` for values the schema should accept, and
// `mutatedArbitrary` for values it should refuse (wrong types, missing or extra keys, over-long
// strings, NUL, lone surrogates, control characters, BOMs, huge/negative/NaN numbers, deep nesting).
//
// It reads `schema._zod.def` (zod 4's public definition object). A schema kind it does not know is an
// UnsupportedSchemaError naming the path, so a procedure whose input cannot be generated fails the
// fuzz suite instead of being skipped silently.
//
// Cross-field refinements (`.refine`, `.superRefine`) cannot be read from the definition; a valid
// value is "valid in every field", and callers repair known cross-field rules with `hints` (an
// arbitrary for a key name, used wherever that key appears) or a fix-up of the whole value.
import fc from 'fast-check';
import type { z } from 'zod';

type AnySchema = z.core.$ZodType;
// The definition objects differ per kind; the generator reads them structurally.
type Def = Record<string, any> & { type: string };
type Check = { _zod: { def: Record<string, any> & { check: string } } };

export class UnsupportedSchemaError extends Error {
  constructor(
    readonly path: string,
    readonly kind: string,
  ) {
    super(`no generator for zod type "${kind}" at ${path || '(root)'}`);
    this.name = 'UnsupportedSchemaError';
  }
}

export interface ArbitraryOptions {
  /** Arbitraries for values by key name (`caseId` → known case ids), used for valid values at any depth. */
  hints?: Readonly<Record<string, fc.Arbitrary<unknown>>>;
  /** Longest string generated for an unbounded string in valid values (boundaries aside). */
  maxFreeStringLength?: number;
  /** Largest array generated in valid values (beyond the schema's own minimum). */
  maxFreeArrayLength?: number;
}

const def = (schema: AnySchema): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;
const checksOf = (d: Def): Check['_zod']['def'][] => ((d.checks ?? []) as Check[]).map((c) => c._zod.def);

interface StringBounds {
  min: number;
  max: number | null;
  formats: { format: string; pattern?: RegExp }[];
}

function stringBounds(d: Def): StringBounds {
  const b: StringBounds = { min: 0, max: null, formats: [] };
  if (d.format) b.formats.push({ format: d.format, pattern: d.pattern });
  for (const c of checksOf(d)) {
    if (c.check === 'min_length') b.min = Math.max(b.min, Number(c.minimum));
    else if (c.check === 'max_length') b.max = b.max === null ? Number(c.maximum) : Math.min(b.max, Number(c.maximum));
    else if (c.check === 'length_equals') b.min = b.max = Number(c.length);
    else if (c.check === 'string_format') b.formats.push({ format: c.format, pattern: c.pattern });
  }
  return b;
}

interface NumberBounds {
  min: number;
  max: number;
  integer: boolean;
}

function numberBounds(d: Def): NumberBounds {
  const integer = typeof d.format === 'string' && /int/.test(d.format);
  const b: NumberBounds = { min: integer ? Number.MIN_SAFE_INTEGER : -1e12, max: integer ? Number.MAX_SAFE_INTEGER : 1e12, integer };
  for (const c of checksOf(d)) {
    if (c.check === 'greater_than') b.min = Math.max(b.min, Number(c.value) + (c.inclusive ? 0 : integer ? 1 : Number.EPSILON));
    else if (c.check === 'less_than') b.max = Math.min(b.max, Number(c.value) - (c.inclusive ? 0 : integer ? 1 : Number.EPSILON));
    else if (c.check === 'number_format' && /int/.test(c.format)) b.integer = true;
  }
  return b;
}

const CJK = fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((c) => String.fromCharCode(c));
/** Printable text without control characters: ASCII, Chinese, and any printable grapheme. */
const printableUnit: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: CJK },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
);

/** Whitespace at either end replaced (trimmed inputs stay as long as generated). */
const edgesSolid = (s: string) => s.replace(/^\s+/, (m) => 'x'.repeat(m.length)).replace(/\s+$/, (m) => 'x'.repeat(m.length));

/** A string cut or padded to [min, max] UTF-16 units (as zod counts), never splitting a surrogate pair. */
function clampUtf16(s: string, min: number, max: number | null): string {
  let out = s;
  if (max !== null && out.length > max) {
    out = out.slice(0, max);
    if (/[\ud800-\udbff]$/.test(out)) out = out.slice(0, -1);
  }
  return out.length < min ? out + 'a'.repeat(min - out.length) : out;
}

function freeString(b: StringBounds, options: ArbitraryOptions): fc.Arbitrary<string> {
  const cap = options.maxFreeStringLength ?? 40;
  const max = b.max ?? b.min + cap;
  const typical = fc
    .string({ unit: printableUnit, minLength: b.min, maxLength: Math.max(b.min, Math.min(max, b.min + cap)) })
    .map(edgesSolid)
    .map((s) => clampUtf16(s, b.min, b.max));
  const parts: fc.Arbitrary<string>[] = [typical];
  // Boundaries: exactly the maximum (in UTF-16 units, as zod counts), in ASCII and in Chinese.
  if (b.max !== null && b.max <= 100_000) parts.push(fc.constantFrom('a'.repeat(b.max), '中'.repeat(b.max), 'a'.repeat(Math.max(b.min, 1))));
  return fc.oneof({ weight: 8, arbitrary: typical }, ...parts.slice(1).map((arbitrary) => ({ weight: 1, arbitrary })));
}

function formatString(f: { format: string; pattern?: RegExp }, b: StringBounds): fc.Arbitrary<string> {
  switch (f.format) {
    case 'uuid':
    case 'guid':
      return fc.uuid({ version: 4 });
    case 'email':
      // zod's own pattern, so every generated address is one zod accepts.
      return fc.stringMatching(f.pattern ?? /^[a-z]{1,10}@[a-z]{1,10}\.[a-z]{2,4}$/, { size: 'small' });
    case 'datetime':
      return fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString());
    case 'date':
      return fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    case 'url':
      return fc.webUrl();
    default:
      if (f.pattern) return fc.stringMatching(f.pattern, { size: b.max !== null && b.max < 20 ? 'xsmall' : 'small' });
      throw new UnsupportedSchemaError('', `string format ${f.format}`);
  }
}

function validString(d: Def, path: string, options: ArbitraryOptions): fc.Arbitrary<string> {
  const b = stringBounds(d);
  if (b.formats.length === 0) return freeString(b, options);
  let arb: fc.Arbitrary<string>;
  try {
    arb = formatString(b.formats[0]!, b);
  } catch (error) {
    if (error instanceof UnsupportedSchemaError) throw new UnsupportedSchemaError(path, error.kind);
    throw error;
  }
  const others = b.formats.slice(1).filter((f) => f.pattern);
  // Length bounds and further patterns are kept by repairing rather than filtering (never spins).
  return arb.map((s) => {
    let out = s;
    if (b.max !== null && out.length > b.max) out = out.slice(0, b.max);
    return others.every((f) => f.pattern!.test(out)) && out.length >= b.min ? out : s;
  });
}

function validNumber(d: Def): fc.Arbitrary<number> {
  const b = numberBounds(d);
  if (b.min > b.max) return fc.constant(b.min);
  if (b.integer) {
    const min = Math.ceil(b.min);
    const max = Math.floor(b.max);
    const edges = [min, max, Math.min(max, Math.max(min, 0)), Math.min(max, min + 1)];
    return fc.oneof({ weight: 6, arbitrary: fc.integer({ min, max }) }, { weight: 2, arbitrary: fc.integer({ min, max: Math.min(max, min + 100) }) }, { weight: 1, arbitrary: fc.constantFrom(...edges) });
  }
  return fc.double({ min: b.min, max: b.max, noNaN: true, noDefaultInfinity: true });
}

/** Kinds that wrap one inner schema and may leave a key out of an object. */
const OPTIONAL_KINDS = new Set(['optional', 'default', 'prefault']);

/** An arbitrary of values the schema accepts in every field (cross-field refinements aside). */
export function validArbitrary(schema: AnySchema, options: ArbitraryOptions = {}, path = '', key?: string): fc.Arbitrary<unknown> {
  const d = def(schema);
  const hint = key !== undefined ? options.hints?.[key] : undefined;
  if (hint && !['optional', 'nullable', 'default', 'prefault'].includes(d.type)) return hint;
  const at = (k: string | number) => (path ? `${path}.${k}` : String(k));
  switch (d.type) {
    case 'string':
      return validString(d, path, options);
    case 'number':
      return validNumber(d);
    case 'int':
      return validNumber({ ...d, format: 'safeint' });
    case 'boolean':
      return fc.boolean();
    case 'bigint':
      return fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
    case 'null':
      return fc.constant(null);
    case 'undefined':
    case 'void':
      return fc.constant(undefined);
    case 'any':
    case 'unknown':
      return fc.jsonValue({ maxDepth: 2 });
    case 'date':
      return fc.date({ noInvalidDate: true });
    case 'enum':
      return fc.constantFrom(...Object.values(d.entries as Record<string, string | number>));
    case 'literal':
      return fc.constantFrom(...(d.values as unknown[]));
    case 'array': {
      let min = 0;
      let max: number | null = null;
      for (const c of checksOf(d)) {
        if (c.check === 'min_length') min = Number(c.minimum);
        if (c.check === 'max_length') max = Number(c.maximum);
        if (c.check === 'length_equals') min = max = Number(c.length);
      }
      const upper = Math.max(min, Math.min(max ?? Infinity, min + (options.maxFreeArrayLength ?? 4)));
      return fc.array(validArbitrary(d.element, options, at('[]')), { minLength: min, maxLength: upper });
    }
    case 'tuple':
      return fc.tuple(...(d.items as AnySchema[]).map((item, i) => validArbitrary(item, options, at(i))));
    case 'object': {
      const shape = d.shape as Record<string, AnySchema>;
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      const required: string[] = [];
      for (const [k, child] of Object.entries(shape)) {
        const cd = def(child);
        if (OPTIONAL_KINDS.has(cd.type)) model[k] = validArbitrary(cd.innerType, options, at(k), k);
        else {
          model[k] = validArbitrary(child, options, at(k), k);
          required.push(k);
        }
      }
      return fc.record(model, { requiredKeys: required });
    }
    case 'optional':
    case 'default':
    case 'prefault':
      return fc.option(validArbitrary(d.innerType, options, path, key), { nil: undefined, freq: 4 });
    case 'nullable':
      return fc.option(validArbitrary(d.innerType, options, path, key), { nil: null, freq: 4 });
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return validArbitrary(d.innerType, options, path, key);
    case 'union':
      return fc.oneof(...(d.options as AnySchema[]).map((o) => validArbitrary(o, options, path, key)));
    case 'intersection':
      return fc.tuple(validArbitrary(d.left, options, path, key), validArbitrary(d.right, options, path, key)).map(([a, b]) => (isPlainObject(a) && isPlainObject(b) ? { ...a, ...b } : a));
    case 'record': {
      const maxKeys = 4;
      return fc.dictionary(validArbitrary(d.keyType, options, at('{key}')) as fc.Arbitrary<string>, validArbitrary(d.valueType, options, at('{value}')), { maxKeys, noNullPrototype: true });
    }
    case 'pipe': {
      // A transform's output cannot be generated from: generate what goes in. Otherwise what comes
      // out is what the value must satisfy (text(): trimmed, then bounded and free of controls).
      const out = def(d.out);
      return out.type === 'transform' ? validArbitrary(d.in, options, path, key) : validArbitrary(d.out, options, path, key);
    }
    case 'lazy':
      return validArbitrary(d.getter(), options, path, key);
    default:
      throw new UnsupportedSchemaError(path, d.type);
  }
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

// ---- Mutations ---------------------------------------------------------------------------------

/** A value nested `depth` levels deep: arrays in arrays, or objects in objects. */
export function deeplyNested(depth: number, kind: 'array' | 'object'): unknown {
  let v: unknown = 'x';
  for (let i = 0; i < depth; i++) v = kind === 'array' ? [v] : { a: v };
  return v;
}

/** Wrong types for anything: each is of a JSON type, as a client could send it. */
const WRONG_TYPES: unknown[] = [null, 0, -1, 1.5, 1e308, '', 'x', '0', 'null', true, false, [], {}, [null], { a: 1 }, ['x', 1]];
const wrongType = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...WRONG_TYPES) },
  { weight: 1, arbitrary: fc.constantFrom(deeplyNested(200, 'array'), deeplyNested(200, 'object'), deeplyNested(3000, 'array')) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

/** Characters that databases, parsers and terminals treat specially. */
export const NASTY_CHARACTERS = ['\u0000', '\ud800', '\udfff', '\udc00\ud800', '\ufeff', '\u202e', '\u200b', '\u0007', '\u001b[31m', '\r\n', '\u2028', '\uffff', '\ufffe', '%00', '\\u0000', "'; drop table cases; --", '${7*7}', '<script>'];

function stringMutations(b: StringBounds, valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown>[] {
  const over = (b.max ?? 10_000) + 1;
  const inject = fc.tuple(valid, fc.constantFrom(...NASTY_CHARACTERS), fc.nat()).map(([v, c, at]) => {
    const s = typeof v === 'string' ? v : 'x';
    const i = s.length === 0 ? 0 : at % (s.length + 1);
    return s.slice(0, i) + c + s.slice(i);
  });
  return [
    inject,
    inject,
    fc.constantFrom('', ' ', '\t\n', '\u3000', '\u0000', '\ud800', '\udfff', '\ufeff'),
    fc.constantFrom('a'.repeat(over), '中'.repeat(over), '\u{1F600}'.repeat(Math.ceil(over / 2)), ' '.repeat(over) + 'a', '\u0000'.repeat(Math.min(over, 5000))),
    valid.map((v) => (typeof v === 'string' ? `${v}!` : v)),
    valid.map((v) => (typeof v === 'string' ? v.toUpperCase() + '\u0130' : v)),
    valid.map((v) => (typeof v === 'string' ? `\ufeff${v}` : v)),
    fc.string({ unit: 'binary', maxLength: 64 }),
    fc.constantFrom(1, -1, 0, true, null, ['x'], { toString: 'x' }),
  ];
}

function numberMutations(b: NumberBounds): fc.Arbitrary<unknown>[] {
  const edges = [Number.NaN, Infinity, -Infinity, -0, -1, 0.5, 1.5, 1e308, -1e308, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), Number.MIN_VALUE, 2 ** 31, 2 ** 63, 1e21];
  if (Number.isFinite(b.min)) edges.push(b.min - 1, b.min - 0.5);
  if (Number.isFinite(b.max)) edges.push(b.max + 1, b.max + 0.5, b.max * 10);
  return [fc.constantFrom(...edges), fc.constantFrom('1', '0', '1e3', 'NaN', '', '0x10', '١'), fc.double()];
}

/** An arbitrary of values the schema should refuse (a few may still pass; callers do not rely on it). */
export function mutatedArbitrary(schema: AnySchema, options: ArbitraryOptions = {}, path = '', key?: string, depth = 0): fc.Arbitrary<unknown> {
  const d = def(schema);
  const valid = validArbitrary(schema, options, path, key);
  const at = (k: string | number) => (path ? `${path}.${k}` : String(k));
  const specific: fc.Arbitrary<unknown>[] = [];
  switch (d.type) {
    case 'string':
      specific.push(...stringMutations(stringBounds(d), valid));
      break;
    case 'number':
    case 'int':
      specific.push(...numberMutations(numberBounds(d.type === 'int' ? { ...d, format: 'safeint' } : d)));
      break;
    case 'boolean':
      specific.push(fc.constantFrom('true', 'false', 1, 0, 'yes'));
      break;
    case 'enum':
    case 'literal': {
      const values = (d.type === 'enum' ? Object.values(d.entries as Record<string, unknown>) : (d.values as unknown[])).map(String);
      specific.push(
        fc.constantFrom(...values).chain((v) => fc.constantFrom(v.toUpperCase(), ` ${v}`, `${v}\u0000`, `${v}\ud800`, v.replace(/a/g, '\u0430'), `${v}${v}`)),
        fc.constantFrom('', '__proto__', 'constructor', 'toString'),
      );
      break;
    }
    case 'array': {
      let max: number | null = null;
      let min = 0;
      for (const c of checksOf(d)) {
        if (c.check === 'max_length') max = Number(c.maximum);
        if (c.check === 'min_length') min = Number(c.minimum);
      }
      const element = validArbitrary(d.element, options, at('[]'));
      if (depth < 4) {
        const badElement = mutatedArbitrary(d.element, options, at('[]'), undefined, depth + 1);
        specific.push(fc.tuple(fc.array(element, { maxLength: 3 }), badElement, fc.array(element, { maxLength: 2 })).map(([a, x, c]) => [...a, x, ...c]));
      }
      if (max !== null && max <= 2_000) specific.push(fc.array(element, { minLength: max + 1, maxLength: max + 1 }));
      if (min > 0) specific.push(fc.constant([]));
      specific.push(fc.constant(Array.from({ length: 5_000 }, () => null)));
      break;
    }
    case 'object': {
      const shape = d.shape as Record<string, AnySchema>;
      const keys = Object.keys(shape);
      const required = keys.filter((k) => !['optional', 'default', 'prefault'].includes(def(shape[k]!).type));
      if (required.length > 0) specific.push(fc.tuple(valid, fc.constantFrom(...required)).map(([v, k]) => omit(v, k)));
      specific.push(
        fc.tuple(valid, fc.constantFrom('extra', '__proto__', 'constructor', 'prototype', 'toString', ...keys.map((k) => k.toUpperCase())), fc.constantFrom<unknown>(1, 'x', null, { polluted: true })).map(
          ([v, k, x]) => withKey(v, k, x),
        ),
      );
      if (keys.length > 0 && depth < 4) {
        const perKey = keys.map((k) => fc.tuple(fc.constant(k), valid, mutatedArbitrary(shape[k]!, options, at(k), k, depth + 1)).map(([kk, v, x]) => withKey(v, kk, x)));
        specific.push(fc.oneof(...perKey), fc.oneof(...perKey));
      }
      specific.push(valid.map((v) => (isPlainObject(v) ? Object.values(v) : v)));
      break;
    }
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return depth < 6 ? mutatedArbitrary(d.innerType, options, path, key, depth + 1) : fc.constantFrom(...WRONG_TYPES);
    case 'union':
      if (depth < 6) specific.push(...(d.options as AnySchema[]).map((o) => mutatedArbitrary(o, options, path, key, depth + 1)));
      break;
    case 'record': {
      const value = validArbitrary(d.valueType, options, at('{value}'));
      specific.push(
        fc.tuple(fc.constantFrom('', ' ', '\u0000', 'a'.repeat(500), '__proto__', '1', 'ключ'), value).map(([k, v]) => withKey({}, k, v)),
        fc.constant(Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, 'v']))),
      );
      if (depth < 4) specific.push(fc.tuple(fc.constantFrom('a', 'time', 'b'), mutatedArbitrary(d.valueType, options, at('{value}'), undefined, depth + 1)).map(([k, v]) => withKey({}, k, v)));
      break;
    }
    case 'pipe':
      if (depth < 6) {
        specific.push(mutatedArbitrary(d.in, options, path, key, depth + 1));
        if (def(d.out).type !== 'transform') specific.push(mutatedArbitrary(d.out, options, path, key, depth + 1));
      }
      break;
    case 'lazy':
      return mutatedArbitrary(d.getter(), options, path, key, depth + 1);
    case 'any':
    case 'unknown':
      specific.push(fc.constantFrom(deeplyNested(1_000, 'object'), deeplyNested(1_000, 'array'), 'x'.repeat(100_000), { __proto__: null }));
      break;
    default:
      break;
  }
  return fc.oneof({ weight: 1, arbitrary: wrongType }, ...specific.map((arbitrary) => ({ weight: 3, arbitrary })));
}

function omit(v: unknown, k: string): unknown {
  if (!isPlainObject(v)) return v;
  const { [k]: _, ...rest } = v;
  return rest;
}

/** Sets a key the way JSON.parse would (so `__proto__` is an own key, not the prototype). */
function withKey(v: unknown, k: string, x: unknown): unknown {
  const base = isPlainObject(v) ? { ...v } : {};
  Object.defineProperty(base, k, { value: x, enumerable: true, writable: true, configurable: true });
  return base;
}

/** Valid and mutated values of a schema, in the given proportion of mutated ones. */
export function inputArbitrary(schema: AnySchema, options: ArbitraryOptions = {}, mutatedWeight = 3): fc.Arbitrary<{ mutated: boolean; value: unknown }> {
  return fc.oneof(
    { weight: 2, arbitrary: validArbitrary(schema, options).map((value) => ({ mutated: false, value })) },
    { weight: mutatedWeight, arbitrary: mutatedArbitrary(schema, options).map((value) => ({ mutated: true, value })) },
  );
}

/** What a client could actually send: the value after a JSON round trip (undefined stays undefined). */
export function asSentOverJson(value: unknown): unknown {
  if (value === undefined) return undefined;
  const text = JSON.stringify(value);
  return text === undefined ? undefined : JSON.parse(text);
}

/** A short, faithful description of a generated value for a report: long runs are folded (`"a"×5001`). */
export function describeValue(value: unknown, limit = 600): string {
  let text: string;
  try {
    text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? `<${v}>` : v)) ?? 'undefined';
  } catch {
    text = String(value);
  }
  // Fold runs of one character (or one astral pair) repeated 20 times or more.
  text = text.replace(/(\\u[0-9a-f]{4}|[\ud800-\udbff][\udc00-\udfff]|[^\\])\1{19,}/g, (m, c: string) => `${c}<×${m.length / c.length}>`);
  text = text.replace(/(\[){20,}/g, (m) => `[<×${m.length}>`).replace(/(\]){20,}/g, (m) => `]<×${m.length}>`);
  text = text.replace(/(\{"a":){20,}/g, (m) => `{"a":<×${m.length / 5}>`).replace(/(\}){20,}/g, (m) => `}<×${m.length}>`);
  return text.length > limit ? `${text.slice(0, limit)}…(${text.length} chars)` : text;
}
