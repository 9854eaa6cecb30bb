// Local stores for desktop tests: real PGlite, opened from a copy of a freshly migrated store's
// directory (well under a second: copy + reopen) instead of a fresh initdb each time (5–10 s).
// The template is made once per set of local migrations and kept in the temp directory, keyed by
// their source, so parallel test files and later runs share it. Tests share one store per file
// and empty it between tests. The sync harness (sync-harness.ts) seeds its workstations from the
// same template, also under tsx in the sync soak bench: so no vitest here, and no __dirname.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely } from 'kysely';
import { localStoreDir, openLocalStore, type LocalStore } from '../../desktop/main/store/local-db';
import type { LocalDatabase } from '../../desktop/main/store/local-schema';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const MIGRATIONS_DIR = path.resolve(HERE, '../../desktop/main/store/migrations');
const PGLITE_PACKAGE = path.resolve(HERE, '../../node_modules/@electric-sql/pglite/package.json');

export function tempDir(prefix = 'arbitra-desktop-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

function templateKey(): string {
  const h = crypto.createHash('sha256');
  h.update(fs.readFileSync(PGLITE_PACKAGE));
  for (const f of fs.readdirSync(MIGRATIONS_DIR).sort()) h.update(f).update(fs.readFileSync(path.join(MIGRATIONS_DIR, f)));
  return h.digest('hex').slice(0, 16);
}

let templatePromise: Promise<string> | null = null;

/** The PGlite directory of a migrated, empty, cleanly closed local store. */
export function templateDir(): Promise<string> {
  templatePromise ??= (async () => {
    const dir = path.join(os.tmpdir(), `arbitra-desktop-template-${templateKey()}`);
    if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) {
      const work = tempDir('arbitra-desktop-template-build-');
      try {
        const store = await openLocalStore({ dataDir: work });
        await store.close();
        try {
          fs.renameSync(localStoreDir(work), dir);
        } catch (error) {
          // Another test file built it at the same time: theirs is as good.
          if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) throw error;
        }
      } finally {
        fs.rmSync(work, { recursive: true, force: true });
      }
    }
    return dir;
  })();
  return templatePromise;
}

export interface TestStore extends LocalStore {
  /** Closes the store and deletes its data directory. */
  dispose(): Promise<void>;
}

export async function openTestStore(dataDir = tempDir()): Promise<TestStore> {
  fs.cpSync(await templateDir(), localStoreDir(dataDir), { recursive: true });
  const store = await openLocalStore({ dataDir });
  return Object.assign(store, {
    async dispose() {
      await store.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  });
}

/** Empties every table of the local store (migrations bookkeeping excepted). */
export async function truncateAll(db: Kysely<LocalDatabase>): Promise<void> {
  const tables = await sql<{ tablename: string }>`
    select tablename from pg_tables where schemaname = current_schema() and tablename not like 'kysely_%'`.execute(db);
  if (tables.rows.length) await sql`truncate ${sql.join(tables.rows.map((t) => sql.table(t.tablename)))}`.execute(db);
}

// ---- Rows as the server sends them -----------------------------------------------------------

export const ids = {
  user: '00000000-0000-4000-8000-000000000001',
  supervisor: '00000000-0000-4000-8000-000000000002',
  team: '00000000-0000-4000-8000-0000000000a1',
  complainant: '00000000-0000-4000-8000-0000000000c1',
  complainant2: '00000000-0000-4000-8000-0000000000c2',
  caseA: '00000000-0000-4000-8000-00000000ca5a',
  caseB: '00000000-0000-4000-8000-00000000ca5b',
};

let versionCounter = 1000;

/** A full case row as the server's pull sends it (all columns, version and xact_id as strings). */
export function serverCase(id: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  const received = new Date('2026-11-20T08:00:00.000Z');
  return {
    id,
    case_number: `ARB-2026-${id.slice(-4)}`,
    external_ref: null,
    intake_key_id: null,
    channel: 'ticket',
    complainant_id: ids.complainant,
    category: 'account_security',
    subcategory: 'account_takeover',
    description: 'Account taken over',
    language: 'en',
    usd_equivalent: '1234.500000000000000000',
    urgent: false,
    tier: 'L2',
    priority: 'normal',
    tiering_rule_id: null,
    status: 'received',
    resume_status: null,
    team_id: ids.team,
    assignee_id: ids.user,
    occurred_at: '2026-11-19T22:00:00.000Z',
    received_at: received.toISOString(),
    first_response_due_at: new Date(received.getTime() + 60 * 60_000).toISOString(),
    resolution_due_at: new Date(received.getTime() + 24 * 60 * 60_000).toISOString(),
    sla_paused_at: null,
    sla_paused_total_ms: '0',
    first_responded_at: null,
    resolved_at: null,
    closed_at: null,
    archived_at: null,
    satisfaction_score: null,
    satisfaction_comment: null,
    created_at: received.toISOString(),
    updated_at: received.toISOString(),
    handler_summary: '',
    next_action: '',
    version: String(versionCounter++),
    xact_id: '7771',
    deleted_at: null,
    ...over,
  };
}

export function serverRow(over: Record<string, unknown>): Record<string, unknown> {
  return { version: String(versionCounter++), xact_id: '7772', deleted_at: null, ...over };
}

export function pullPage(changes: { table: string; row: Record<string, unknown> | null; key?: string }[], over: Partial<{ cursor: string; dropCaseIds: string[]; reset: boolean; scope: string; hasMore: boolean }> = {}) {
  return {
    cursor: over.cursor ?? '100:1',
    hasMore: over.hasMore ?? false,
    changes: changes.map((c) => ({ table: c.table as never, key: c.key ?? String(c.row?.id), row: c.row })),
    dropCaseIds: over.dropCaseIds ?? [],
    reset: over.reset ?? false,
    scope: over.scope ?? 'scope-1',
  };
}
