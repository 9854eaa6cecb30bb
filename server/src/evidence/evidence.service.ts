// Reading and sharing evidence: every view, download, export, share and redaction is a custody
// event on the audit chain. What leaves for an external recipient is built here, on the server,
// with PII and internal-only exhibits removed and redacted spans cut out — never hidden in a UI.
import { transact } from '../db/transaction';
import type { Readable } from 'node:stream';
import type { DB } from '../db/database';
import type { ServiceContext, UserActor } from '../context';
import { audit, auditRead } from '../audit/audit.service';
import { auditEntriesForEntity } from '../audit/audit.repository';
import { AppError, badInput } from '../../../shared/errors';
import { toSafeCsv } from '../../../shared/evidence/formula';
import { Money } from '../../../shared/money';
import { applySpans, scrubDeep, scrubValues } from '../../../shared/redaction';
import { complainantPii, caseAmounts } from '../cases/cases.repository';
import * as repo from './evidence.repository';
import { visibleCase, lockedVisibleCase } from '../cases/cases.service';
import type { EvidenceDeps } from './evidence-deps';

type Ctx = ServiceContext & { actor: UserActor };

async function visibleExhibit(db: DB, ctx: Ctx, exhibitId: string) {
  const e = await repo.findExhibit(db, exhibitId);
  if (!e) throw new AppError('not_found', 'evidence.exhibit_not_found', { field: 'exhibitId' });
  await visibleCase(db, ctx, e.case_id).catch(() => {
    throw new AppError('not_found', 'evidence.exhibit_not_found', { field: 'exhibitId' });
  });
  return e;
}

function exhibitView(e: Awaited<ReturnType<typeof repo.exhibitsOfCase>>[number] | NonNullable<Awaited<ReturnType<typeof repo.findExhibit>>>) {
  return {
    id: e.id,
    caseId: e.case_id,
    exhibitNumber: e.exhibit_number,
    side: e.side,
    type: e.type,
    source: e.source,
    fileName: e.file_name,
    mediaType: e.media_type,
    size: Number(e.size),
    sha256: e.blob_sha256,
    description: e.description,
    internalOnly: e.internal_only,
    takenInBy: e.taken_in_by,
    takenInByName: 'taken_in_by_name' in e ? (e.taken_in_by_name as string | null) : null,
    takenInAt: e.taken_in_at,
    deviceId: e.device_id,
    parseStatus: e.parse_status,
    parseError: e.parse_error,
    metadata: e.metadata,
    recordCount: e.record_count,
  };
}

export async function listExhibits(db: DB, ctx: Ctx, caseId: string) {
  const c = await visibleCase(db, ctx, caseId);
  const [exhibits, signals] = await Promise.all([repo.exhibitsOfCase(db, c.id), repo.signalsOfCase(db, c.id)]);
  return {
    exhibits: exhibits.map(exhibitView),
    signals: signals.map((s) => ({ id: s.id, kind: s.kind, sha256: s.blob_sha256, otherCaseId: s.other_case_id, otherCaseNumber: s.other_case_number, createdAt: s.created_at })),
  };
}

/** One exhibit with its custody trail; looking at it is itself a custody event. */
export async function getExhibit(db: DB, ctx: Ctx, exhibitId: string) {
  const e = await visibleExhibit(db, ctx, exhibitId);
  await auditRead(db, ctx, { action: 'custody.view', caseId: e.case_id, entity: 'exhibits', entityId: e.id, details: { exhibitNumber: e.exhibit_number } });
  return { ...exhibitView(e), custody: await custodyTrail(db, e.id) };
}

export async function custodyTrail(db: DB, exhibitId: string) {
  const rows = await auditEntriesForEntity(db, 'exhibits', exhibitId);
  return rows.map((r) => ({ seq: r.seq, at: r.at, actor: r.actor_label, action: r.action.replace(/^custody\./, ''), requestId: r.request_id, details: r.details, hash: r.hash }));
}

export async function exhibitRecords(db: DB, ctx: Ctx, input: { exhibitId: string; search?: string; order: 'seq' | 'time'; limit: number; offset: number }) {
  const e = await visibleExhibit(db, ctx, input.exhibitId);
  const rows = await repo.recordsOfExhibit(db, e.id, input);
  return { exhibitNumber: e.exhibit_number, total: e.record_count, records: rows.map((r) => ({ seq: r.seq, kind: r.kind, occurredAt: r.occurred_at, data: r.data })) };
}

/** The original bytes, for a person to open; recorded as a download in the custody trail. */
export async function downloadExhibit(deps: EvidenceDeps, ctx: Ctx, exhibitId: string): Promise<{ stream: Readable; fileName: string; mediaType: string; size: number; sha256: string }> {
  const e = await visibleExhibit(deps.db, ctx, exhibitId);
  const stream = await deps.store.read(e.blob_sha256);
  if (!stream) throw new AppError('not_found', 'evidence.blob_missing', { field: 'exhibitId' });
  await auditRead(deps.db, ctx, { action: 'custody.download', caseId: e.case_id, entity: 'exhibits', entityId: e.id, details: { sha256: e.blob_sha256 } });
  return { stream, fileName: e.file_name, mediaType: e.media_type, size: Number(e.size), sha256: e.blob_sha256 };
}

/** Parsed records as CSV with every cell neutralised, so no cell runs as a spreadsheet formula. */
export async function exportRecordsCsv(db: DB, ctx: Ctx, exhibitId: string): Promise<{ csv: string; fileName: string }> {
  const e = await visibleExhibit(db, ctx, exhibitId);
  const records = await repo.allRecordsOfExhibit(db, e.id);
  const columns = [...new Set(records.flatMap((r) => Object.keys(flatten(r.data))))].filter((k) => k !== 'raw' && !k.startsWith('raw.'));
  const rows = [columns, ...records.map((r) => columns.map((k) => stringify(flatten(r.data)[k])))];
  await auditRead(db, ctx, { action: 'custody.export', caseId: e.case_id, entity: 'exhibits', entityId: e.id, details: { format: 'csv', records: records.length } });
  return { csv: toSafeCsv(rows), fileName: `${e.exhibit_number}-records.csv` };
}

function flatten(value: unknown, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out[prefix] = value;
  return out;
}
const stringify = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));

export async function setExhibitInternalOnly(db: DB, ctx: Ctx, input: { exhibitId: string; internalOnly: boolean }) {
  return transact(db, async (trx) => {
    const e = await visibleExhibit(trx, ctx, input.exhibitId);
    await lockedVisibleCase(trx, ctx, e.case_id);
    await repo.setInternalOnly(trx, e.id, input.internalOnly);
    await audit(trx, ctx, { action: 'custody.marked_internal_only', caseId: e.case_id, entity: 'exhibits', entityId: e.id, details: { internalOnly: input.internalOnly } });
    return { ok: true as const };
  });
}

const REDACTABLE_FIELDS: Record<string, readonly string[]> = { chat: ['text', 'speaker'], activity: ['ip', 'device', 'location'], trade: ['orderId'], onchain: ['note'] };

/** Cuts a span out of a record's text for external recipients; the original stays as it was. */
export async function redactSpan(db: DB, ctx: Ctx, input: { exhibitId: string; recordSeq: number; field: string; start: number; end: number; reason: string }) {
  return transact(db, async (trx) => {
    const e = await visibleExhibit(trx, ctx, input.exhibitId);
    await lockedVisibleCase(trx, ctx, e.case_id);
    const record = await repo.findRecord(trx, e.id, input.recordSeq);
    if (!record) throw badInput('evidence.redaction.record_not_found', 'recordSeq');
    if (!(REDACTABLE_FIELDS[record.kind] ?? []).includes(input.field)) throw badInput('evidence.redaction.field_not_redactable', 'field');
    const value = (record.data as Record<string, unknown>)[input.field];
    const length = typeof value === 'string' ? [...value].length : 0;
    if (input.end > length || input.start >= input.end) throw badInput('evidence.redaction.span_out_of_range', 'end', { length });
    const r = await repo.insertRedaction(trx, { exhibit_id: e.id, case_id: e.case_id, record_seq: input.recordSeq, field: input.field, start: input.start, end: input.end, reason: input.reason, created_by: ctx.actor.userId });
    await audit(trx, ctx, { action: 'custody.redaction', caseId: e.case_id, entity: 'exhibits', entityId: e.id, details: { redactionId: r.id, recordSeq: input.recordSeq, field: input.field, start: input.start, end: input.end, reason: input.reason } });
    return { id: r.id };
  });
}

function sharedMetadata(metadata: unknown, scrub: (t: string) => string): unknown {
  if (!metadata || typeof metadata !== 'object' || Array.isArray(metadata)) return {};
  const { warnings: _internal, ...rest } = metadata as Record<string, unknown>;
  return scrubDeep(rest, scrub);
}

/**
 * The case as an external arbitrator or mediator may receive it. Built from an allow-list of
 * fields: PII is never read into it, internal-only exhibits are left out, redacted spans and any
 * occurrence of the complainant's PII in free text are cut. Each exhibit shared is a custody event.
 */
export async function externalCaseView(db: DB, ctx: Ctx, input: { caseId: string; recipient: string }) {
  const c = await visibleCase(db, ctx, input.caseId);
  const [pii, exhibits, redactions, amounts] = await Promise.all([complainantPii(db, c.complainant_id), repo.exhibitsOfCase(db, c.id), repo.redactionsOfCase(db, c.id), caseAmounts(db, c.id)]);
  const piiValues = [pii?.name, pii?.email, pii?.phone, pii?.id_document_number].filter((v): v is string => !!v);
  const scrub = (t: string) => scrubValues(t, piiValues);
  const shared = exhibits.filter((e) => !e.internal_only);
  const out = [];
  for (const e of shared) {
    const spans = redactions.filter((r) => r.exhibit_id === e.id);
    const records = await repo.allRecordsOfExhibit(db, e.id);
    out.push({
      exhibitNumber: e.exhibit_number,
      side: e.side,
      type: e.type,
      source: e.source,
      mediaType: e.media_type,
      size: Number(e.size),
      sha256: e.blob_sha256,
      takenInAt: e.taken_in_at,
      metadata: sharedMetadata(e.metadata, scrub),
      records: records.map((r) => {
        const data = { ...(r.data as Record<string, unknown>) };
        delete data.raw;
        for (const [field, value] of Object.entries(data)) {
          if (typeof value !== 'string') continue;
          const mine = spans.filter((s) => s.record_seq === r.seq && s.field === field);
          data[field] = scrub(mine.length ? applySpans(value, mine) : value);
        }
        return { seq: r.seq, kind: r.kind, occurredAt: r.occurred_at, data };
      }),
    });
  }
  await transact(db, async (trx) => {
    for (const e of shared)
      await audit(trx, ctx, { action: 'custody.share', caseId: c.id, entity: 'exhibits', entityId: e.id, details: { recipient: input.recipient, redactions: redactions.filter((r) => r.exhibit_id === e.id).length } });
  });
  return {
    caseNumber: c.case_number,
    category: c.category,
    subcategory: c.subcategory,
    channel: c.channel,
    status: c.status,
    description: scrub(c.description),
    occurredAt: c.occurred_at,
    receivedAt: c.received_at,
    amounts: amounts.map((a) => ({ asset: a.asset, amount: new Money(a.amount).toFixed() })),
    complainant: { reference: `complainant of ${c.case_number}` },
    exhibits: out,
  };
}


