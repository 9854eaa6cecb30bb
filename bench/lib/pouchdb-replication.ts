// The PouchDB-to-PouchDB replication baseline of bench/sync-initial.bench.ts (issue 12, benchmark
// 2): the offline-first replication a team would otherwise pick, pulling the same documents over
// loopback HTTP. The source is a PouchDB (memory adapter) in a child process behind the CouchDB
// endpoints the replicator calls (pouchdb-source-child.ts); the target is an empty PouchDB
// (memory adapter) in this process, filled by PouchDB.replicate(source URL → target) until
// complete. Memory on the target, where Arbitra writes PGlite on disk, favours PouchDB.
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import PouchDB from 'pouchdb-core';
import memoryAdapter from 'pouchdb-adapter-memory';
import httpAdapter from 'pouchdb-adapter-http';
import replication from 'pouchdb-replication';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'pouchdb-source-child.ts');
const Pouch = PouchDB.plugin(memoryAdapter).plugin(httpAdapter).plugin(replication);

export interface PouchSource {
  url: string;
  docs: number;
  loadMs: number;
  pid: number;
  /** Requests served per route; `unknown` counts requests this server has no endpoint for. */
  stats(): Promise<{ routes: Record<string, number>; unknown: number }>;
  /** SIGTERM, SIGKILL after `graceMs`; resolves once the child has gone. Safe to call twice. */
  stop(graceMs?: number): Promise<void>;
}

/** Starts the source child on the NDJSON file (one document a line) and resolves once it is loaded and listening. */
export function startPouchSource(options: { file: string; log: (line: string) => void; startTimeoutMs: number }): Promise<PouchSource> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', CHILD, options.file], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  // Its output goes to the log, never to the bench's stdout (which ends with the BENCH_RESULT line).
  for (const stream of [child.stdout!, child.stderr!]) readline.createInterface({ input: stream }).on('line', (line) => options.log(`source: ${line}`));
  let exited: string | null = null;
  const gone = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = signal ?? `exit ${code}`;
      resolve();
    }),
  );
  const stop = async (graceMs = 5_000) => {
    if (exited === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await gone;
      clearTimeout(timer);
    }
  };
  return new Promise<PouchSource>((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop(0).finally(() => reject(new Error(`the PouchDB source did not start within ${options.startTimeoutMs / 1000} s`)));
    }, options.startTimeoutMs);
    void gone.then(() => {
      clearTimeout(timer);
      reject(new Error(`the PouchDB source exited (${exited}) before it was ready`));
    });
    child.on('message', function onReady(m: { type?: string; port?: number; docs?: number; loadMs?: number }) {
      if (m?.type !== 'ready') return;
      child.off('message', onReady);
      clearTimeout(timer);
      resolve({
        url: `http://127.0.0.1:${m.port}/source`,
        docs: m.docs!,
        loadMs: m.loadMs!,
        pid: child.pid!,
        stop,
        stats: () =>
          new Promise((res, rej) => {
            const t = setTimeout(() => rej(new Error('the PouchDB source did not answer for its stats')), 10_000);
            child.on('message', function onStats(s: { type?: string; routes?: Record<string, number>; unknown?: number }) {
              if (s?.type !== 'stats') return;
              child.off('message', onStats);
              clearTimeout(t);
              res({ routes: s.routes ?? {}, unknown: s.unknown ?? 0 });
            });
            child.send({ type: 'stats' });
          }),
      });
    });
  });
}

export interface ReplicationRun {
  ms: number;
  docsRead: number;
  docsWritten: number;
  /** Documents in the target once complete (local checkpoint documents are not counted). */
  targetDocs: number;
  /** Sampled documents of the file found identical in the target. */
  sampled: number;
  sampleMismatches: number;
}

export interface PouchTarget {
  replicate(options: { batchSize: number; batchesLimit: number; timeoutMs: number }): Promise<ReplicationRun>;
  destroy(): Promise<void>;
}

/** An empty PouchDB target (memory adapter) in this process, pulling from `sourceUrl`. */
export function pouchTarget(sourceUrl: string, file: string, samples: number): PouchTarget {
  const target = new Pouch(`bench-target-${process.pid}-${Date.now()}`, { adapter: 'memory' });
  let destroyed = false;
  return {
    async replicate({ batchSize, batchesLimit, timeoutMs }) {
      const t0 = performance.now();
      const rep = Pouch.replicate(sourceUrl, target, { batch_size: batchSize, batches_limit: batchesLimit, retry: false });
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          rep.cancel();
          reject(new Error(`PouchDB replication not complete after ${timeoutMs / 1000} s`));
        }, timeoutMs);
      });
      let result: PouchDB.ReplicationResult;
      try {
        result = await Promise.race([rep, timeout]);
      } finally {
        clearTimeout(timer);
      }
      const ms = performance.now() - t0;
      if (!result.ok || result.status !== 'complete') throw new Error(`PouchDB replication ended ${result.status}: ${JSON.stringify(result.errors)}`);
      const info = await target.info();
      const { sampled, mismatches } = await compareSample(target, file, samples);
      return { ms, docsRead: result.docs_read, docsWritten: result.docs_written, targetDocs: info.doc_count, sampled, sampleMismatches: mismatches };
    },
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      await target.destroy();
    },
  };
}

/** Compares every n-th document of the file (about `samples` of them) with the target's copy. */
async function compareSample(target: PouchDB.Database, file: string, samples: number): Promise<{ sampled: number; mismatches: number }> {
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
  const every = Math.max(1, Math.floor(lines.length / Math.max(1, samples)));
  let sampled = 0;
  let mismatches = 0;
  for (let i = 0; i < lines.length && sampled < samples; i += every) {
    const expected = JSON.parse(lines[i]!) as { _id: string };
    sampled++;
    try {
      const { _rev: _ignored, ...got } = await target.get(expected._id);
      if (!isDeepStrictEqual(got, expected)) mismatches++;
    } catch {
      mismatches++;
    }
  }
  return { sampled, mismatches };
}
