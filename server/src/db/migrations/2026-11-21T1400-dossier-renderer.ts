// Which renderer made each dossier (shared/pdf/renderer-fingerprint.ts: the renderer's version,
// pdfkit's, and the font files' hashes), so verify-dossier can tell a changed renderer from a
// changed file. Null for dossiers rendered before it was recorded.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('dossiers').addColumn('renderer', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('Dossiers are records of what left the company: never dropped.');
}
