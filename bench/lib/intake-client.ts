// The upload client of the evidence-intake bench: the file's bytes streamed with
// fs.createReadStream piped into http.request, one request or resumable chunks (POST /uploads,
// then PATCH). Used in the bench's own process, or run as a child process of its own:
//   node --import tsx bench/lib/intake-client.ts '<job as JSON>'   → one JSON line on stdout
// so that the client's reads, socket writes and garbage do not share the server's event loop.
import fs from 'node:fs';
import http from 'node:http';
import { fileURLToPath } from 'node:url';

const MiB = 1024 * 1024;
export const REQUEST_TIMEOUT_MS = 15 * 60_000;

export interface HttpResult {
  status: number;
  json: any;
  /** Request start → response fully read. */
  ms: number;
  /** Request start → last body byte handed to the socket (the server pulls as it consumes). */
  sentMs: number;
}

export function request(
  url: string,
  init: { method: string; headers: Record<string, string>; file?: { path: string; start: number; end: number }; json?: unknown },
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let sentMs = NaN;
    let settled = false;
    const settle = (fn: () => void) => {
      if (!settled) {
        settled = true;
        fn();
      }
    };
    const body = init.json === undefined ? undefined : Buffer.from(JSON.stringify(init.json));
    const headers = { ...init.headers, ...(body ? { 'content-type': 'application/json', 'content-length': String(body.length) } : {}) };
    const req = http.request(url, { method: init.method, headers, agent: false });
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`request timed out after ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('finish', () => (sentMs = performance.now() - t0));
    req.on('error', (error) => settle(() => reject(error)));
    req.on('response', (res) => {
      const parts: Buffer[] = [];
      let size = 0;
      res.on('data', (d: Buffer) => {
        size += d.length;
        if (size <= MiB) parts.push(d);
      });
      res.on('error', (error) => settle(() => reject(error)));
      res.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        let json: any = null;
        try {
          json = JSON.parse(text);
        } catch {
          json = text;
        }
        settle(() => resolve({ status: res.statusCode ?? 0, json, ms: performance.now() - t0, sentMs }));
      });
    });
    if (init.file) {
      const rs = fs.createReadStream(init.file.path, { start: init.file.start, end: init.file.end, highWaterMark: MiB });
      rs.on('error', (error) => req.destroy(error));
      rs.pipe(req);
    } else {
      req.end(body);
    }
  });
}

export interface OneRequestJob {
  mode: 'one-request';
  url: string;
  token: string;
  caseId: string;
  file: string;
  size: number;
  sha256: string;
  fileName: string;
}

export interface ChunkedJob {
  mode: 'chunked';
  url: string;
  token: string;
  caseId: string;
  file: string;
  size: number;
  sha256: string;
  fileName: string;
  chunk: number;
  chunkSha256: string[];
}

export type Job = OneRequestJob | ChunkedJob;

export interface Outcome {
  /** Start of the first request → last response read. */
  ms: number;
  /** Start of the first request → last body byte sent. */
  sentMs: number;
  requests: number;
  exhibit: { id: string; exhibitNumber: string; sha256: string; duplicate: boolean; parseStatus: string };
}

const failure = (what: string, res: HttpResult) => new Error(`${what}: HTTP ${res.status}: ${JSON.stringify(res.json).slice(0, 500)}`);

export async function runJob(job: Job): Promise<Outcome> {
  const auth = { authorization: `Bearer ${job.token}` };
  if (job.mode === 'one-request') {
    const query = new URLSearchParams({ fileName: job.fileName, side: 'complainant', source: 'bench' });
    const res = await request(`${job.url}/api/v1/cases/${job.caseId}/exhibits?${query}`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/octet-stream', 'content-length': String(job.size), 'x-sha256': job.sha256 },
      file: { path: job.file, start: 0, end: job.size - 1 },
    });
    if (res.status !== 201 || !res.json?.id) throw failure('one-request upload', res);
    return { ms: res.ms, sentMs: res.sentMs, requests: 1, exhibit: res.json };
  }
  const t0 = performance.now();
  const started = await request(`${job.url}/api/v1/uploads`, {
    method: 'POST',
    headers: auth,
    json: { caseId: job.caseId, fileName: job.fileName, size: job.size, sha256: job.sha256, side: 'complainant', source: 'bench' },
  });
  if (started.status !== 201 || !started.json?.uploadId) throw failure('begin upload', started);
  const uploadId: string = started.json.uploadId;
  const chunks = Math.ceil(job.size / job.chunk);
  if (job.chunkSha256.length !== chunks) throw new Error(`${chunks} chunks but ${job.chunkSha256.length} chunk hashes`);
  let last: HttpResult | null = null;
  let sentMs = NaN;
  for (let k = 0; k < chunks; k++) {
    const start = k * job.chunk;
    const end = Math.min(job.size, start + job.chunk) - 1;
    const before = performance.now() - t0;
    const res = await request(`${job.url}/api/v1/uploads/${uploadId}`, {
      method: 'PATCH',
      headers: {
        ...auth,
        'content-type': 'application/offset+octet-stream',
        'content-length': String(end - start + 1),
        'upload-offset': String(start),
        'x-chunk-sha256': job.chunkSha256[k]!,
      },
      file: { path: job.file, start, end },
    });
    if (res.status !== (k === chunks - 1 ? 201 : 200) || Number(res.json?.offset) !== end + 1) throw failure(`PATCH chunk ${k + 1}/${chunks}`, res);
    sentMs = before + res.sentMs;
    last = res;
  }
  const exhibit = last?.json?.exhibit;
  if (!exhibit?.id) throw failure('last chunk returned no exhibit', last!);
  return { ms: performance.now() - t0, sentMs, requests: chunks + 1, exhibit };
}

// As a child process: run the job given as the first argument, print the outcome as JSON.
if (process.argv[1] && fileURLToPath(import.meta.url) === fs.realpathSync(process.argv[1])) {
  runJob(JSON.parse(process.argv[2] ?? '{}') as Job).then(
    (outcome) => process.stdout.write(`${JSON.stringify(outcome)}\n`),
    (error) => {
      process.stderr.write(`intake client: ${(error as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}
