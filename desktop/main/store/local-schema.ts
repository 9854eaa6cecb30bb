// Row types of the workstation's local store, as Kysely sees them. The synced tables mirror the
// server's (same names, same columns minus WITHHELD_COLUMNS, same types) without foreign keys or
// NOT NULL beyond the key: rows arrive in any order and the server already enforced the rest.
// `numeric` and `bigint` arrive as strings, `timestamptz` as Date, `jsonb` as parsed JSON.
import type { ColumnType, Insertable, Selectable } from 'kysely';
import type { MutationName } from '../../../shared/sync/protocol';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Numeric = ColumnType<string, string, string>;
type BigIntString = ColumnType<string, string | number, string | number>;
type Json<T> = ColumnType<T, T | string, T | string>;

/** Columns every synced table carries: the server's change version and tombstone, and the local mark. */
interface Synced {
  version: BigIntString | null;
  xact_id: string | null;
  deleted_at: Timestamp | null;
  /** The local mutation seq that last touched this row optimistically; null when it is the server's row. */
  pending_seq: number | null;
}

export interface LocalTeams extends Synced {
  id: string;
  name: string | null;
  created_at: Timestamp | null;
}

export interface LocalUsers extends Synced {
  id: string;
  display_name: string | null;
  role: string | null;
  language: string | null;
  disabled_at: Timestamp | null;
  created_at: Timestamp | null;
}

export interface LocalComplainants extends Synced {
  id: string;
  exchange_uid: string | null;
  vip_level: number | null;
  region: string | null;
  language: string | null;
  created_at: Timestamp | null;
}

export interface LocalTieringRules extends Synced {
  id: string;
  name: string | null;
  order: number | null;
  enabled: boolean | null;
  when: Json<Record<string, unknown>> | null;
  then: Json<{ tier: string; priority: string }> | null;
  updated_by: string | null;
  updated_at: Timestamp | null;
}

export interface LocalSlaPolicies extends Synced {
  tier: string;
  priority: string;
  first_response_minutes: number | null;
  resolution_minutes: number | null;
  updated_by: string | null;
  updated_at: Timestamp | null;
}

export interface LocalAssetRates extends Synced {
  asset: string;
  effective_at: Timestamp;
  usd_rate: Numeric | null;
}

export interface LocalCases extends Synced {
  id: string;
  case_number: string | null;
  external_ref: string | null;
  intake_key_id: string | null;
  channel: string | null;
  complainant_id: string | null;
  category: string | null;
  subcategory: string | null;
  description: string | null;
  language: string | null;
  usd_equivalent: Numeric | null;
  urgent: boolean | null;
  tier: string | null;
  priority: string | null;
  tiering_rule_id: string | null;
  status: string | null;
  resume_status: string | null;
  team_id: string | null;
  assignee_id: string | null;
  occurred_at: Timestamp | null;
  received_at: Timestamp | null;
  first_response_due_at: Timestamp | null;
  resolution_due_at: Timestamp | null;
  sla_paused_at: Timestamp | null;
  sla_paused_total_ms: BigIntString | null;
  first_responded_at: Timestamp | null;
  resolved_at: Timestamp | null;
  closed_at: Timestamp | null;
  archived_at: Timestamp | null;
  satisfaction_score: number | null;
  satisfaction_comment: string | null;
  handler_summary: string | null;
  next_action: string | null;
  created_at: Timestamp | null;
  updated_at: Timestamp | null;
  /** Local only, kept by triggers: the complainant's VIP level and exchange UID, the assignee's name (queue filters and sorts). */
  queue_vip_level: ColumnType<number | null, never, never>;
  queue_exchange_uid: ColumnType<string | null, never, never>;
  queue_assignee_name: ColumnType<string | null, never, never>;
  /** Local only, generated: the earliest SLA deadline still open, and the lifecycle and priority ranks. */
  sla_due: ColumnType<Date | null, never, never>;
  /** Local only, generated: the case's own text (number, description, handler summary, next action) and the exchange UID, lowered (queue and global search). */
  queue_search: ColumnType<string, never, never>;
  /** Local only, generated: every pair of adjacent CJK characters of queue_search as a word (' 提现 现到 '), trigram-indexed: two-character search. */
  queue_bigrams: ColumnType<string, never, never>;
  status_rank: ColumnType<number | null, never, never>;
  priority_rank: ColumnType<number | null, never, never>;
}

export interface LocalCaseAmounts extends Synced {
  id: string;
  case_id: string | null;
  asset: string | null;
  amount: Numeric | null;
  usd_rate: Numeric | null;
  usd_value: Numeric | null;
}

export interface LocalCaseEvents extends Synced {
  id: string;
  case_id: string | null;
  type: string | null;
  actor_id: string | null;
  at: Timestamp | null;
  payload: Json<Record<string, unknown>> | null;
}

export interface LocalNotes extends Synced {
  id: string;
  case_id: string | null;
  author_id: string | null;
  body: string | null;
  created_at: Timestamp | null;
}

export interface LocalConsultations extends Synced {
  id: string;
  case_id: string | null;
  team: string | null;
  question: string | null;
  asked_by: string | null;
  asked_at: Timestamp | null;
  answer: string | null;
  answered_by: string | null;
  answered_at: Timestamp | null;
}

export interface LocalCommunications extends Synced {
  id: string;
  case_id: string | null;
  direction: string | null;
  channel: string | null;
  body: string | null;
  recorded_by: string | null;
  at: Timestamp | null;
}

export interface LocalAssessments extends Synced {
  id: string;
  case_id: string | null;
  platform_share: Numeric | null;
  user_share: Numeric | null;
  third_party_share: Numeric | null;
  third_party_kind: string | null;
  findings: string | null;
  author_id: string | null;
  created_at: Timestamp | null;
  superseded_at: Timestamp | null;
}

export interface LocalRemedies extends Synced {
  id: string;
  case_id: string | null;
  kind: string | null;
  asset: string | null;
  amount: Numeric | null;
  usd_value: Numeric | null;
  details: string | null;
  status: string | null;
  proposed_by: string | null;
  created_at: Timestamp | null;
}

export interface LocalApprovals extends Synced {
  id: string;
  case_id: string | null;
  requested_by: string | null;
  requested_at: Timestamp | null;
  usd_total: Numeric | null;
  threshold_usd: Numeric | null;
  decision: string | null;
  decided_by: string | null;
  decided_at: Timestamp | null;
  reason: string | null;
}

export interface LocalObjections extends Synced {
  id: string;
  case_id: string | null;
  reason: string | null;
  recorded_by: string | null;
  at: Timestamp | null;
}

export interface LocalEscalations extends Synced {
  id: string;
  case_id: string | null;
  kind: string | null;
  status: string | null;
  panel_size: number | null;
  reason: string | null;
  outcome: string | null;
  created_by: string | null;
  created_at: Timestamp | null;
  closed_at: Timestamp | null;
}

export interface LocalExhibits extends Synced {
  id: string;
  case_id: string | null;
  blob_sha256: string | null;
  side: string | null;
  seq: number | null;
  exhibit_number: string | null;
  type: string | null;
  source: string | null;
  file_name: string | null;
  media_type: string | null;
  size: BigIntString | null;
  description: string | null;
  internal_only: boolean | null;
  taken_in_by: string | null;
  taken_in_at: Timestamp | null;
  device_id: string | null;
  parse_status: string | null;
  parse_error: Json<Record<string, unknown>> | null;
  metadata: Json<Record<string, unknown>> | null;
  record_count: number | null;
}

export interface LocalExhibitRecords extends Synced {
  id: string;
  exhibit_id: string | null;
  case_id: string | null;
  seq: number | null;
  kind: string | null;
  occurred_at: Timestamp | null;
  data: Json<Record<string, unknown>> | null;
}

export interface LocalEvidenceSignals extends Synced {
  id: string;
  case_id: string | null;
  other_case_id: string | null;
  blob_sha256: string | null;
  kind: string | null;
  created_at: Timestamp | null;
  /** The other case's number: this workstation may not hold that case. */
  other_case_number: string | null;
}

export interface LocalEscalationMembers extends Synced {
  id: string;
  case_id: string | null;
  escalation_id: string | null;
  user_id: string | null;
  role: string | null;
  seat: string | null;
  assigned_by: string | null;
  assigned_at: Timestamp | null;
  disclosure: string | null;
  disclosed_at: Timestamp | null;
  accepted_at: Timestamp | null;
  declined_at: Timestamp | null;
}

export interface LocalRulings extends Synced {
  id: string;
  case_id: string | null;
  escalation_id: string | null;
  kind: string | null;
  text: string | null;
  decided_at: Timestamp | null;
  recorded_by: string | null;
}

export interface LocalRulingSignatures extends Synced {
  id: string;
  case_id: string | null;
  ruling_id: string | null;
  signer_id: string | null;
  seat: string | null;
  signed_at: Timestamp | null;
  signature_hash: string | null;
}

export interface LocalRulingOpinions extends Synced {
  id: string;
  case_id: string | null;
  ruling_id: string | null;
  kind: string | null;
  author_id: string | null;
  body: string | null;
  created_at: Timestamp | null;
}

/** The custody trail of the case's exhibits, as the server copies it from the audit chain. */
export interface LocalCustodyEntries extends Synced {
  seq: BigIntString;
  case_id: string | null;
  exhibit_id: string | null;
  at: Timestamp | null;
  actor_label: string | null;
  action: string | null;
  details: Json<Record<string, unknown>> | null;
  hash: string | null;
}

// ---- Local-only tables ------------------------------------------------------------------------

export const OUTBOX_STATUSES = ['pending', 'sent', 'applied', 'rejected'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/** Mutations made on this workstation, in seq order; the journal is what makes them durable. */
export interface LocalOutbox {
  seq: number;
  name: MutationName;
  args: Json<Record<string, unknown>>;
  created_at: Timestamp;
  status: ColumnType<OutboxStatus, OutboxStatus | undefined, OutboxStatus>;
}

/** Mutations the server refused, kept until the user has seen (dismissed) them. */
export interface LocalRejections {
  seq: number;
  name: string;
  args: Json<Record<string, unknown>>;
  message_key: string;
  field: string | null;
  params: Json<Record<string, string | number>>;
  at: Timestamp;
  dismissed_at: Timestamp | null;
}

export interface LocalMeta {
  key: string;
  value: Json<unknown>;
}

/**
 * The server's version of a row before local optimistic writes first touched it (`row` null: the
 * row did not exist on the server, it was created locally). Lets optimistic effects be undone and
 * replayed on top of what the server says.
 */
export interface LocalOptimisticBase {
  tbl: string;
  key: string;
  case_id: string | null;
  row: Json<Record<string, unknown>> | null;
}

/** When the user last opened a case: the newest timeline event they had seen then (unread marks). */
export interface LocalReadMarks {
  case_id: string;
  seen_at: Timestamp;
  marked_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** Long text typed on the workstation and not yet sent (a note, findings, a message), by draft key. */
export interface LocalDrafts {
  key: string;
  text: string;
  saved_at: Timestamp;
}

/** The user's own queue views (the built-in ones are not stored). */
export interface LocalSavedViews {
  id: string;
  name: string;
  filter: Json<Record<string, unknown>>;
  sort: Json<Record<string, unknown>>;
  created_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface LocalDatabase {
  teams: LocalTeams;
  users: LocalUsers;
  complainants: LocalComplainants;
  cases: LocalCases;
  case_amounts: LocalCaseAmounts;
  case_events: LocalCaseEvents;
  notes: LocalNotes;
  consultations: LocalConsultations;
  communications: LocalCommunications;
  assessments: LocalAssessments;
  remedies: LocalRemedies;
  approvals: LocalApprovals;
  objections: LocalObjections;
  escalations: LocalEscalations;
  exhibits: LocalExhibits;
  exhibit_records: LocalExhibitRecords;
  evidence_signals: LocalEvidenceSignals;
  escalation_members: LocalEscalationMembers;
  rulings: LocalRulings;
  ruling_signatures: LocalRulingSignatures;
  ruling_opinions: LocalRulingOpinions;
  custody_entries: LocalCustodyEntries;
  tiering_rules: LocalTieringRules;
  sla_policies: LocalSlaPolicies;
  asset_rates: LocalAssetRates;
  outbox: LocalOutbox;
  rejections: LocalRejections;
  meta: LocalMeta;
  optimistic_base: LocalOptimisticBase;
  read_marks: LocalReadMarks;
  drafts: LocalDrafts;
  saved_views: LocalSavedViews;
}

export type LocalCase = Selectable<LocalCases>;
export type OutboxRow = Selectable<LocalOutbox>;
export type NewOutboxRow = Insertable<LocalOutbox>;
export type RejectionRow = Selectable<LocalRejections>;
