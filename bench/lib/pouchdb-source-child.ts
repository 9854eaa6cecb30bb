// The source side of the PouchDB replication baseline (bench/sync-initial.bench.ts): a child
// process holding a PouchDB (memory adapter) loaded from an NDJSON file of documents, served on
// 127.0.0.1 by the CouchDB endpoints PouchDB's replicator calls when it pulls from a remote
// (pouchdb-replication 9 with pouchdb-adapter-http 9: GET / for the server uuid, GET and PUT /db
// for the database's info and its creation, GET and PUT /db/_local/<id> for checkpoints,
// GET /db/_changes, POST /db/_bulk_get), plus POST /db/_revs_diff and POST /db/_bulk_docs for
// the push direction. Anything else is answered 404 and counted, so the bench can tell that the
// replicator asked for nothing this server leaves out.
//
// A process of its own, as the Arbitra side's PostgreSQL is: its JSON encoding and storage work
// run beside the replicating process rather than in its event loop (this favours PouchDB).
//
// Protocol (IPC): the child sends { type: 'ready', port, docs, loadMs } once listening;
// { type: 'stats' } is answered with { type: 'stats', routes, unknown }. It exits when the IPC
// channel closes (the parent gone or done) or on SIGTERM.
import fs from 'node:fs';
import http from 'node:http';
import readline from 'node:readline';
import { randomUUID } from 'node:crypto';
import PouchDB from 'pouchdb-core';
import memoryAdapter from 'pouchdb-adapter-memory';

const DB_NAME = 'source';
const LOAD_BATCH = 5_000;
const MAX_BODY = 256 * 1024 * 1024;

const Pouch = PouchDB.plugin(memoryAdapter);
const routes: Record<string, number> = {};
let unknown = 0;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    reason: string,
  ) {
    super(reason);
  }
}

function send(res: http.ServerResponse, status: number, body: unknown) {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new HttpError(413, 'too_large', 'request body too large');
    chunks.push(chunk);
  }
  try {
    return size === 0 ? {} : JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'bad_request', 'invalid JSON');
  }
}

const flag = (q: URLSearchParams, name: string) => q.get(name) === 'true';

async function handle(db: PouchDB.Database, serverUuid: string, req: http.IncomingMessage, res: http.ServerResponse) {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const method = req.method ?? 'GET';
  const q = url.searchParams;
  const route = (name: string) => (routes[name] = (routes[name] ?? 0) + 1);

  if (parts.length === 0 && method === 'GET') {
    route('GET /');
    return send(res, 200, { couchdb: 'Welcome', uuid: serverUuid, version: '3.3.3', vendor: { name: 'arbitra bench' } });
  }
  if (parts[0] !== DB_NAME) throw new HttpError(404, 'not_found', 'Database does not exist.');
  const rest = parts.slice(1);
  if (rest.length === 0 && method === 'GET') {
    route('GET /db');
    return send(res, 200, await db.info());
  }
  if (rest.length === 0 && method === 'PUT') {
    route('PUT /db');
    throw new HttpError(412, 'file_exists', 'The database could not be created, the file already exists.');
  }
  if (rest[0] === '_local' && rest.length === 2) {
    const id = `_local/${rest[1]}`;
    if (method === 'GET') {
      route('GET /db/_local/:id');
      return send(res, 200, await db.get(id));
    }
    if (method === 'PUT') {
      route('PUT /db/_local/:id');
      const doc = (await readJson(req)) as PouchDB.Doc;
      return send(res, 201, await db.put({ ...doc, _id: id }));
    }
  }
  if (rest.length === 1 && rest[0] === '_changes' && method === 'GET') {
    route('GET /db/_changes');
    // Only the normal feed, as the replicator asks for it: a filter or a longpoll would be answered wrongly here.
    for (const unsupported of ['feed', 'filter', 'view', 'doc_ids', 'selector']) {
      if (q.has(unsupported) && !(unsupported === 'feed' && q.get('feed') === 'normal')) throw new HttpError(400, 'bad_request', `${unsupported} is not supported by this server`);
    }
    const since = q.get('since') ?? '0';
    const changes = await db.changes({
      since: /^\d+$/.test(since) ? Number(since) : since,
      limit: q.has('limit') ? Number(q.get('limit')) : undefined,
      style: q.get('style') === 'all_docs' ? 'all_docs' : 'main_only',
      include_docs: flag(q, 'include_docs'),
      conflicts: flag(q, 'conflicts'),
      descending: flag(q, 'descending'),
      return_docs: true,
    });
    return send(res, 200, { results: changes.results, last_seq: changes.last_seq });
  }
  if (rest.length === 1 && rest[0] === '_bulk_get' && method === 'POST') {
    route('POST /db/_bulk_get');
    const body = (await readJson(req)) as { docs?: { id: string; rev?: string }[] };
    if (!Array.isArray(body.docs)) throw new HttpError(400, 'bad_request', 'docs must be an array');
    return send(res, 200, await db.bulkGet({ docs: body.docs, revs: flag(q, 'revs'), latest: flag(q, 'latest'), attachments: flag(q, 'attachments') }));
  }
  if (rest.length === 1 && rest[0] === '_revs_diff' && method === 'POST') {
    route('POST /db/_revs_diff');
    return send(res, 200, await db.revsDiff((await readJson(req)) as Record<string, string[]>));
  }
  if (rest.length === 1 && rest[0] === '_bulk_docs' && method === 'POST') {
    route('POST /db/_bulk_docs');
    const body = (await readJson(req)) as { docs?: PouchDB.Doc[]; new_edits?: boolean };
    if (!Array.isArray(body.docs)) throw new HttpError(400, 'bad_request', 'docs must be an array');
    return send(res, 201, await db.bulkDocs(body.docs, { new_edits: body.new_edits !== false }));
  }
  unknown++;
  route(`unknown ${method} ${rest[0] ?? ''}`);
  throw new HttpError(404, 'not_found', `${method} ${url.pathname} is not served here`);
}

async function load(db: PouchDB.Database, file: string): Promise<number> {
  const lines = readline.createInterface({ input: fs.createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let batch: PouchDB.Doc[] = [];
  let docs = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const results = await db.bulkDocs(batch);
    const failed = results.find((r) => 'error' in r && r.error);
    if (failed) throw new Error(`loading the source: ${JSON.stringify(failed)}`);
    docs += batch.length;
    batch = [];
  };
  for await (const line of lines) {
    if (!line) continue;
    batch.push(JSON.parse(line) as PouchDB.Doc);
    if (batch.length >= LOAD_BATCH) await flush();
  }
  await flush();
  return docs;
}

async function main() {
  const file = process.argv[2];
  if (!file || !process.send) throw new Error('usage: spawned with an IPC channel and the NDJSON file as its argument');
  const db = new Pouch(DB_NAME, { adapter: 'memory' });
  const t0 = performance.now();
  const docs = await load(db, file);
  const loadMs = performance.now() - t0;
  const serverUuid = randomUUID().replace(/-/g, '');
  const server = http.createServer((req, res) => {
    handle(db, serverUuid, req, res).catch((error: unknown) => {
      const e = error as { status?: number; name?: string; error?: string | boolean; message?: string; reason?: string };
      const status = typeof e.status === 'number' ? e.status : 500;
      const name = error instanceof HttpError ? error.error : (e.name ?? 'error');
      if (!res.headersSent) send(res, status, { error: name, reason: e.reason ?? e.message ?? String(error) });
      else res.destroy();
    });
  });
  // No idle keep-alive sockets left behind to hold the exit.
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    server.closeAllConnections();
    server.close();
    void db.destroy().finally(() => process.exit(0));
  };
  process.on('disconnect', stop);
  process.once('SIGTERM', stop);
  process.on('message', (m: { type?: string }) => {
    if (m?.type === 'stats') process.send!({ type: 'stats', routes, unknown });
  });
  process.send({ type: 'ready', port: (server.address() as { port: number }).port, docs, loadMs });
}

main().catch((error: unknown) => {
  process.stderr.write(`[pouchdb-source] failed: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(2);
});
