// The audit chain's hashing: one function used to write entries and to verify them.
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every depth, so the same entry always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export interface HashedFields {
  seq: string;
  at: Date;
  actorId: string | null;
  actorLabel: string;
  action: string;
  caseId: string | null;
  entity: string | null;
  entityId: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
  prevHash: string;
}

export function entryHash(e: HashedFields): string {
  return createHash('sha256')
    .update(canonicalJson({ ...e, at: e.at.toISOString() }))
    .digest('hex');
}
