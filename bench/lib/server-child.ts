// The real server (`server/src/main.ts`, as `npm start` runs it: buildApp, the pg-boss dossier
// jobs, LISTEN/NOTIFY, the audit checkpointer) in a child process of its own, so that its memory can
// be measured apart from the load generator's: RSS read from /proc/<pid>/status. The child is node
// itself (`node --import tsx`), not npx, so the pid is the server's.
import fs from 'node:fs';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MAIN = path.join(ROOT, 'server/src/main.ts');

export interface ServerChild {
  url: string;
  pid: number;
  /** The server's resident set size in bytes, now (null once it has gone). */
  rss(): number | null;
  /** Whether it exited by itself (a crash under load), and how. */
  exited(): string | null;
  /** SIGTERM (the server's own orderly stop), SIGKILL after `graceMs`. Resolves once it has gone. */
  stop(graceMs?: number): Promise<void>;
}

export function rssOf(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/**
 * Starts the server on 127.0.0.1 (a free port) against an already migrated database, demo off,
 * and resolves once it says where it listens. Its stderr (and stdout after the start) goes to
 * `log`, one line at a time.
 */
export function startServerChild(options: { databaseUrl: string; dataDir: string; log: (line: string) => void; env?: Record<string, string>; startTimeoutMs?: number }): Promise<ServerChild> {
  const env = {
    ...process.env,
    DATABASE_URL: options.databaseUrl,
    // Set but empty: the child must not migrate as some owner from the caller's environment.
    ARBITRA_DATABASE_OWNER_URL: '',
    ARBITRA_DATA_DIR: options.dataDir,
    ARBITRA_DEMO: '0',
    ARBITRA_HOST: '127.0.0.1',
    ARBITRA_PORT: '0',
    ARBITRA_LOG_LEVEL: 'warn',
    ...options.env,
  };
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', MAIN], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let exit: string | null = null;
  const gone = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = signal ? `killed by ${signal}` : `exit ${code}`;
      resolve();
    });
    child.once('error', (error) => {
      exit ??= `spawn failed: ${error.message}`;
      resolve();
    });
  });
  // Last resort when the bench leaves without stopping it.
  const onExit = () => {
    if (exit === null) child.kill('SIGKILL');
  };
  process.once('exit', onExit);

  const lines = (stream: NodeJS.ReadableStream, each: (line: string) => void) => {
    let rest = '';
    stream.on('data', (d: Buffer) => {
      const parts = (rest + d.toString('utf8')).split('\n');
      rest = parts.pop() ?? '';
      for (const line of parts) each(line);
    });
  };
  lines(child.stderr!, (l) => options.log(`server: ${l}`));

  const stop = async (graceMs = 30_000) => {
    if (exit === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await gone;
      clearTimeout(timer);
    }
    process.removeListener('exit', onExit);
  };

  return new Promise<ServerChild>((resolve, reject) => {
    let started = false;
    const timer = setTimeout(() => {
      void stop(5_000).then(() => reject(new Error(`the server did not start within ${(options.startTimeoutMs ?? 120_000) / 1000} s`)));
    }, options.startTimeoutMs ?? 120_000);
    lines(child.stdout!, (l) => {
      const m = /server listening on (http:\/\/\S+?)\s/.exec(`${l} `);
      if (!started && m) {
        started = true;
        clearTimeout(timer);
        resolve({ url: m[1]!, pid: child.pid!, rss: () => (exit === null ? rssOf(child.pid!) : null), exited: () => exit, stop });
      } else options.log(`server: ${l}`);
    });
    void gone.then(() => {
      if (!started) {
        clearTimeout(timer);
        reject(new Error(`the server exited before it listened (${exit})`));
      }
    });
  });
}
