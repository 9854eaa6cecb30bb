// The rows a dossier is built from, as the workstation holds them: the same tables and columns the
// server reads, through the same loader (shared/dossier/source-rows.ts), so that after a sync
// buildDossierSnapshot gives the same snapshot offline as on the server.
//
// A dossier shows server-confirmed state only. A row the workstation changed optimistically (an
// unsynced mutation, `pending_seq` set) counts as the server's version kept in `optimistic_base`;
// a row that exists only as a local preview (created locally, base null) is left out, and so is
// the 'local.pending' step on the timeline. Local-only columns (pending_seq, the generated search
// text) are dropped.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DossierSourceRows } from '../../shared/dossier/snapshot';
import { readDossierRows, type DossierCaseTable } from '../../shared/dossier/source-rows';
import type { LocalDatabase } from './store/local-schema';

type Row = Record<string, unknown>;

/** Columns only the workstation has: never part of a dossier's rows. */
const LOCAL_ONLY_COLUMNS = ['pending_seq'] as const;

export class LocalCaseNotFoundError extends Error {
  readonly messageKey = 'error.case_not_found';
  constructor(readonly caseId: string) {
    super(`The workstation holds no server-confirmed case ${caseId}`);
    this.name = 'LocalCaseNotFoundError';
  }
}

function withoutLocalColumns(_table: string, row: Row): Row {
  const out = { ...row };
  for (const c of LOCAL_ONLY_COLUMNS) delete out[c];
  return out;
}

/**
 * The server-confirmed rows of a table that `where` selects (alias t): rows no unsynced mutation
 * touched as they are, and for the touched ones the server's version kept before the first touch
 * (back into the table's own row type, so numbers and times stay exact). Rows created locally have
 * no server version: they are not there. Custody entries are keyed by seq, not id, and no local
 * write ever touches them: every one the server sent.
 */
async function confirmedRows(db: Kysely<LocalDatabase>, table: 'cases' | DossierCaseTable, where: RawBuilder<boolean>): Promise<Row[]> {
  const r =
    table === 'custody_entries'
      ? await sql<Row>`select t.* from ${sql.table(table)} t where (${where}) and t.pending_seq is null`.execute(db)
      : await sql<Row>`
    select t.* from ${sql.table(table)} t where (${where}) and t.pending_seq is null
    union all
    select base.* from ${sql.table(table)} t
      join optimistic_base b on b.tbl = ${table} and b.key = t.id::text and b.row is not null
      cross join lateral jsonb_populate_record(null::${sql.table(table)}, b.row) base
     where (${where}) and t.pending_seq is not null`.execute(db);
  return r.rows;
}

/** Every row a dossier of this case shows, from the local store (shared/dossier/source-rows.ts). Throws LocalCaseNotFoundError when the case is not held (or only as a local preview). */
export async function loadLocalDossierRows(localDb: Kysely<LocalDatabase>, caseId: string): Promise<DossierSourceRows> {
  const rows = await readDossierRows(localDb, caseId, { select: (table, where) => confirmedRows(localDb, table, where), clean: withoutLocalColumns });
  if (!rows) throw new LocalCaseNotFoundError(caseId);
  return rows;
}
