// The rows a dossier is built from, as the workstation holds them: the same tables and columns the
// server reads (server/src/dossiers/dossier.repository.ts), so that after a sync
// buildDossierSnapshot gives the same snapshot offline as on the server.
//
// A dossier shows server-confirmed state only. A row the workstation changed optimistically (an
// unsynced mutation, `pending_seq` set) counts as the server's version kept in `optimistic_base`;
// a row that exists only as a local preview (created locally, base null) is left out, and so is
// the 'local.pending' step on the timeline. Local-only columns (pending_seq, the generated search
// text) are dropped.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DossierSourceRows } from '../../shared/dossier/snapshot';
import type { LocalDatabase } from './store/local-schema';

type Row = Record<string, unknown>;

/** Columns only the workstation has: never part of a dossier's rows. */
const LOCAL_ONLY_COLUMNS = ['pending_seq', 'search_text'] as const;

/** Case tables read by case_id, as the snapshot names them (the workstation holds no redactions). */
const CASE_TABLES = [
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
] as const;
type CaseTable = (typeof CASE_TABLES)[number];

export class LocalCaseNotFoundError extends Error {
  readonly messageKey = 'error.case_not_found';
  constructor(readonly caseId: string) {
    super(`The workstation holds no server-confirmed case ${caseId}`);
    this.name = 'LocalCaseNotFoundError';
  }
}

function withoutLocalColumns(row: Row): Row {
  const out = { ...row };
  for (const c of LOCAL_ONLY_COLUMNS) delete out[c];
  return out;
}

/**
 * The server-confirmed rows of a table that `where` selects (alias t): rows no unsynced mutation
 * touched as they are, and for the touched ones the server's version kept before the first touch
 * (back into the table's own row type, so numbers and times stay exact). Rows created locally have
 * no server version: they are not there.
 */
async function confirmedRows(db: Kysely<LocalDatabase>, table: 'cases' | CaseTable, where: RawBuilder<boolean>): Promise<Row[]> {
  const r = await sql<Row>`
    select t.* from ${sql.table(table)} t where (${where}) and t.pending_seq is null
    union all
    select base.* from ${sql.table(table)} t
      join optimistic_base b on b.tbl = ${table} and b.key = t.id::text and b.row is not null
      cross join lateral jsonb_populate_record(null::${sql.table(table)}, b.row) base
     where (${where}) and t.pending_seq is not null`.execute(db);
  return r.rows.map(withoutLocalColumns);
}

/** Every row a dossier of this case shows, from the local store. Throws LocalCaseNotFoundError when the case is not held (or only as a local preview). */
export async function loadLocalDossierRows(localDb: Kysely<LocalDatabase>, caseId: string): Promise<DossierSourceRows> {
  const [c] = await confirmedRows(localDb, 'cases', sql<boolean>`t.id = ${caseId}`);
  if (!c) throw new LocalCaseNotFoundError(caseId);
  const byTable = new Map<CaseTable, Row[]>();
  for (const table of CASE_TABLES) {
    // Custody entries are keyed by seq, not id, and no local write ever touches them.
    byTable.set(table, table === 'custody_entries' ? await plainRows(localDb, table, caseId) : await confirmedRows(localDb, table, sql<boolean>`t.case_id = ${caseId}`));
  }
  const complainant = c.complainant_id ? ((await sql<Row>`select * from complainants where id = ${c.complainant_id}`.execute(localDb)).rows[0] ?? null) : null;
  const team = c.team_id ? ((await sql<Row>`select * from teams where id = ${c.team_id}`.execute(localDb)).rows[0] ?? null) : null;
  const users = (await sql<Row>`select * from users`.execute(localDb)).rows;
  const rows = (t: CaseTable) => byTable.get(t) ?? [];
  return {
    case: c,
    complainant: complainant && withoutLocalColumns(complainant),
    team: team && withoutLocalColumns(team),
    users: users.map(withoutLocalColumns),
    case_amounts: rows('case_amounts'),
    case_events: rows('case_events'),
    notes: rows('notes'),
    consultations: rows('consultations'),
    communications: rows('communications'),
    objections: rows('objections'),
    assessments: rows('assessments'),
    remedies: rows('remedies'),
    approvals: rows('approvals'),
    escalations: rows('escalations'),
    escalation_members: rows('escalation_members'),
    rulings: rows('rulings'),
    ruling_signatures: rows('ruling_signatures'),
    ruling_opinions: rows('ruling_opinions'),
    exhibits: rows('exhibits'),
    exhibit_records: rows('exhibit_records'),
    custody_entries: rows('custody_entries'),
    evidence_signals: rows('evidence_signals'),
  };
}

/** A table no optimistic write touches, keyed other than by id: every row the server sent. */
async function plainRows(db: Kysely<LocalDatabase>, table: CaseTable, caseId: string): Promise<Row[]> {
  const r = await sql<Row>`select * from ${sql.table(table)} where case_id = ${caseId} and pending_seq is null`.execute(db);
  return r.rows.map(withoutLocalColumns);
}
