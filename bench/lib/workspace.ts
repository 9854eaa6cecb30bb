// A bench's scratch space: a temporary directory for its embedded PostgreSQL (started, migrated
// and seeded with the default rules on demand) and one for the rest, and the cleanup that closes
// what the bench opened, stops Postgres and removes both directories — once, whether the bench
// ends, fails or is stopped (SIGINT, SIGTERM), with a last-resort removal of the directories when
// the process exits.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres, type PostgresHandle } from '../../server/src/db/postgres';
import { createDb, migrateToLatest, type DB } from '../../server/src/db/database';
import { seedDefaultRules } from '../../server/src/rules/rules.service';

/** Runs one cleanup step: a failure is logged and the cleanup goes on. */
export type CleanupStep = (what: string, fn: () => unknown) => Promise<void>;

export interface BenchWorkspace {
  /** The embedded PostgreSQL's data directory (mode 0700). */
  readonly pgDir: string;
  /** Everything else the bench writes: data directories, generated files. */
  readonly workDir: string;
  /** Starts the embedded PostgreSQL in pgDir, migrated, default rules seeded; the cleanup closes the pool and stops it. */
  startPostgres(): Promise<{ pg: PostgresHandle; db: DB }>;
  /** Closes what the bench opened, then Postgres, then removes both directories. Runs once: later calls get the same promise. */
  cleanup(): Promise<void>;
}

/**
 * Makes `arbitra-bench-pg-*` and `arbitra-bench-<name>-*` in the temp directory and arms the
 * cleanup. `close` closes, through `step`, whatever the bench has opened by the time the cleanup
 * runs; a signal runs the cleanup and exits with 130 (SIGINT) or 143 (SIGTERM).
 */
export function benchWorkspace(options: { name: string; log: (message: string) => void; close: (step: CleanupStep) => Promise<void> }): BenchWorkspace {
  const { log } = options;
  // Postgres runs as the `postgres` user when we are root: its directory is a temp dir of its own
  // (chowned to that user); everything else lives in a second one.
  const pgDir = fs.mkdtempSync(path.join(os.tmpdir(), 'arbitra-bench-pg-'));
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), `arbitra-bench-${options.name}-`));
  fs.chmodSync(pgDir, 0o700);

  const step: CleanupStep = async (what, fn) => {
    try {
      await fn();
    } catch (error) {
      log(`cleanup: ${what}: ${(error as Error).message}`);
    }
  };
  const postgres: { pg?: PostgresHandle; db?: DB } = {};
  const startPostgres = async () => {
    log('starting embedded PostgreSQL');
    const pg = (postgres.pg = await startEmbeddedPostgres(pgDir));
    const db = (postgres.db = createDb(pg.connectionString));
    await migrateToLatest(db);
    await seedDefaultRules(db);
    return { pg, db };
  };

  let cleaned: Promise<void> | null = null;
  const cleanup = () =>
    (cleaned ??= (async () => {
      await step('close', () => options.close(step));
      if (postgres.db) await step('close pool', () => postgres.db!.destroy());
      if (postgres.pg) await step('stop postgres', () => postgres.pg!.stop());
      await step('remove work dir', () => fs.rmSync(workDir, { recursive: true, force: true }));
      await step('remove postgres dir', () => fs.rmSync(pgDir, { recursive: true, force: true }));
    })());

  const onSignal = (signal: NodeJS.Signals) => {
    log(`${signal}: cleaning up`);
    void cleanup().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  // Last resort, whoever calls process.exit (async-exit-hook does on signals once Postgres stopped).
  process.once('exit', () => {
    for (const dir of [workDir, pgDir]) {
      try {
        fs.rmSync(dir, { recursive: true, force: true });
      } catch {
        /* nothing more to do */
      }
    }
  });

  return { pgDir, workDir, startPostgres, cleanup };
}
