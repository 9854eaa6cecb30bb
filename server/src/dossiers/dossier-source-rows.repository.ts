// SQL of a dossier's source rows: the case's rows a dossier is built from (not the dossiers table,
// which is dossiers.repository.ts), as the server holds them. They are the same tables and columns
// the workstation holds after a sync (desktop/main/dossier-rows.ts reads its copy), read through
// the same loader (shared/dossier/source-rows.ts), so that buildDossierSnapshot gives the same
// snapshot from either. Columns never sent to a workstation (password hashes, emails, search text)
// are left out here too.
//
// For an external recipient (an arbitrator or mediator) the rows are cut down before the builder
// redacts: internal-only exhibits, their records, custody, redactions and intake events are left
// out, and notes, consultations, communications, approvals and cross-case signals are not read. The redaction spans
// and the complainant's PII values come along only to be cut out of free text. Reading them is
// part of the export the caller records; nothing here is audited by itself.
import { sql } from 'kysely';
import type { DB } from '../db/database';
import { AppError } from '../../../shared/errors';
import { WITHHELD_COLUMNS, type SyncedTable } from '../../../shared/sync/protocol';
import type { DossierSourceRows } from '../../../shared/dossier/snapshot';
import { readDossierRows, type DossierCaseTable } from '../../../shared/dossier/source-rows';

type Row = Record<string, unknown>;

/** Tables an external recipient's dossier never shows: not even read for one. */
const INTERNAL_ONLY_TABLES: readonly DossierCaseTable[] = ['notes', 'consultations', 'communications', 'approvals', 'evidence_signals'];

function withoutWithheld(table: SyncedTable, row: Row): Row {
  const withheld = WITHHELD_COLUMNS[table] ?? [];
  if (withheld.length === 0) return row;
  const out = { ...row };
  for (const c of withheld) delete out[c];
  return out;
}

/** Everything a dossier of this case shows (shared/dossier/source-rows.ts), cut down for an external recipient. */
export async function loadDossierRows(db: DB, caseId: string, opts: { external: boolean }): Promise<DossierSourceRows> {
  const out = await readDossierRows(db, caseId, { clean: withoutWithheld, skip: opts.external ? INTERNAL_ONLY_TABLES : [] });
  if (!out) throw new AppError('not_found', 'error.case_not_found', { field: 'caseId' });
  if (!opts.external) return out;

  // External: what is internal-only never leaves the server, in any form.
  const hidden = new Set(out.exhibits.filter((e) => e.internal_only === true).map((e) => String(e.id)));
  const shared = (r: Row) => !hidden.has(String(r.exhibit_id));
  out.exhibits = out.exhibits.filter((e) => !hidden.has(String(e.id)));
  out.exhibit_records = out.exhibit_records.filter(shared);
  out.custody_entries = out.custody_entries.filter(shared);
  // Nor does the timeline say that one was taken in ('exhibit.added' names it).
  out.case_events = out.case_events.filter((e) => !hidden.has(String(payloadOf(e).exhibitId)));
  out.redactions = (await sql<Row>`select * from redactions where case_id = ${caseId}`.execute(db)).rows.filter(shared);
  out.piiValues = await complainantPiiValues(db, String(out.case.complainant_id));
  return out;
}

function payloadOf(event: Row): Record<string, unknown> {
  const p = event.payload;
  if (typeof p === 'string') return JSON.parse(p) as Record<string, unknown>;
  return p && typeof p === 'object' ? (p as Record<string, unknown>) : {};
}

/** The complainant's known PII values, to be cut from any free text an external recipient reads. */
async function complainantPiiValues(db: DB, complainantId: string): Promise<string[]> {
  const pii = await db.selectFrom('complainant_pii').select(['name', 'email', 'phone', 'id_document_number']).where('complainant_id', '=', complainantId).executeTakeFirst();
  const account = await db.selectFrom('complainants').select('exchange_uid').where('id', '=', complainantId).executeTakeFirst();
  // The exchange's user id identifies the person as surely as a name does.
  return [pii?.name, pii?.email, pii?.phone, pii?.id_document_number, account?.exchange_uid].filter((v): v is string => typeof v === 'string' && v.trim().length > 0);
}
