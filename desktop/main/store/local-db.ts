// The workstation's local store: PGlite persisted under `<dataDir>/pglite`, through Kysely, with
// its own dated migrations. PGlite runs with relaxed durability (no fsync per query): the local
// database is a cache that can be rebuilt from the server plus the fsync'd journal (journal.ts).
// When it cannot be opened or migrated (a damaged directory), `openLocalStore` throws
// LocalStoreDamagedError so the sync engine can wipe it (`wipeLocalStore`) and rebuild.
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, Migrator, sql, type Migration, type MigrationProvider } from 'kysely';
import { EXACT_PARSERS, PGliteDialect } from './pglite-dialect';
import type { LocalDatabase } from './local-schema';
import * as local1100 from './migrations/2026-11-21T1100-local';
import * as local1200 from './migrations/2026-11-21T1200-escalations';
import * as local1201 from './migrations/2026-12-01T1000-workstation';
import * as local1206 from './migrations/2026-12-06T0900-search';

export type LocalDb = Kysely<LocalDatabase>;

/** Dated migrations of the local store, listed here so bundlers and tsx see them alike. Never edit one that has landed. */
export const LOCAL_MIGRATIONS: Record<string, Migration> = {
  '2026-11-21T1100-local': local1100,
  '2026-11-21T1200-escalations': local1200,
  '2026-12-01T1000-workstation': local1201,
  '2026-12-06T0900-search': local1206,
};

class StaticMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return LOCAL_MIGRATIONS;
  }
}

export interface LocalStore {
  db: LocalDb;
  pglite: PGlite;
  dataDir: string;
  /** Where PGlite keeps its files: `<dataDir>/pglite`. */
  pgliteDir: string;
  /** Names of the migrations this open applied (empty when the store was up to date). */
  migrated: string[];
  close(): Promise<void>;
}

export interface OpenLocalStoreOptions {
  /** The workstation's data directory (one instance per directory: see lock.ts). */
  dataDir: string;
  /**
   * A dump (PGlite `dumpDataDir`) to start from when the directory holds no database yet: much
   * faster than a fresh initdb. Ignored when a database is already there.
   */
  loadDataDir?: Blob;
}

export const LOCAL_STORE_DAMAGED = 'desktop.local_store_damaged';

/**
 * The local database could not be opened or migrated: the engine wipes it and rebuilds it from the
 * server (or from what is left, offline) and replays the journal.
 */
export class LocalStoreDamagedError extends Error {
  readonly damaged = true as const;
  readonly messageKey = LOCAL_STORE_DAMAGED;
  readonly params: { dataDir: string };
  constructor(
    readonly dataDir: string,
    readonly error: unknown,
  ) {
    super(`The local database in ${dataDir} cannot be opened: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    this.name = 'LocalStoreDamagedError';
    this.params = { dataDir };
  }
}

export function localStoreDir(dataDir: string): string {
  return path.join(dataDir, 'pglite');
}

function holdsDatabase(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'PG_VERSION'));
}

/** A wipe interrupted after moving the database aside leaves `pglite.wiped-*`: finish it. */
function removeWipedLeftovers(dataDir: string): void {
  for (const name of fs.readdirSync(dataDir)) {
    if (name.startsWith('pglite.wiped-')) fs.rmSync(path.join(dataDir, name), { recursive: true, force: true });
  }
}

export async function migrateLocalStore(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new StaticMigrationProvider() });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export async function openLocalStore(options: OpenLocalStoreOptions): Promise<LocalStore> {
  const dataDir = path.resolve(options.dataDir);
  const pgliteDir = localStoreDir(dataDir);
  fs.mkdirSync(dataDir, { recursive: true });
  removeWipedLeftovers(dataDir);
  const fresh = !holdsDatabase(pgliteDir);

  let pglite: PGlite | null = null;
  let db: LocalDb | null = null;
  try {
    pglite = await PGlite.create({
      dataDir: pgliteDir,
      extensions: { pg_trgm },
      relaxedDurability: true,
      parsers: EXACT_PARSERS,
      ...(fresh && options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    });
    db = new Kysely<LocalDatabase>({ dialect: new PGliteDialect({ pglite }) });
    const migrated = await migrateLocalStore(db);
    // A cheap read of a local table: a store whose catalog opens but whose tables do not is damaged too.
    await sql`select count(*) from meta`.execute(db);
    const opened = pglite;
    const kysely = db;
    let closed = false;
    return {
      db: kysely,
      pglite: opened,
      dataDir,
      pgliteDir,
      migrated,
      async close() {
        if (closed) return;
        closed = true;
        await kysely.destroy();
        if (!opened.closed) await opened.close();
      },
    };
  } catch (error) {
    await db?.destroy().catch(() => {});
    if (pglite && !pglite.closed) await pglite.close().catch(() => {});
    throw new LocalStoreDamagedError(dataDir, error);
  }
}

/**
 * Deletes the local database (not the journal, not the lock): the next open starts empty, and
 * the engine pulls from a null cursor and replays the journal. The store must be closed.
 */
export async function wipeLocalStore(dataDir: string): Promise<void> {
  const dir = localStoreDir(path.resolve(dataDir));
  // Move it aside first so a crash half way through never leaves a half-deleted database in place.
  const aside = `${dir}.wiped-${process.pid}-${Date.now()}`;
  try {
    await fs.promises.rename(dir, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  await fs.promises.rm(aside, { recursive: true, force: true });
}
