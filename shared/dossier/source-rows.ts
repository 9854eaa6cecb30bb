// The rows a dossier is built from, read the same way wherever they are held: the server's Postgres
// (server/src/dossiers/dossier-source-rows.repository.ts) and the workstation's PGlite after a sync
// (desktop/main/dossier-rows.ts) hold the same tables and columns, so one loader over a Kysely
// instance reads them and buildDossierSnapshot gives the same snapshot from either. What differs
// is passed in: which version of a row counts (the workstation's optimistic rows), which columns
// a dossier never carries, and which tables are not read at all (an external recipient's copy).
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { SyncedTable } from '../sync/protocol';
import type { DossierSourceRows } from './snapshot';

type Row = Record<string, unknown>;

/** Case tables read by case_id, as the snapshot names them (redactions are the server's alone). */
export const DOSSIER_CASE_TABLES = [
  'case_amounts',
  'case_events',
  'notes',
  'consultations',
  'communications',
  'objections',
  'assessments',
  'remedies',
  'approvals',
  'escalations',
  'escalation_members',
  'rulings',
  'ruling_signatures',
  'ruling_opinions',
  'exhibits',
  'exhibit_records',
  'custody_entries',
  'evidence_signals',
] as const satisfies readonly SyncedTable[];
export type DossierCaseTable = (typeof DOSSIER_CASE_TABLES)[number];

/** Every table a dossier's rows come from. */
export type DossierTable = 'cases' | 'complainants' | 'teams' | 'users' | DossierCaseTable;

export interface DossierRowReading {
  /**
   * The rows of `table` that `where` (over the table as `t`) selects, for the case and its case
   * tables. Absent: every row it selects, as stored.
   */
  select?(table: 'cases' | DossierCaseTable, where: RawBuilder<boolean>): Promise<Row[]>;
  /** A row as the dossier takes it: without the columns it never carries. */
  clean(table: DossierTable, row: Row): Row;
  /** Case tables not even read: their rows are empty. */
  skip?: readonly DossierCaseTable[];
}

async function selectAll(db: Kysely<any>, table: DossierTable, where: RawBuilder<boolean>): Promise<Row[]> {
  return (await sql<Row>`select t.* from ${sql.table(table)} t where ${where}`.execute(db)).rows;
}

/**
 * Every row a dossier of this case shows, or null when there is no such case to show. Tombstoned
 * rows are included as they are (the builder leaves them out).
 */
export async function readDossierRows(db: Kysely<any>, caseId: string, reading: DossierRowReading): Promise<DossierSourceRows | null> {
  const select = (table: 'cases' | DossierCaseTable, where: RawBuilder<boolean>) => (reading.select ? reading.select(table, where) : selectAll(db, table, where));
  const cleaned = (table: DossierTable, rows: Row[]) => rows.map((row) => reading.clean(table, row));

  const [c] = cleaned('cases', await select('cases', sql<boolean>`t.id = ${caseId}`));
  if (!c) return null;
  const [caseTables, complainant, team, users] = await Promise.all([
    Promise.all(
      DOSSIER_CASE_TABLES.map(async (table) => [table, reading.skip?.includes(table) ? [] : cleaned(table, await select(table, sql<boolean>`t.case_id = ${caseId}`))] as const),
    ),
    c.complainant_id ? selectAll(db, 'complainants', sql<boolean>`t.id = ${c.complainant_id}`).then((r) => cleaned('complainants', r)[0] ?? null) : null,
    c.team_id ? selectAll(db, 'teams', sql<boolean>`t.id = ${c.team_id}`).then((r) => cleaned('teams', r)[0] ?? null) : null,
    // Everyone the workstation knows by name: the same rows on both sides, so names resolve the same way.
    selectAll(db, 'users', sql<boolean>`true`).then((r) => cleaned('users', r)),
  ]);
  return { case: c, complainant, team, users, ...(Object.fromEntries(caseTables) as Record<DossierCaseTable, Row[]>) };
}
