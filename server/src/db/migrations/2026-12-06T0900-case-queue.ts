// The case queue's order (newest received first, id to break ties) as an index over the live cases,
// so a page of the queue and its bounded count read a few index entries instead of sorting every
// case. Without it the first page of a million cases cost seconds.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index cases_queue_idx on cases (received_at desc, id) where deleted_at is null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index cases_queue_idx`.execute(db);
}
