import { transact } from '../db/transaction';
import type { DB } from '../db/database';
import { actorLabel, actorUserId, type ServiceContext } from '../context';
import { appendAuditEntry, auditEntriesInOrder, auditHashesAt, auditHead } from './audit.repository';
import { entryHash, GENESIS_HASH } from './audit-hash';
import { checkpointSignatureValid, type AuditCheckpoint } from './checkpoint';
import type { StoredCheckpoint } from './checkpoint-store';

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

export type CheckpointProblem =
  | { problem: 'unreadable'; name: string; reason: string }
  | { problem: 'bad_signature'; name: string; checkpoint: AuditCheckpoint }
  /** The database's chain ends before the checkpointed entry: its newest entries were deleted. */
  | { problem: 'truncated'; name: string; checkpoint: AuditCheckpoint; headSeq: string }
  /** The checkpointed entry is missing from the middle of the chain. */
  | { problem: 'entry_missing'; name: string; checkpoint: AuditCheckpoint }
  /** The checkpointed entry has another hash now: the chain was rewritten from there back. */
  | { problem: 'hash_mismatch'; name: string; checkpoint: AuditCheckpoint; found: string };

export interface CheckpointReport {
  ok: boolean;
  checkpoints: number;
  /** The newest checkpoint with a valid signature. */
  latest: AuditCheckpoint | null;
  headSeq: string;
  problems: CheckpointProblem[];
  /** Key ids that signed checkpoints other than the data directory's key (not a problem by itself). */
  otherKeys: string[];
}

/** Holds the database's chain against every stored checkpoint (the head anchored outside the database). */
export async function verifyAgainstCheckpoints(db: DB, stored: StoredCheckpoint[], localKeyId: string | null): Promise<CheckpointReport> {
  const head = await auditHead(db);
  const headSeq = head ? BigInt(head.seq) : 0n;
  const problems: CheckpointProblem[] = [];
  const valid: { name: string; checkpoint: AuditCheckpoint }[] = [];
  for (const s of stored) {
    if ('error' in s) problems.push({ problem: 'unreadable', name: s.name, reason: s.error });
    else if (!checkpointSignatureValid(s.checkpoint)) problems.push({ problem: 'bad_signature', name: s.name, checkpoint: s.checkpoint });
    else valid.push(s);
  }
  const hashes = await auditHashesAt(db, [...new Set(valid.map((v) => v.checkpoint.seq))]);
  for (const { name, checkpoint } of valid) {
    const found = hashes.get(checkpoint.seq);
    if (BigInt(checkpoint.seq) > headSeq) problems.push({ problem: 'truncated', name, checkpoint, headSeq: headSeq.toString() });
    else if (found === undefined) problems.push({ problem: 'entry_missing', name, checkpoint });
    else if (found !== checkpoint.hash) problems.push({ problem: 'hash_mismatch', name, checkpoint, found });
  }
  const latest = valid.reduce<AuditCheckpoint | null>((a, v) => (a === null || BigInt(v.checkpoint.seq) > BigInt(a.seq) ? v.checkpoint : a), null);
  const otherKeys = [...new Set(valid.map((v) => v.checkpoint.keyId).filter((k) => k !== localKeyId))];
  return { ok: problems.length === 0, checkpoints: stored.length, latest, headSeq: headSeq.toString(), problems, otherKeys };
}
