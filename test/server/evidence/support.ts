// Helpers of the evidence tests: raw HTTP against the real server (fetch, and node:http where a
// test needs to cut a connection or stream a large body), small valid files built in the test,
// and row counts that prove a refused upload wrote nothing.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { encodeRgbPng } from '../../../shared/pdf/png-encode';
import { createHash, randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { CSRF_HEADERS, type TestServer } from '../../support/server';

export const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

export interface Res {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  text: string;
  json: any;
}

function toRes(status: number, headers: Record<string, string>, body: Buffer): Res {
  const text = body.toString('utf8');
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  // Whatever the input, the server never answers with a 500.
  expect(status, `unexpected ${status}: ${text.slice(0, 300)}`).toBeLessThan(500);
  return { status, headers, body, text, json };
}

/** A request with fetch; the body (if any) is bytes or a JSON value. */
export async function call(
  server: TestServer,
  method: string,
  urlPath: string,
  init: { token?: string | null; headers?: Record<string, string>; body?: Uint8Array | string; json?: unknown; language?: string } = {},
): Promise<Res> {
  const headers: Record<string, string> = { ...CSRF_HEADERS, ...(init.headers ?? {}) };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.language) headers['accept-language'] = init.language;
  let body: Uint8Array | string | undefined = init.body;
  if (init.json !== undefined) {
    body = JSON.stringify(init.json);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${server.url}${urlPath}`, { method, headers, body: typeof body === 'string' || body === undefined ? body : new Uint8Array(body) });
  const buf = Buffer.from(await res.arrayBuffer());
  const resHeaders: Record<string, string> = {};
  res.headers.forEach((value, name) => (resHeaders[name] = value));
  return toRes(res.status, resHeaders, buf);
}

/** A request over node:http with a streamed body (chunks from any iterable), with backpressure. */
export function stream(
  server: TestServer,
  method: string,
  urlPath: string,
  headers: Record<string, string | number>,
  chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${server.url}${urlPath}`, { method, headers: { ...CSRF_HEADERS, ...headers } }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => {
        try {
          resolve(toRes(res.statusCode ?? 0, res.headers as Record<string, string>, Buffer.concat(parts)));
        } catch (error) {
          reject(error);
        }
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    (async () => {
      for await (const chunk of chunks) {
        if (!req.write(chunk)) await new Promise((r) => req.once('drain', r));
      }
      req.end();
    })().catch(reject);
  });
}

/**
 * Sends the headers and the first `sent` bytes of a body announced as `contentLength` bytes, then
 * drops the connection, as a client whose network fails mid-request.
 */
export async function dropMidBody(server: TestServer, method: string, urlPath: string, headers: Record<string, string | number>, sent: Uint8Array, contentLength: number) {
  await new Promise<void>((resolve) => {
    const req = http.request(`${server.url}${urlPath}`, { method, headers: { ...CSRF_HEADERS, ...headers, 'content-length': contentLength } });
    req.on('error', () => resolve()); // the socket we destroy
    req.on('response', (res) => {
      res.resume();
      resolve();
    });
    req.write(sent, () => {
      // Let the bytes reach the server, then cut the line.
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 150);
    });
  });
  // Give the server a moment to notice the dropped connection.
  await new Promise((r) => setTimeout(r, 200));
}

export interface SingleUpload {
  fileName: string;
  side?: 'complainant' | 'platform';
  source?: string;
  type?: string;
  internalOnly?: boolean;
  deviceId?: string;
  /** Declared SHA-256; the real one by default. */
  sha?: string;
  language?: string;
}

export function exhibitsPath(caseId: string, o: SingleUpload) {
  const q = new URLSearchParams({ fileName: o.fileName, side: o.side ?? 'complainant', source: o.source ?? 'live_chat' });
  if (o.type) q.set('type', o.type);
  if (o.internalOnly !== undefined) q.set('internalOnly', String(o.internalOnly));
  if (o.deviceId) q.set('deviceId', o.deviceId);
  return `/api/v1/cases/${caseId}/exhibits?${q.toString()}`;
}

/** The one-request upload: POST /api/v1/cases/:caseId/exhibits with the file as the body. */
export function uploadFile(server: TestServer, token: string | null, caseId: string, bytes: Uint8Array | string, o: SingleUpload): Promise<Res> {
  const body = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  return call(server, 'POST', exhibitsPath(caseId, o), {
    token,
    language: o.language,
    headers: { 'content-type': 'application/octet-stream', 'x-sha256': o.sha ?? sha256(body) },
    body,
  });
}

/** Uploads and expects a new exhibit; returns the exhibit summary. */
export async function uploadOk(server: TestServer, token: string, caseId: string, bytes: Uint8Array | string, o: SingleUpload) {
  const res = await uploadFile(server, token, caseId, bytes, o);
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string; exhibitNumber: string; sha256: string; duplicate: boolean; parseStatus: string };
}

/** POST /api/v1/uploads: starts a resumable upload. */
export function beginUpload(server: TestServer, token: string | null, input: Record<string, unknown>, language?: string) {
  return call(server, 'POST', '/api/v1/uploads', { token, json: input, language });
}

export function patchChunk(server: TestServer, token: string, uploadId: string, offset: number, chunk: Uint8Array, chunkSha?: string | null) {
  const headers: Record<string, string> = { 'content-type': 'application/offset+octet-stream', 'upload-offset': String(offset) };
  if (chunkSha !== null) headers['x-chunk-sha256'] = chunkSha ?? sha256(chunk);
  return call(server, 'PATCH', `/api/v1/uploads/${uploadId}`, { token, headers, body: chunk });
}

/** A chunk sent again until the server is done with a chunk whose connection dropped. */
export async function patchChunkWhenFree(server: TestServer, token: string, uploadId: string, offset: number, chunk: Uint8Array) {
  for (let attempt = 0; ; attempt++) {
    const res = await patchChunk(server, token, uploadId, offset, chunk);
    if (res.status === 409 && res.json?.error?.messageKey === 'evidence.upload.busy' && attempt < 50) {
      await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    return res;
  }
}

export async function headOffset(server: TestServer, token: string, uploadId: string) {
  const res = await call(server, 'HEAD', `/api/v1/uploads/${uploadId}`, { token });
  expect(res.status).toBe(200);
  return { offset: Number(res.headers['upload-offset']), length: Number(res.headers['upload-length']), status: res.headers['x-upload-status'] };
}

/** Rows of every table an upload writes evidence to. */
export async function evidenceCounts(server: TestServer) {
  const db = server.t.db;
  const n = async (table: 'exhibits' | 'blobs' | 'exhibit_records' | 'evidence_signals') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
  return { exhibits: await n('exhibits'), blobs: await n('blobs'), records: await n('exhibit_records'), signals: await n('evidence_signals') };
}

/** Every file in the filesystem blob store (names are SHA-256s). */
export function storedBlobFiles(server: TestServer): string[] {
  const root = path.join(server.dataDir, 'evidence', 'blobs');
  const out: string[] = [];
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else out.push(entry.name);
    }
  };
  walk(root);
  return out;
}

export const blobPath = (server: TestServer, sha: string) => path.join(server.dataDir, 'evidence', 'blobs', sha.slice(0, 2), sha.slice(2, 4), sha);

/** The error of a REST answer: message key, field, and the parameters of its first issue. */
export function restError(res: Res) {
  const e = res.json?.error;
  expect(e, res.text).toBeTruthy();
  return { code: e.code as string, messageKey: e.messageKey as string, field: e.field as string | null, message: e.message as string, params: (e.issues?.[0]?.params ?? {}) as Record<string, unknown> };
}

// ---------------------------------------------------------------------------------------------
// Cases

let counter = 0;
export function complaint(exchangeUid: string, over: { name?: string; email?: string; phone?: string; description?: string } = {}) {
  return {
    externalRef: `evidence-${randomUUID()}-${++counter}`,
    channel: 'live_chat' as const,
    complainant: {
      exchangeUid,
      name: over.name ?? '陈静',
      email: over.email ?? `${exchangeUid}@mail.example.com`,
      phone: over.phone ?? '+65 8123 4567',
      vipLevel: 2,
      region: 'SG',
      language: 'zh-CN' as const,
    },
    category: 'trade' as const,
    subcategory: 'slippage',
    description: over.description ?? 'Market order filled far from the quoted price.',
    amounts: [{ asset: 'USDT', amount: '1200.5' }],
    occurredAt: '2026-03-01T12:00:00Z',
  };
}

// ---------------------------------------------------------------------------------------------
// Files built in the test

/** A valid RGB PNG of the given size (a colour gradient), deflated scanlines with CRCs. */
export function makePng(width: number, height: number): Buffer {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    raw[row] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      raw[row + 1 + x * 3] = (x * 255) / Math.max(1, width - 1);
      raw[row + 2 + x * 3] = (y * 255) / Math.max(1, height - 1);
      raw[row + 3 + x * 3] = 128;
    }
  }
  return Buffer.from(encodeRgbPng(width, height, raw));
}

/** A minimal, well-formed PDF 1.4 with `pages` pages (catalog, page tree, xref table, trailer). */
export function makePdf(pages: number): Buffer {
  const objects: string[] = [];
  const pageIds = Array.from({ length: pages }, (_, k) => 3 + k * 2);
  objects[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  objects[2] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pages} >>`;
  pageIds.forEach((id, k) => {
    const content = `BT /F1 18 Tf 72 720 Td (Statement page ${k + 1}) Tj ET`;
    objects[id] = `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents ${id + 1} 0 R >>`;
    objects[id + 1] = `<< /Length ${content.length} >>\nstream\n${content}\nendstream`;
  });
  let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  for (let id = 1; id < objects.length; id++) {
    offsets[id] = Buffer.byteLength(out, 'latin1');
    out += `${id} 0 obj\n${objects[id]}\nendobj\n`;
  }
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let id = 1; id < objects.length; id++) out += `${String(offsets[id]).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/**
 * Stops a test server. A download streams its file, so the client can have every byte before the
 * server has ended the response; that keep-alive connection only turns idle after Fastify's one
 * sweep of idle connections at close and would hold close() for the keep-alive timeout (72 s).
 * At the end of a file nothing is in flight: drop every connection first.
 */
export async function stopServer(server: TestServer | undefined) {
  if (!server) return;
  server.app.server.closeAllConnections();
  await server.close();
}
