import { sql } from 'kysely';
import type { DB } from '../db/database';
import { entryHash, GENESIS_HASH, type HashedFields } from './audit-hash';

// Any constant: the advisory lock that serialises appends so the chain has one order.
const AUDIT_APPEND_LOCK = 0x4152_4254;

export interface AuditEntryInput {
  actorId: string | null;
  actorLabel: string;
  action: string;
  caseId?: string | null;
  entity?: string | null;
  entityId?: string | null;
  requestId?: string | null;
  details?: Record<string, unknown>;
}

/** Appends inside the caller's transaction, so the entry commits with the write it records, or neither does. */
export async function appendAuditEntry(trx: DB, input: AuditEntryInput, at = new Date()): Promise<HashedFields & { hash: string }> {
  await sql`select pg_advisory_xact_lock(${AUDIT_APPEND_LOCK})`.execute(trx);
  const last = await trx.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const fields: HashedFields = {
    seq: last ? (BigInt(last.seq) + 1n).toString() : '1',
    at,
    actorId: input.actorId,
    actorLabel: input.actorLabel,
    action: input.action,
    caseId: input.caseId ?? null,
    entity: input.entity ?? null,
    entityId: input.entityId ?? null,
    requestId: input.requestId ?? null,
    details: JSON.parse(JSON.stringify(input.details ?? {})),
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  const hash = entryHash(fields);
  await trx
    .insertInto('audit_log')
    .values({
      seq: fields.seq,
      at: fields.at,
      actor_id: fields.actorId,
      actor_label: fields.actorLabel,
      action: fields.action,
      case_id: fields.caseId,
      entity: fields.entity,
      entity_id: fields.entityId,
      request_id: fields.requestId,
      details: JSON.stringify(fields.details),
      prev_hash: fields.prevHash,
      hash,
    })
    .execute();
  return { ...fields, hash };
}

export async function* auditEntriesInOrder(db: DB, batchSize = 2000) {
  let after = '0';
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where(sql<boolean>`seq > ${after}::bigint`)
      .orderBy('seq')
      .limit(batchSize)
      .execute();
    if (rows.length === 0) return;
    for (const row of rows) yield row;
    after = rows[rows.length - 1]!.seq;
  }
}

/** The latest entry `action` whose details record this SHA-256 (of `entityId`, where given). */
export function latestAuditEntryRecording(db: DB, action: string, sha256: string, entityId?: string) {
  let q = db
    .selectFrom('audit_log')
    .select(['seq', 'at', 'case_id', 'details'])
    .where('action', '=', action)
    .where(sql<string>`details->>'sha256'`, '=', sha256);
  if (entityId) q = q.where('entity_id', '=', entityId);
  return q.orderBy('seq', 'desc').executeTakeFirst();
}

export async function auditEntriesForCase(db: DB, caseId: string, limit = 500) {
  return db.selectFrom('audit_log').selectAll().where('case_id', '=', caseId).orderBy('seq').limit(limit).execute();
}

export async function auditEntriesForEntity(db: DB, entity: string, entityId: string, limit = 1000) {
  return db.selectFrom('audit_log').selectAll().where('entity', '=', entity).where('entity_id', '=', entityId).orderBy('seq').limit(limit).execute();
}

/** The newest entry (the chain's head), or undefined when the log is empty. */
export function auditHead(db: DB) {
  return db.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
}

/** The hashes of the entries with these sequence numbers (those that exist). */
export async function auditHashesAt(db: DB, seqs: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < seqs.length; i += 1000) {
    const chunk = seqs.slice(i, i + 1000);
    const rows = await db
      .selectFrom('audit_log')
      .select(['seq', 'hash'])
      .where(sql<boolean>`seq = any(${chunk}::bigint[])`)
      .execute();
    for (const r of rows) out.set(r.seq, r.hash);
  }
  return out;
}
