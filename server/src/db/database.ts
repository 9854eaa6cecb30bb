import { Kysely, Migrator, sql, PostgresDialect, type Migration, type MigrationProvider } from 'kysely';
import pg from 'pg';
import type { Database } from './schema';
import * as core from './migrations/2026-11-21T0900-core';
import * as evidence from './migrations/2026-11-21T1000-evidence';
import * as sync from './migrations/2026-11-21T1100-sync';
import * as escalations from './migrations/2026-11-21T1200-escalations';
import * as dossiers from './migrations/2026-11-21T1300-dossiers';
import * as dossierRenderer from './migrations/2026-11-21T1400-dossier-renderer';
import * as serviceRole from './migrations/2026-11-22T0900-service-role';
import * as caseQueue from './migrations/2026-12-06T0900-case-queue';
import * as members from './migrations/2026-12-06T1000-members';

export type DB = Kysely<Database>;

// Dated migrations, listed here so bundlers and tsx see them alike. Never edit one that has landed.
const MIGRATIONS: Record<string, Migration> = {
  '2026-11-21T0900-core': core,
  '2026-11-21T1000-evidence': evidence,
  '2026-11-21T1100-sync': sync,
  '2026-11-21T1200-escalations': escalations,
  '2026-11-21T1300-dossiers': dossiers,
  '2026-11-21T1400-dossier-renderer': dossierRenderer,
  '2026-11-22T0900-service-role': serviceRole,
  '2026-12-06T0900-case-queue': caseQueue,
  '2026-12-06T1000-members': members,
};

class StaticMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return MIGRATIONS;
  }
}

// Timestamps as Date, numeric and int8 as exact strings (never floats).
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => v);
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => v);

export function createDb(connectionString: string, options: { max?: number } = {}): DB {
  const pool = new pg.Pool({ connectionString, max: options.max ?? 10 });
  // An idle client that errors (server restart) must not crash the process.
  pool.on('error', () => {});
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/** A round trip to the database (select 1): throws when it cannot answer. */
export async function pingDatabase(db: DB): Promise<void> {
  await db.selectNoFrom((eb) => eb.val(1).as('one')).execute();
}

/** Names of the migrations this code has that the database has not run (read-only: any role that may read the bookkeeping). */
export async function pendingMigrations(db: Kysely<any>): Promise<string[]> {
  const exists = await sql<{ t: string | null }>`select to_regclass('public.kysely_migration')::text as t`.execute(db);
  if (!exists.rows[0]?.t) return Object.keys(MIGRATIONS);
  const done = new Set((await sql<{ name: string }>`select name from kysely_migration`.execute(db)).rows.map((r) => r.name));
  return Object.keys(MIGRATIONS).filter((name) => !done.has(name));
}

export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new StaticMigrationProvider() });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
