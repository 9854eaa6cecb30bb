// The dossier snapshot: everything a dossier shows, frozen as plain JSON. The server and the
// workstation each read their rows (same tables, same columns) and hand them to
// buildDossierSnapshot; the renderer reads only the snapshot. Same rows → same snapshot → same
// bytes, so every value is normalised here (dates to ISO, amounts to plain decimals, arrays in a
// fixed order) and nothing depends on the clock, the engine or the machine.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { Money } from '../money';
import { applySpans, scrubDeep, scrubValues } from '../redaction';

export { applySpans, scrubValues } from '../redaction';
import type { Language, Role } from '../domain';

export const DOSSIER_FORMAT = 1;

/** Who the dossier is for: an internal handler sees the case as the workstation holds it; an external arbitrator or mediator the redacted view. */
export interface DossierRecipient {
  kind: 'internal' | 'external';
  userId: string;
  name: string;
  role: Role;
  language: Language;
}

export interface PersonRef {
  id: string;
  name: string;
  role: string | null;
}

/** A row as either database returns it: dates as Date or ISO text, numerics and bigints as text or number. */
type Row = Record<string, unknown>;

/**
 * The rows a dossier is built from, named as the tables are (server and local store share them).
 * Arrays may come in any order; the builder orders them. Deleted rows (tombstones) are left out by the builder.
 */
export interface DossierSourceRows {
  case: Row;
  complainant: Row | null;
  team: Row | null;
  users: Row[];
  case_amounts: Row[];
  case_events: Row[];
  notes: Row[];
  consultations: Row[];
  communications: Row[];
  objections: Row[];
  assessments: Row[];
  remedies: Row[];
  approvals: Row[];
  escalations: Row[];
  escalation_members: Row[];
  rulings: Row[];
  ruling_signatures: Row[];
  ruling_opinions: Row[];
  exhibits: Row[];
  exhibit_records: Row[];
  custody_entries: Row[];
  evidence_signals: Row[];
  /** External recipients only (the server has them, the workstation does not): spans to cut and PII values to scrub from free text. */
  redactions?: Row[];
  piiValues?: string[];
}

export interface DossierAmount {
  asset: string;
  amount: string;
  usdRate: string | null;
  usdValue: string | null;
}

export interface DossierEvent {
  at: string;
  type: string;
  actor: string | null;
  payload: Record<string, unknown>;
}

export interface DossierRecord {
  seq: number;
  kind: string;
  occurredAt: string | null;
  data: Record<string, unknown>;
}

export interface DossierExhibit {
  id: string;
  exhibitNumber: string;
  side: 'complainant' | 'platform';
  type: string;
  source: string;
  fileName: string;
  mediaType: string;
  size: number;
  sha256: string;
  description: string;
  internalOnly: boolean;
  takenInBy: string;
  takenInAt: string;
  deviceId: string | null;
  parseStatus: string;
  parseError: Record<string, unknown> | null;
  metadata: Record<string, unknown>;
  records: DossierRecord[];
}

export interface DossierCustodyEntry {
  seq: string;
  exhibitNumber: string;
  at: string;
  actor: string;
  action: string;
  details: Record<string, unknown>;
  hash: string;
}

export interface DossierRulingSignature {
  signer: string;
  seat: string | null;
  signedAt: string;
  signatureHash: string;
}

export interface DossierRuling {
  id: string;
  kind: string;
  text: string;
  decidedAt: string;
  recordedBy: string;
  signatures: DossierRulingSignature[];
  opinions: { kind: string; author: string; body: string; at: string }[];
}

export interface DossierEscalation {
  id: string;
  kind: string;
  status: string;
  panelSize: number;
  reason: string;
  outcome: string | null;
  createdBy: string;
  createdAt: string;
  closedAt: string | null;
  members: { name: string; role: string; seat: string | null; disclosure: string | null; acceptedAt: string | null }[];
  rulings: DossierRuling[];
}

export interface DossierSnapshot {
  format: typeof DOSSIER_FORMAT;
  /** The latest moment in the case state: the dossier's date. Never the clock. */
  asOf: string;
  recipient: DossierRecipient;
  case: {
    id: string;
    caseNumber: string;
    externalRef: string | null;
    channel: string;
    category: string;
    subcategory: string;
    description: string;
    language: string;
    status: string;
    tier: string;
    priority: string;
    urgent: boolean;
    usdEquivalent: string;
    occurredAt: string;
    receivedAt: string;
    firstResponseDueAt: string;
    resolutionDueAt: string;
    firstRespondedAt: string | null;
    resolvedAt: string | null;
    closedAt: string | null;
    archivedAt: string | null;
    handlerSummary: string;
    nextAction: string;
    satisfactionScore: number | null;
    satisfactionComment: string | null;
    team: string | null;
    assignee: PersonRef | null;
  };
  amounts: DossierAmount[];
  /** What the recipient may know of the complainant: the exchange's user id internally, a reference externally. Never name or contact details. */
  complainant: { reference: string; vipLevel: number | null; region: string | null; language: string | null };
  timeline: DossierEvent[];
  objections: { at: string; reason: string; recordedBy: string }[];
  /** Internal recipients only. */
  notes: { at: string; author: string; body: string }[];
  consultations: { team: string; question: string; askedBy: string; askedAt: string; answer: string | null; answeredBy: string | null; answeredAt: string | null }[];
  communications: { at: string; direction: string; channel: string; body: string; recordedBy: string }[];
  assessments: { platformShare: string; userShare: string; thirdPartyShare: string; thirdPartyKind: string | null; findings: string; author: string; createdAt: string; supersededAt: string | null }[];
  remedies: { kind: string; asset: string | null; amount: string | null; usdValue: string | null; details: string; status: string; proposedBy: string; createdAt: string }[];
  approvals: { requestedBy: string; requestedAt: string; usdTotal: string; thresholdUsd: string; decision: string | null; decidedBy: string | null; decidedAt: string | null; reason: string | null }[];
  escalations: DossierEscalation[];
  exhibits: DossierExhibit[];
  signals: { otherCaseNumber: string | null; sha256: string; kind: string; at: string }[];
  custody: DossierCustodyEntry[];
}

// ---- Normalisation ------------------------------------------------------------------------------

function iso(v: unknown): string {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'string' || typeof v === 'number') {
    const d = new Date(v);
    if (!Number.isNaN(d.getTime())) return d.toISOString();
  }
  throw new Error(`dossier snapshot: not a time: ${String(v)}`);
}
const isoOrNull = (v: unknown) => (v === null || v === undefined ? null : iso(v));
const str = (v: unknown) => (v === null || v === undefined ? '' : String(v));
const strOrNull = (v: unknown) => (v === null || v === undefined ? null : String(v));
/** A decimal as its shortest plain text, whatever trailing zeros the engine kept. */
const dec = (v: unknown) => new Money(String(v)).toFixed();
const decOrNull = (v: unknown) => (v === null || v === undefined ? null : dec(v));
const int = (v: unknown) => Number(v);
const intOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (canonical(v) as Record<string, unknown>) : typeof v === 'string' ? obj(JSON.parse(v)) : {});
const objOrNull = (v: unknown) => (v === null || v === undefined ? null : obj(v));
const live = (rows: Row[]) => rows.filter((r) => r.deleted_at === null || r.deleted_at === undefined);
const byAt = <T>(key: (t: T) => string, ...then: ((t: T) => string)[]) => (a: T, b: T) => {
  for (const k of [key, ...then]) {
    const x = k(a);
    const y = k(b);
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
};

/** Sorted keys at every level: the same value always prints the same text. */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = canonical(v);
    }
    return out;
  }
  return value;
}

export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonical(value));
}

/** SHA-256 of the snapshot's canonical JSON: the dossier ID is made from it. */
export function snapshotHash(snapshot: DossierSnapshot): string {
  const json = canonicalJson(snapshot);
  // Node's (and Electron's) native SHA-256 when there is one: the pure-JS hash of a large
  // snapshot's JSON costs tens of milliseconds. Same digest either way.
  if (nodeCrypto) return nodeCrypto.createHash('sha256').update(json, 'utf8').digest('hex');
  return bytesToHex(sha256(utf8ToBytes(json)));
}

type NodeCrypto = { createHash(algorithm: 'sha256'): { update(data: string, encoding: 'utf8'): { digest(encoding: 'hex'): string } } };
const nodeCrypto: NodeCrypto | null = (() => {
  try {
    const p = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    const m = typeof p?.getBuiltinModule === 'function' ? (p.getBuiltinModule('node:crypto') as NodeCrypto | undefined) : undefined;
    return m && typeof m.createHash === 'function' ? m : null;
  } catch {
    return null;
  }
})();

/** The dossier ID printed on every copy: short enough to read out, long enough to be unique. */
export function dossierId(snapshot: DossierSnapshot): string {
  const h = snapshotHash(snapshot).toUpperCase();
  return `DOS-${h.slice(0, 4)}-${h.slice(4, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}`;
}

// ---- The builder --------------------------------------------------------------------------------

/** Timeline event types an external recipient sees; internal deliberations (notes, consultations, approvals) are left out. */
export const EXTERNAL_EVENT_TYPES: readonly string[] = [
  'case.received',
  'case.classified',
  'case.transition',
  'exhibit.added',
  'assessment.set',
  'remedy.drafted',
  'remedy.withdrawn',
  'satisfaction.recorded',
  'escalation.member_assigned',
  'escalation.member_accepted',
  'escalation.member_declined',
  'escalation.disclosure_recorded',
  'ruling.recorded',
  'ruling.signed',
  'ruling.opinion_added',
];

export function buildDossierSnapshot(rows: DossierSourceRows, recipient: DossierRecipient): DossierSnapshot {
  const external = recipient.kind === 'external';
  const users = new Map(rows.users.map((u) => [String(u.id), u]));
  const person = (id: unknown): string => {
    if (id === null || id === undefined) return '';
    const u = users.get(String(id));
    return u ? str(u.display_name) : String(id);
  };
  const personOrNull = (id: unknown) => (id === null || id === undefined ? null : person(id));
  const c = rows.case;
  const pii = external ? (rows.piiValues ?? []) : [];
  const scrub = (t: string) => (external ? scrubValues(t, pii) : t);
  const redactions = external ? live(rows.redactions ?? []) : [];

  const exhibits = live(rows.exhibits)
    .filter((e) => !(external && e.internal_only))
    .map((e): DossierExhibit => {
      const id = String(e.id);
      const spans = redactions.filter((r) => String(r.exhibit_id) === id);
      const records = live(rows.exhibit_records)
        .filter((r) => String(r.exhibit_id) === id)
        .map((r): DossierRecord => {
          const data = obj(r.data);
          if (external) {
            delete data.raw;
            for (const [field, value] of Object.entries(data)) {
              if (typeof value !== 'string') continue;
              const mine = spans.filter((s) => int(s.record_seq) === int(r.seq) && s.field === field);
              data[field] = scrub(mine.length ? applySpans(value, mine.map((s) => ({ start: int(s.start), end: int(s.end) }))) : value);
            }
          }
          return { seq: int(r.seq), kind: str(r.kind), occurredAt: isoOrNull(r.occurred_at), data };
        })
        .sort((a, b) => a.seq - b.seq);
      const metadata = obj(e.metadata);
      if (external) delete metadata.warnings;
      return {
        id,
        exhibitNumber: str(e.exhibit_number),
        side: e.side === 'platform' ? 'platform' : 'complainant',
        type: str(e.type),
        source: str(e.source),
        fileName: scrub(str(e.file_name)),
        mediaType: str(e.media_type),
        size: int(e.size),
        sha256: str(e.blob_sha256),
        description: scrub(str(e.description)),
        internalOnly: e.internal_only === true,
        takenInBy: person(e.taken_in_by),
        takenInAt: iso(e.taken_in_at),
        deviceId: external ? null : strOrNull(e.device_id),
        parseStatus: str(e.parse_status),
        parseError: objOrNull(e.parse_error),
        metadata: external ? (scrubDeep(metadata, scrub) as Record<string, unknown>) : metadata,
        records,
      };
    })
    // C-1, C-2, …, C-10 before R-1: side, then number.
    .sort((a, b) => (a.side === b.side ? int(a.exhibitNumber.split('-')[1]) - int(b.exhibitNumber.split('-')[1]) : a.side === 'complainant' ? -1 : 1));
  const exhibitNumbers = new Map(exhibits.map((e) => [e.id, e.exhibitNumber]));

  const custody = live(rows.custody_entries)
    .filter((r) => exhibitNumbers.has(String(r.exhibit_id)))
    .map((r): DossierCustodyEntry => ({
      seq: str(r.seq),
      exhibitNumber: exhibitNumbers.get(String(r.exhibit_id))!,
      at: iso(r.at),
      actor: str(r.actor_label),
      action: str(r.action).replace(/^custody\./, ''),
      details: external ? (scrubDeep(obj(r.details), scrub) as Record<string, unknown>) : obj(r.details),
      hash: str(r.hash),
    }))
    .sort((a, b) => (BigInt(a.seq) < BigInt(b.seq) ? -1 : BigInt(a.seq) > BigInt(b.seq) ? 1 : 0));

  const members = live(rows.escalation_members);
  const signatures = live(rows.ruling_signatures);
  const opinions = live(rows.ruling_opinions);
  const escalations = live(rows.escalations)
    .map((e): DossierEscalation => {
      const id = String(e.id);
      return {
        id,
        kind: str(e.kind),
        status: str(e.status),
        panelSize: int(e.panel_size),
        reason: scrub(str(e.reason)),
        outcome: strOrNull(e.outcome),
        createdBy: person(e.created_by),
        createdAt: iso(e.created_at),
        closedAt: isoOrNull(e.closed_at),
        members: members
          .filter((m) => String(m.escalation_id) === id)
          .map((m) => ({ name: person(m.user_id), role: str(m.role), seat: strOrNull(m.seat), disclosure: strOrNull(m.disclosure), acceptedAt: isoOrNull(m.accepted_at) }))
          .sort(byAt((m) => m.seat ?? '', (m) => m.name)),
        rulings: live(rows.rulings)
          .filter((r) => String(r.escalation_id) === id)
          .map((r): DossierRuling => {
            const rid = String(r.id);
            return {
              id: rid,
              kind: str(r.kind),
              text: scrub(str(r.text)),
              decidedAt: iso(r.decided_at),
              recordedBy: person(r.recorded_by),
              signatures: signatures
                .filter((s) => String(s.ruling_id) === rid)
                .map((s) => ({ signer: person(s.signer_id), seat: strOrNull(s.seat), signedAt: iso(s.signed_at), signatureHash: str(s.signature_hash) }))
                .sort(byAt((s) => s.signedAt, (s) => s.signer)),
              opinions: opinions
                .filter((o) => String(o.ruling_id) === rid)
                .map((o) => ({ kind: str(o.kind), author: person(o.author_id), body: scrub(str(o.body)), at: iso(o.created_at) }))
                .sort(byAt((o) => o.at, (o) => o.kind)),
            };
          })
          .sort(byAt((r) => r.decidedAt, (r) => r.id)),
      };
    })
    .sort(byAt((e) => e.createdAt, (e) => e.id));

  const timeline = live(rows.case_events)
    .filter((e) => !external || EXTERNAL_EVENT_TYPES.includes(str(e.type)))
    .map((e) => ({ at: iso(e.at), type: str(e.type), actor: external ? null : personOrNull(e.actor_id), payload: external ? (scrubDeep(obj(e.payload), scrub) as Record<string, unknown>) : obj(e.payload), id: str(e.id) }))
    .sort(byAt((e) => e.at, (e) => e.id))
    .map(({ id: _id, ...e }) => e);

  const assignee = c.assignee_id ? users.get(String(c.assignee_id)) : undefined;
  const cplt = rows.complainant;
  const snapshot: Omit<DossierSnapshot, 'asOf'> = {
    format: DOSSIER_FORMAT,
    recipient: { ...recipient },
    case: {
      id: str(c.id),
      caseNumber: str(c.case_number),
      externalRef: external ? null : strOrNull(c.external_ref),
      channel: str(c.channel),
      category: str(c.category),
      subcategory: str(c.subcategory),
      description: scrub(str(c.description)),
      language: str(c.language),
      status: str(c.status),
      tier: str(c.tier),
      priority: str(c.priority),
      urgent: c.urgent === true,
      usdEquivalent: dec(c.usd_equivalent),
      occurredAt: iso(c.occurred_at),
      receivedAt: iso(c.received_at),
      firstResponseDueAt: iso(c.first_response_due_at),
      resolutionDueAt: iso(c.resolution_due_at),
      firstRespondedAt: isoOrNull(c.first_responded_at),
      resolvedAt: isoOrNull(c.resolved_at),
      closedAt: isoOrNull(c.closed_at),
      archivedAt: isoOrNull(c.archived_at),
      handlerSummary: external ? '' : str(c.handler_summary),
      nextAction: external ? '' : str(c.next_action),
      satisfactionScore: intOrNull(c.satisfaction_score),
      satisfactionComment: external ? null : strOrNull(c.satisfaction_comment),
      team: external ? null : rows.team ? str(rows.team.name) : null,
      assignee: external || !c.assignee_id ? null : { id: String(c.assignee_id), name: person(c.assignee_id), role: assignee ? strOrNull(assignee.role) : null },
    },
    amounts: live(rows.case_amounts)
      .map((a) => ({ asset: str(a.asset), amount: dec(a.amount), usdRate: decOrNull(a.usd_rate), usdValue: decOrNull(a.usd_value), id: str(a.id) }))
      .sort(byAt((a) => a.asset, (a) => a.id))
      .map(({ id: _id, ...a }) => a),
    complainant: {
      reference: external ? `complainant:${str(c.case_number)}` : cplt ? str(cplt.exchange_uid) : '',
      vipLevel: external || !cplt ? null : intOrNull(cplt.vip_level),
      region: external || !cplt ? null : strOrNull(cplt.region),
      language: cplt ? strOrNull(cplt.language) : null,
    },
    timeline,
    objections: live(rows.objections)
      .map((o) => ({ at: iso(o.at), reason: scrub(str(o.reason)), recordedBy: external ? '' : person(o.recorded_by) }))
      .sort(byAt((o) => o.at, (o) => o.reason)),
    notes: external
      ? []
      : live(rows.notes)
          .map((n) => ({ at: iso(n.created_at), author: person(n.author_id), body: str(n.body), id: str(n.id) }))
          .sort(byAt((n) => n.at, (n) => n.id))
          .map(({ id: _id, ...n }) => n),
    consultations: external
      ? []
      : live(rows.consultations)
          .map((q) => ({ team: str(q.team), question: str(q.question), askedBy: person(q.asked_by), askedAt: iso(q.asked_at), answer: strOrNull(q.answer), answeredBy: personOrNull(q.answered_by), answeredAt: isoOrNull(q.answered_at), id: str(q.id) }))
          .sort(byAt((q) => q.askedAt, (q) => q.id))
          .map(({ id: _id, ...q }) => q),
    communications: external
      ? []
      : live(rows.communications)
          .map((m) => ({ at: iso(m.at), direction: str(m.direction), channel: str(m.channel), body: str(m.body), recordedBy: person(m.recorded_by), id: str(m.id) }))
          .sort(byAt((m) => m.at, (m) => m.id))
          .map(({ id: _id, ...m }) => m),
    assessments: live(rows.assessments)
      .map((a) => ({
        platformShare: dec(a.platform_share),
        userShare: dec(a.user_share),
        thirdPartyShare: dec(a.third_party_share),
        thirdPartyKind: strOrNull(a.third_party_kind),
        findings: scrub(str(a.findings)),
        author: external ? '' : person(a.author_id),
        createdAt: iso(a.created_at),
        supersededAt: isoOrNull(a.superseded_at),
        id: str(a.id),
      }))
      .sort(byAt((a) => a.createdAt, (a) => a.id))
      .map(({ id: _id, ...a }) => a),
    remedies: live(rows.remedies)
      .map((r) => ({ kind: str(r.kind), asset: strOrNull(r.asset), amount: decOrNull(r.amount), usdValue: decOrNull(r.usd_value), details: scrub(str(r.details)), status: str(r.status), proposedBy: external ? '' : person(r.proposed_by), createdAt: iso(r.created_at), id: str(r.id) }))
      .sort(byAt((r) => r.createdAt, (r) => r.id))
      .map(({ id: _id, ...r }) => r),
    approvals: external
      ? []
      : live(rows.approvals)
          .map((a) => ({ requestedBy: person(a.requested_by), requestedAt: iso(a.requested_at), usdTotal: dec(a.usd_total), thresholdUsd: dec(a.threshold_usd), decision: strOrNull(a.decision), decidedBy: personOrNull(a.decided_by), decidedAt: isoOrNull(a.decided_at), reason: strOrNull(a.reason), id: str(a.id) }))
          .sort(byAt((a) => a.requestedAt, (a) => a.id))
          .map(({ id: _id, ...a }) => a),
    escalations,
    exhibits,
    signals: external
      ? []
      : live(rows.evidence_signals)
          .map((s) => ({ otherCaseNumber: strOrNull(s.other_case_number), sha256: str(s.blob_sha256), kind: str(s.kind), at: iso(s.created_at) }))
          .sort(byAt((s) => s.at, (s) => s.sha256, (s) => s.otherCaseNumber ?? '')),
    custody,
  };
  return { ...snapshot, asOf: latestMoment(snapshot) };
}

/** The latest time anywhere in the case state: what "as of" means for a dossier. */
function latestMoment(s: Omit<DossierSnapshot, 'asOf'>): string {
  let latest = s.case.receivedAt;
  const see = (t: string | null | undefined) => {
    if (t && t > latest) latest = t;
  };
  for (const t of [s.case.firstRespondedAt, s.case.resolvedAt, s.case.closedAt, s.case.archivedAt]) see(t);
  for (const e of s.timeline) see(e.at);
  for (const n of s.notes) see(n.at);
  for (const o of s.objections) see(o.at);
  for (const q of s.consultations) {
    see(q.askedAt);
    see(q.answeredAt);
  }
  for (const m of s.communications) see(m.at);
  for (const a of s.assessments) {
    see(a.createdAt);
    see(a.supersededAt);
  }
  for (const r of s.remedies) see(r.createdAt);
  for (const a of s.approvals) {
    see(a.requestedAt);
    see(a.decidedAt);
  }
  for (const e of s.escalations) {
    see(e.createdAt);
    see(e.closedAt);
    for (const m of e.members) see(m.acceptedAt);
    for (const r of e.rulings) {
      see(r.decidedAt);
      for (const x of r.signatures) see(x.signedAt);
      for (const o of r.opinions) see(o.at);
    }
  }
  for (const e of s.exhibits) see(e.takenInAt);
  for (const c of s.custody) see(c.at);
  return latest;
}
