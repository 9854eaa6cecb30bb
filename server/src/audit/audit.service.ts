import { transact } from '../db/transaction';
import type { DB } from '../db/database';
import { actorLabel, actorUserId, type ServiceContext } from '../context';
import { appendAuditEntry, auditEntriesInOrder } from './audit.repository';
import { entryHash, GENESIS_HASH } from './audit-hash';

export interface AuditEvent {
  action: string;
  caseId?: string | null;
  entity?: string;
  entityId?: string;
  details?: Record<string, unknown>;
}

/** Records what the context's actor did, inside the transaction `trx` that did it. */
export function audit(trx: DB, ctx: ServiceContext, event: AuditEvent) {
  return appendAuditEntry(trx, {
    actorId: actorUserId(ctx.actor),
    actorLabel: actorLabel(ctx.actor),
    requestId: ctx.meta.requestId,
    ...event,
  });
}

/** Reads of PII and evidence are audited too; a read has no transaction of its own, so it gets one. */
export function auditRead(db: DB, ctx: ServiceContext, event: AuditEvent) {
  return transact(db, (trx) => audit(trx, ctx, event));
}

export type ChainReport =
  | { ok: true; entries: number; lastHash: string }
  | { ok: false; entries: number; brokenAt: string; problem: 'hash_mismatch' | 'prev_hash_mismatch' | 'sequence_gap'; expected: string; found: string };

/** Walks the chain from the first entry; reports the first broken link. */
export async function verifyAuditChain(db: DB): Promise<ChainReport> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1n;
  let count = 0;
  for await (const row of auditEntriesInOrder(db)) {
    count++;
    if (BigInt(row.seq) !== expectedSeq)
      return { ok: false, entries: count, brokenAt: row.seq, problem: 'sequence_gap', expected: expectedSeq.toString(), found: row.seq };
    if (row.prev_hash !== prevHash)
      return { ok: false, entries: count, brokenAt: row.seq, problem: 'prev_hash_mismatch', expected: prevHash, found: row.prev_hash };
    const recomputed = entryHash({
      seq: row.seq,
      at: row.at,
      actorId: row.actor_id,
      actorLabel: row.actor_label,
      action: row.action,
      caseId: row.case_id,
      entity: row.entity,
      entityId: row.entity_id,
      requestId: row.request_id,
      details: row.details,
      prevHash: row.prev_hash,
    });
    if (recomputed !== row.hash)
      return { ok: false, entries: count, brokenAt: row.seq, problem: 'hash_mismatch', expected: recomputed, found: row.hash };
    prevHash = row.hash;
    expectedSeq++;
  }
  return { ok: true, entries: count, lastHash: prevHash };
}
