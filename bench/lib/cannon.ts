// autocannon in a child process (bench/lib/cannon-child.ts): the load generator gets a process of
// its own instead of sharing the event loop of the servers under test.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./cannon-child.ts', import.meta.url));

export interface CannonRun {
  /** Answered requests (any status). */
  requests: number;
  /** Requests sent: those sent but not answered were still waiting when the run ended (autocannon's latency leaves them out). */
  sent: number;
  /** 2xx answers. */
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  seconds: number;
  /** 2xx answers per second. */
  rps: number;
  /** Milliseconds (autocannon's histogram: 1 ms resolution). */
  latency: { average: number; p50: number; p90: number; p99: number; max: number };
  bytesPerSecond: number;
}

export function cannon(input: { url: string; connections: number; duration: number; headers?: Record<string, string>; timeout?: number }): Promise<CannonRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify({ headers: {}, timeout: 60, ...input })], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`autocannon child exited ${code}: ${err.trim().split('\n').slice(-5).join(' | ')}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() ?? '') as CannonRun);
      } catch (error) {
        reject(new Error(`autocannon child: no result (${(error as Error).message}): ${out.slice(0, 200)} ${err.slice(0, 500)}`));
      }
    });
  });
}
