// Property: every REST route the server registers (intake with API keys, evidence uploads and
// downloads, dossier downloads, the OpenAPI document, the portal's files) under generated requests — valid and mutated
// bodies, path parameters, query strings and headers from the routes' zod schemas, sent with every
// role's session (as a bearer token or the portal's cookie), none, a TOTP-pending one, made-up
// tokens and intake keys valid, revoked or forged — never answers 5xx, never leaves an unhandled
// rejection, and a refused request writes nothing. Fastify's `inject` carries most cases; one in
// eight goes over real loopback HTTP. A route without a generator here fails the suite.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { complaintIntake } from '../../shared/schemas';
import { beginUploadInput, chunkHeaders, singleUploadQuery } from '../../server/src/evidence/evidence.schema';
import { demoArbitrationExhibits, demoPng } from '../../server/src/demo/data/exhibits';
import { ACTORS, CSRF_HEADERS, startFuzzWorld, type FuzzWorld } from './harness';
import { createJudge, formatStats, type Judge, type Outcome } from './judge';
import { generatorHints } from './procedures';
import { mutatedArbitrary, NASTY_CHARACTERS, validArbitrary, type ArbitraryOptions } from './zod-arbitrary';
import { Findings, watchUnhandledRejections } from './findings';
import { checkProperty, replayHint, runs, timeoutFor } from './config';
import { CATEGORIES } from '../../shared/domain';

const RUNS_PER_ROUTE = runs(300);
/** Longest one route's property runs before it stops generating (times ARBITRA_FUZZ_RUNS). */
const BUDGET_MS = 60_000;

const findings = new Findings('rest');
const rejections = watchUnhandledRejections();
let world: FuzzWorld;
let judge: Judge;
let options: ArbitraryOptions;
let httpCases = 0;
const startedAt = Date.now();

interface GeneratedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** Who sent it, for the report. */
  actor: string;
  /** What the generator built, for the report. */
  input: unknown;
}

const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

/** Percent-encoding as a raw client may send it: lone surrogates become the bytes of their code unit (CESU-8), not an exception. */
export function encodeLoosely(value: string): string {
  let out = '';
  for (const ch of value) {
    try {
      out += encodeURIComponent(ch);
    } catch {
      const c = ch.charCodeAt(0);
      out += [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    }
  }
  return out;
}

/** Header values as HTTP can carry them (no CR, LF or NUL; Latin-1): the rest replaced. */
const headerSafe = (v: unknown) => String(typeof v === 'object' ? JSON.stringify(v) : v).replace(/[^\t\x20-\x7e\x80-\xff]/g, '?').slice(0, 4000);

function queryString(value: unknown): string {
  if (typeof value !== 'object' || value === null) return value === undefined ? '' : `?${encodeLoosely(String(value))}`;
  const parts: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    const values = Array.isArray(v) ? v : [v];
    for (const one of values) parts.push(`${encodeLoosely(k)}=${encodeLoosely(typeof one === 'object' && one !== null ? JSON.stringify(one) : String(one))}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

/** Credentials of a logged-in route: each actor's session, as bearer token or cookie, or an intake key where none belongs. */
function sessionCredential(): fc.Arbitrary<{ actor: string; headers: Record<string, string> }> {
  return fc.tuple(fc.constantFrom(...ACTORS), fc.integer({ min: 0, max: 5 })).map(([actor, how]): { actor: string; headers: Record<string, string> } => {
    const token = world.tokens[actor];
    if (!token) return { actor, headers: {} };
    if (how === 0) return { actor: `${actor} (cookie)`, headers: { cookie: `arbitra_session=${token}` } };
    if (how === 1) return { actor: 'intake key', headers: { authorization: `Bearer ${world.intakeKeys.valid}` } };
    return { actor, headers: { authorization: `Bearer ${token}` } };
  });
}

function intakeCredential(): fc.Arbitrary<{ actor: string; headers: Record<string, string> }> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant({ actor: 'intake key', headers: { authorization: `Bearer ${world.intakeKeys.valid}` } }) },
    { weight: 1, arbitrary: fc.constant({ actor: 'revoked intake key', headers: { authorization: `Bearer ${world.intakeKeys.revoked}` } }) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(`${world.intakeKeys.valid.slice(0, -1)}0`, 'arb_000000000000_00', 'arb__', `Bearer ${'a'.repeat(3000)}`, 'arb_\u00ff\u00fe_x')
        .map((k) => ({ actor: 'forged intake key', headers: { authorization: `Bearer ${headerSafe(k)}` } })),
    },
    { weight: 1, arbitrary: sessionCredential() },
  );
}

/** A path parameter: a known id most of the time, otherwise a random uuid or something that is not one. */
function idParam(pool: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...pool) },
    { weight: 1, arbitrary: fc.uuid({ version: 4 }) },
    {
      weight: 3,
      arbitrary: fc.oneof(
        fc.constantFrom('not-a-uuid', '..', '%2e%2e%2f', ' ', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '00000000-0000-0000-0000-000000000000', 'a'.repeat(3000), ...NASTY_CHARACTERS),
        fc.constantFrom(...pool).map((id) => id.toUpperCase()),
        fc.tuple(fc.constantFrom(...pool), fc.constantFrom(...NASTY_CHARACTERS)).map(([id, c]) => id + c),
        fc.string({ unit: 'binary', maxLength: 40 }),
      ),
    },
  );
}

const CONTENT_TYPES = ['application/json', 'application/json; charset=utf-8', 'application/json; charset=latin1', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/octet-stream', 'application/offset+octet-stream', ''];

/** JSON bodies: the value as JSON, or broken JSON around it. */
function jsonBody(value: fc.Arbitrary<unknown>): fc.Arbitrary<{ input: unknown; body: Buffer }> {
  return fc.oneof(
    { weight: 6, arbitrary: value.map((v) => ({ input: v, body: Buffer.from(JSON.stringify(v) ?? '', 'utf8') })) },
    {
      weight: 2,
      arbitrary: fc.tuple(value, fc.integer({ min: 0, max: 6 }), fc.nat()).map(([v, how, n]) => {
        const text = JSON.stringify(v) ?? 'null';
        const variants = [
          text.slice(0, n % (text.length + 1)),
          `\ufeff${text}`,
          `${text}${text}`,
          text.replace(/"/g, "'"),
          `{"a":${'['.repeat(5000)}`,
          '',
          text.replace(/:/, ': 1e999999,'),
        ];
        return { input: `raw: ${variants[how]!.slice(0, 200)}`, body: Buffer.from(variants[how]!, 'utf8') };
      }),
    },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((b) => ({ input: `bytes(${b.length})`, body: Buffer.from(b) })) },
  );
}

const demoFiles = demoArbitrationExhibits({ occurredAt: new Date('2026-03-01T12:00:00Z') });

/** File bodies: a real exhibit, a mutated one, or random bytes. */
const fileBody: fc.Arbitrary<Buffer> = fc.oneof(
  fc.constantFrom(...demoFiles.map((f) => Buffer.from(f.bytes)), demoPng(4, 4)),
  fc.tuple(fc.constantFrom(...demoFiles.map((f) => Buffer.from(f.bytes))), fc.nat(), fc.integer({ min: 0, max: 255 })).map(([b, at, byte]) => {
    const copy = Buffer.from(b);
    copy[at % copy.length] = byte;
    return copy;
  }),
  fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b)),
  fc.constant(Buffer.alloc(0)),
);

interface RouteSpec {
  methods: string[];
  request(method: string): fc.Arbitrary<GeneratedRequest>;
}

function fixComplaint(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  const o = v as Record<string, unknown>;
  const subs = CATEGORIES[o.category as keyof typeof CATEGORIES] as readonly string[] | undefined;
  return subs ? { ...o, subcategory: subs[0], amounts: [] } : o;
}

/** Generators for every REST route, keyed by its path as Fastify prints it. */
function routeSpecs(): Record<string, RouteSpec> {
  const complaint = fc.oneof({ weight: 2, arbitrary: validArbitrary(complaintIntake, options).map(fixComplaint) }, { weight: 3, arbitrary: mutatedArbitrary(complaintIntake, options) });
  const begin = fc.oneof({ weight: 2, arbitrary: validArbitrary(beginUploadInput, options) }, { weight: 3, arbitrary: mutatedArbitrary(beginUploadInput, options) });
  const single = fc.oneof({ weight: 2, arbitrary: validArbitrary(singleUploadQuery, options) }, { weight: 3, arbitrary: mutatedArbitrary(singleUploadQuery, options) });
  const chunk = fc.oneof({ weight: 2, arbitrary: validArbitrary(chunkHeaders, options) }, { weight: 3, arbitrary: mutatedArbitrary(chunkHeaders, options) });
  const contentType = (preferred: string) => fc.oneof({ weight: 6, arbitrary: fc.constant(preferred) }, { weight: 1, arbitrary: fc.constantFrom(...CONTENT_TYPES) });
  const csrf = fc.oneof({ weight: 9, arbitrary: fc.constant<Record<string, string>>(CSRF_HEADERS) }, { weight: 1, arbitrary: fc.constantFrom<Record<string, string>>({}, { origin: 'https://evil.example' }, { ...CSRF_HEADERS, 'sec-fetch-site': 'cross-site' }) });
  const download = (prefix: string, suffix: string, pool: string[]): RouteSpec => ({
    methods: ['GET', 'HEAD'],
    request: (method) =>
      fc.tuple(sessionCredential(), idParam(pool), fc.constantFrom('', '?x=1', '?download=%00', `?${'a'.repeat(2000)}`)).map(([cred, id, q]) => ({
        method,
        url: `${prefix}${encodeLoosely(id)}${suffix}${q}`,
        headers: { ...cred.headers, range: 'bytes=0-10' },
        actor: cred.actor,
        input: { id, query: q },
      })),
  });
  return {
    '/api/v1/complaints': {
      methods: ['POST'],
      request: (method) =>
        fc.tuple(intakeCredential(), jsonBody(complaint), contentType('application/json')).map(([cred, b, ct]) => ({
          method,
          url: '/api/v1/complaints',
          headers: { ...cred.headers, ...(ct ? { 'content-type': ct } : {}) },
          body: b.body,
          actor: cred.actor,
          input: { contentType: ct, body: b.input },
        })),
    },
    '/api/v1/openapi.json': {
      methods: ['GET', 'HEAD'],
      request: (method) =>
        fc.tuple(fc.constantFrom('', '?format=yaml', '?%00', `?${'x'.repeat(3000)}`), fc.constantFrom('en', 'zh-CN', '*', '\u00ff', 'x'.repeat(500))).map(([q, lang]) => ({
          method,
          url: `/api/v1/openapi.json${q}`,
          headers: { 'accept-language': headerSafe(lang) },
          actor: 'anyone',
          input: { query: q, lang },
        })),
    },
    '/api/v1/uploads': {
      methods: ['POST'],
      request: (method) =>
        fc.tuple(sessionCredential(), jsonBody(begin), contentType('application/json'), csrf).map(([cred, b, ct, c]) => ({
          method,
          url: '/api/v1/uploads',
          headers: { ...cred.headers, ...c, ...(ct ? { 'content-type': ct } : {}) },
          body: b.body,
          actor: cred.actor,
          input: { contentType: ct, body: b.input, csrf: c },
        })),
    },
    '/api/v1/uploads/:uploadId': {
      methods: ['HEAD', 'GET', 'PATCH'],
      request: (method) =>
        fc.tuple(sessionCredential(), idParam(world.pools.uploadId!), chunk, fileBody, contentType('application/offset+octet-stream'), fc.boolean(), csrf).map(([cred, id, h, body, ct, rightSha, c]) => {
          const headers: Record<string, string> = { ...cred.headers };
          if (method === 'PATCH') {
            Object.assign(headers, c, ct ? { 'content-type': ct } : {});
            if (typeof h === 'object' && h !== null)
              for (const [k, v] of Object.entries(h)) if (v !== undefined) headers[k] = headerSafe(v);
            if (rightSha) headers['x-chunk-sha256'] = sha256(body);
          }
          return { method, url: `/api/v1/uploads/${encodeLoosely(id)}`, headers, body: method === 'PATCH' ? body : undefined, actor: cred.actor, input: { id, headers: method === 'PATCH' ? h : undefined, bodyBytes: body.length } };
        }),
    },
    '/api/v1/cases/:caseId/exhibits': {
      methods: ['POST'],
      request: (method) =>
        fc.tuple(sessionCredential(), idParam(world.pools.caseId!), single, fileBody, contentType('application/octet-stream'), fc.integer({ min: 0, max: 3 }), csrf).map(([cred, id, q, body, ct, shaHow, c]) => {
          const sha = shaHow <= 1 ? sha256(body) : shaHow === 2 ? sha256('other') : 'not-a-sha';
          return {
            method,
            url: `/api/v1/cases/${encodeLoosely(id)}/exhibits${queryString(q)}`,
            headers: { ...cred.headers, ...c, ...(ct ? { 'content-type': ct } : {}), 'x-sha256': sha },
            body,
            actor: cred.actor,
            input: { caseId: id, query: q, sha256: sha, bodyBytes: body.length, contentType: ct },
          };
        }),
    },
    '/api/v1/exhibits/:exhibitId/content': download('/api/v1/exhibits/', '/content', world.pools.exhibitId!),
    '/api/v1/exhibits/:exhibitId/records.csv': download('/api/v1/exhibits/', '/records.csv', world.pools.exhibitId!),
    '/api/v1/dossiers/:dossierId/pdf': download('/api/v1/dossiers/', '/pdf', world.pools.dossierId!),
    // The portal's built files (server/src/http/portal.ts): anyone may read them; paths that climb
    // out of the folder, hidden files, encoded separators and NULs are refused, never served.
    '/portal': portalFiles,
    '/portal*': portalFiles,
  };
}

const portalPath = fc.oneof(
  fc.constantFrom('', 'index.html', 'assets/', 'assets/missing-abcdefgh.js', '../package.json', '..%2f..%2fpackage.json', '%2e%2e/%2e%2e/package.json', '.build-files.json', 'assets/%00.js', 'a\\b', '%', '%E0%A4%A', `${'a/'.repeat(300)}x`),
  fc.string({ maxLength: 80 }).map(encodeLoosely),
);
const portalFiles: RouteSpec = {
  methods: ['GET', 'HEAD'],
  request: (method) =>
    fc.tuple(portalPath, fc.constantFrom('gzip', 'br', '', 'gzip;q=0')).map(([p, encoding]) => ({
      method,
      url: `/portal/${p}`,
      headers: (encoding ? { 'accept-encoding': encoding } : {}) as Record<string, string>,
      actor: 'anyone',
      input: { path: p, encoding },
    })),
};

/** The routes Fastify has, from its own route table (`printRoutes`), as path → methods. */
function registeredRoutes(): Map<string, string[]> {
  const routes = new Map<string, string[]>();
  const stack: string[] = [];
  for (const line of world.app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([│ ]*)[├└]── (\S+)(?: \(([^)]*)\))?/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    stack.length = depth;
    stack.push(m[2]!);
    if (m[3]) routes.set(stack.join(''), m[3].split(',').map((s) => s.trim()));
  }
  return routes;
}

/** Routes fuzzed elsewhere or carrying nothing: tRPC (its own suite) and the health check. */
const NOT_HERE = new Set(['/trpc/:path', '/healthz']);

async function send(req: GeneratedRequest, overHttp: boolean): Promise<Outcome> {
  if (overHttp) {
    httpCases++;
    const res = await fetch(`${world.url}${req.url}`, { method: req.method, headers: req.headers, body: req.body ? new Uint8Array(req.body) : undefined, signal: AbortSignal.timeout(30_000) });
    const text = req.method === 'HEAD' ? '' : await res.text();
    return outcomeOf(res.status, text);
  }
  const res = await world.app.inject({ method: req.method as 'GET', url: req.url, headers: req.headers, payload: req.body });
  return outcomeOf(res.statusCode, res.body);
}

function outcomeOf(status: number, text: string): Outcome {
  let summary = `${status}`;
  try {
    const body = JSON.parse(text) as { error?: { messageKey?: string; field?: string | null } };
    if (body.error) summary += ` ${body.error.messageKey ?? ''}${body.error.field ? ` (${body.error.field})` : ''}`;
  } catch {
    if (status >= 400) summary += ` ${text.slice(0, 160)}`;
  }
  return { ok: status < 400, status, summary };
}

let specs: Record<string, RouteSpec>;

beforeAll(async () => {
  world = await startFuzzWorld();
  options = { hints: generatorHints(world.pools) };
  specs = routeSpecs();
  judge = await createJudge(world, findings, rejections);
}, 240_000);

afterAll(async () => {
  rejections.stop();
  const file = findings.save();
  if (process.env.ARBITRA_FUZZ_STATS) console.log(formatStats(judge.stats));
  console.log(`[fuzz:rest] ${judge?.cases} cases (${httpCases} over HTTP) in ${((Date.now() - startedAt) / 1000).toFixed(1)}s; ${findings.all().length} distinct finding(s) → ${file}`);
  await world?.close();
});

describe('REST routes under generated requests', () => {
  it('every registered route has a generator', () => {
    const uncovered: string[] = [];
    for (const [path, methods] of registeredRoutes()) {
      if (NOT_HERE.has(path)) continue;
      const spec = specs[path];
      for (const method of methods) if (!spec?.methods.includes(method)) uncovered.push(`${method} ${path}`);
    }
    expect(uncovered, 'routes without a generator in test/fuzz/rest.fuzz.test.ts').toEqual([]);
    expect(registeredRoutes().size).toBeGreaterThan(5);
  });

  const paths = ['/api/v1/complaints', '/api/v1/openapi.json', '/api/v1/uploads', '/api/v1/uploads/:uploadId', '/api/v1/cases/:caseId/exhibits', '/api/v1/exhibits/:exhibitId/content', '/api/v1/exhibits/:exhibitId/records.csv', '/api/v1/dossiers/:dossierId/pdf', '/portal*'];
  for (const path of paths) {
    it(
      `${path}: no 5xx, no unhandled rejection, a refusal writes nothing`,
      async () => {
        const spec = specs[path]!;
        const numRuns = path === '/api/v1/openapi.json' ? runs(60) : RUNS_PER_ROUTE;
        const request = fc.constantFrom(...spec.methods).chain((m) => spec.request(m));
        await checkProperty(
          fc.asyncProperty(request, fc.integer({ min: 0, max: 7 }), async (req, n) => {
            let outcome: Outcome;
            try {
              outcome = await send(req, n === 0);
            } catch (error) {
              outcome = { ok: false, status: 599, summary: `request failed: ${String((error as Error)?.message ?? error)}` };
            }
            await judge.judge({ target: `${req.method} ${path}`, actor: req.actor, transport: n === 0 ? 'http' : 'inject', input: { url: req.url.length > 300 ? `${req.url.slice(0, 300)}…` : req.url, ...((req.input as object) ?? {}) }, outcome });
          }) as fc.IAsyncProperty<unknown[]>,
          numRuns,
          `rest:${path}`,
          BUDGET_MS,
        );
        const found = spec.methods.flatMap((m) => findings.for(`${m} ${path}`));
        expect(found, Findings.format(found, replayHint(`rest:${path}`, numRuns))).toEqual([]);
      },
      timeoutFor(BUDGET_MS + 30_000),
    );
  }
});

