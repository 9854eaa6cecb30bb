// Row types of the server database, as Kysely sees them. `numeric` and `bigint` arrive as strings.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Numeric = ColumnType<string, string, string>;
type Json<T> = ColumnType<T, string, string>;

/** Columns every synced table carries; the trigger sets version and xact_id. */
interface Synced {
  version: ColumnType<string, never, never>;
  xact_id: ColumnType<string | null, never, never>;
  deleted_at: Timestamp | null;
}

export interface SettingsTable {
  key: string;
  value: Json<unknown>;
  updated_at: Generated<Date>;
}

export interface TeamsTable extends Synced {
  id: Generated<string>;
  name: string;
  created_at: CreatedAt;
}

export interface UsersTable extends Synced {
  id: Generated<string>;
  email: string;
  display_name: string;
  role: string;
  language: Generated<string>;
  password_hash: string;
  totp_secret: string | null;
  totp_enabled_at: Timestamp | null;
  totp_last_step: ColumnType<string | null, number | string | null, number | string | null>;
  disabled_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface TeamMembersTable {
  team_id: string;
  user_id: string;
}

export interface SessionsTable {
  id: Generated<string>;
  token_hash: string;
  user_id: string;
  kind: Generated<string>;
  totp_verified: Generated<boolean>;
  created_at: CreatedAt;
  last_seen_at: Generated<Date>;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  ip: string | null;
  user_agent: string | null;
  device_id: string | null;
  /** Ends the session when unused this long (null: no idle limit). */
  idle_timeout_seconds: number | null;
}

export interface LoginAttemptsTable {
  id: Generated<string>;
  email: string;
  ip: string;
  succeeded: boolean;
  at: Generated<Date>;
}

export interface IntakeKeysTable {
  id: Generated<string>;
  name: string;
  prefix: string;
  key_hash: string;
  default_team_id: string | null;
  created_by: string | null;
  created_at: CreatedAt;
  revoked_at: Timestamp | null;
}

export interface ComplainantsTable extends Synced {
  id: Generated<string>;
  exchange_uid: string;
  vip_level: Generated<number>;
  region: string | null;
  language: Generated<string>;
  created_at: CreatedAt;
}

export interface ComplainantPiiTable {
  complainant_id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  id_document_number: string | null;
  updated_at: Generated<Date>;
}

export interface HandlerRelationsTable {
  id: Generated<string>;
  user_id: string;
  complainant_id: string;
  relation: string;
  recorded_by: string;
  recorded_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface TieringRulesTable extends Synced {
  id: string;
  name: string;
  order: number;
  enabled: boolean;
  when: Json<Record<string, unknown>>;
  then: Json<{ tier: string; priority: string }>;
  updated_by: string | null;
  updated_at: Generated<Date>;
}

export interface SlaPoliciesTable extends Synced {
  tier: string;
  priority: string;
  first_response_minutes: number;
  resolution_minutes: number;
  updated_by: string | null;
  updated_at: Generated<Date>;
}

export interface AssetRatesTable extends Synced {
  asset: string;
  effective_at: Timestamp;
  usd_rate: Numeric;
}

export interface CaseNumberCountersTable {
  year: number;
  last_number: number;
}

export interface CasesTable extends Synced {
  id: Generated<string>;
  case_number: string;
  external_ref: string | null;
  intake_key_id: string | null;
  channel: string;
  complainant_id: string;
  category: string;
  subcategory: string;
  description: string;
  language: Generated<string>;
  usd_equivalent: Numeric;
  urgent: Generated<boolean>;
  tier: string;
  priority: string;
  tiering_rule_id: string | null;
  status: Generated<string>;
  resume_status: string | null;
  team_id: string | null;
  assignee_id: string | null;
  occurred_at: Timestamp;
  received_at: Timestamp;
  first_response_due_at: Timestamp;
  resolution_due_at: Timestamp;
  sla_paused_at: Timestamp | null;
  sla_paused_total_ms: ColumnType<string, number | string | undefined, number | string>;
  first_responded_at: Timestamp | null;
  resolved_at: Timestamp | null;
  closed_at: Timestamp | null;
  archived_at: Timestamp | null;
  handler_summary: Generated<string>;
  next_action: Generated<string>;
  satisfaction_score: number | null;
  satisfaction_comment: string | null;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

export interface CaseAmountsTable extends Synced {
  id: Generated<string>;
  case_id: string;
  asset: string;
  amount: Numeric;
  usd_rate: Numeric | null;
  usd_value: Numeric | null;
}

export interface CaseEventsTable extends Synced {
  id: Generated<string>;
  case_id: string;
  type: string;
  actor_id: string | null;
  at: Generated<Date>;
  payload: Json<Record<string, unknown>>;
}

export interface NotesTable extends Synced {
  id: Generated<string>;
  case_id: string;
  author_id: string;
  body: string;
  created_at: CreatedAt;
}

export interface ConsultationsTable extends Synced {
  id: Generated<string>;
  case_id: string;
  team: string;
  question: string;
  asked_by: string;
  asked_at: Generated<Date>;
  answer: string | null;
  answered_by: string | null;
  answered_at: Timestamp | null;
}

export interface CommunicationsTable extends Synced {
  id: Generated<string>;
  case_id: string;
  direction: string;
  channel: string;
  body: string;
  recorded_by: string;
  at: Generated<Date>;
}

export interface AssessmentsTable extends Synced {
  id: Generated<string>;
  case_id: string;
  platform_share: Numeric;
  user_share: Numeric;
  third_party_share: Numeric;
  third_party_kind: string | null;
  findings: string;
  author_id: string;
  created_at: CreatedAt;
  superseded_at: Timestamp | null;
}

export interface RemediesTable extends Synced {
  id: Generated<string>;
  case_id: string;
  kind: string;
  asset: string | null;
  amount: Numeric | null;
  usd_value: Numeric | null;
  details: Generated<string>;
  status: Generated<string>;
  proposed_by: string;
  created_at: CreatedAt;
}

export interface ApprovalsTable extends Synced {
  id: Generated<string>;
  case_id: string;
  requested_by: string;
  requested_at: Generated<Date>;
  usd_total: Numeric;
  threshold_usd: Numeric;
  decision: string | null;
  decided_by: string | null;
  decided_at: Timestamp | null;
  reason: string | null;
}

export interface ObjectionsTable extends Synced {
  id: Generated<string>;
  case_id: string;
  reason: string;
  recorded_by: string;
  at: Generated<Date>;
}

export interface EscalationsTable extends Synced {
  id: Generated<string>;
  case_id: string;
  kind: string;
  status: Generated<string>;
  panel_size: Generated<number>;
  reason: string;
  outcome: string | null;
  created_by: string;
  created_at: CreatedAt;
  closed_at: Timestamp | null;
}

export interface AuditLogTable {
  seq: ColumnType<string, string | number, never>;
  at: ColumnType<Date, Date | string, never>;
  actor_id: string | null;
  actor_label: string;
  action: string;
  case_id: string | null;
  entity: string | null;
  entity_id: string | null;
  request_id: string | null;
  details: ColumnType<Record<string, unknown>, string, never>;
  prev_hash: string;
  hash: string;
}

export interface Database extends EvidenceDatabase, SyncDatabase, DossierDatabase, EscalationDatabase, MembersDatabase {
  settings: SettingsTable;
  teams: TeamsTable;
  users: UsersTable;
  team_members: TeamMembersTable;
  sessions: SessionsTable;
  login_attempts: LoginAttemptsTable;
  intake_keys: IntakeKeysTable;
  complainants: ComplainantsTable;
  complainant_pii: ComplainantPiiTable;
  handler_relations: HandlerRelationsTable;
  tiering_rules: TieringRulesTable;
  sla_policies: SlaPoliciesTable;
  asset_rates: AssetRatesTable;
  case_number_counters: CaseNumberCountersTable;
  cases: CasesTable;
  case_amounts: CaseAmountsTable;
  case_events: CaseEventsTable;
  notes: NotesTable;
  consultations: ConsultationsTable;
  communications: CommunicationsTable;
  assessments: AssessmentsTable;
  remedies: RemediesTable;
  approvals: ApprovalsTable;
  objections: ObjectionsTable;
  escalations: EscalationsTable;
  audit_log: AuditLogTable;
}

export type User = Selectable<UsersTable>;
export type CaseRow = Selectable<CasesTable>;
export type NewCase = Insertable<CasesTable>;
export type CaseUpdate = Updateable<CasesTable>;

// ---- Evidence vault ------------------------------------------------------------------------------

export interface BlobsTable {
  sha256: string;
  size: ColumnType<string, number | string, number | string>;
  media_type: string;
  store: string;
  created_at: CreatedAt;
  verified_at: Timestamp | null;
}

export interface UploadsTable {
  id: Generated<string>;
  case_id: string;
  file_name: string;
  declared_size: ColumnType<string, number | string, number | string>;
  declared_sha256: string;
  received_bytes: ColumnType<string, number | string | undefined, number | string>;
  side: string;
  exhibit_type: string | null;
  source: string;
  internal_only: Generated<boolean>;
  mapping: Json<Record<string, unknown> | null> | null;
  device_id: string | null;
  status: Generated<string>;
  exhibit_id: string | null;
  created_by: string;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

export interface ExhibitsTable extends Synced {
  id: Generated<string>;
  case_id: string;
  blob_sha256: string;
  side: string;
  seq: number;
  exhibit_number: string;
  type: string;
  source: string;
  file_name: string;
  media_type: string;
  size: ColumnType<string, number | string, number | string>;
  description: Generated<string>;
  internal_only: Generated<boolean>;
  taken_in_by: string;
  taken_in_at: Timestamp;
  device_id: string | null;
  parse_status: string;
  parse_error: Json<Record<string, unknown> | null> | null;
  metadata: Json<Record<string, unknown>>;
  record_count: Generated<number>;
}

export interface ExhibitRecordsTable extends Synced {
  id: Generated<string>;
  exhibit_id: string;
  case_id: string;
  seq: number;
  kind: string;
  occurred_at: Timestamp | null;
  data: Json<Record<string, unknown>>;
  search_text: Generated<string>;
}

export interface RedactionsTable extends Synced {
  id: Generated<string>;
  exhibit_id: string;
  case_id: string;
  record_seq: number;
  field: string;
  start: number;
  end: number;
  reason: string;
  created_by: string;
  created_at: CreatedAt;
}

export interface EvidenceSignalsTable extends Synced {
  id: Generated<string>;
  case_id: string;
  other_case_id: string;
  blob_sha256: string;
  kind: Generated<string>;
  created_at: CreatedAt;
  /** The other case's number, kept on the row: the workstation may not see that case. */
  other_case_number: string | null;
}

export interface EvidenceDatabase {
  blobs: BlobsTable;
  uploads: UploadsTable;
  exhibits: ExhibitsTable;
  exhibit_records: ExhibitRecordsTable;
  redactions: RedactionsTable;
  evidence_signals: EvidenceSignalsTable;
}

// ---- Sync ----------------------------------------------------------------------------------------

export interface DevicesTable {
  id: Generated<string>;
  user_id: string;
  name: string;
  platform: string;
  last_applied_seq: ColumnType<string, number | string | undefined, number | string>;
  created_at: CreatedAt;
  last_seen_at: Generated<Date>;
  revoked_at: Timestamp | null;
  revoked_by: string | null;
  revoked_reason: string | null;
}

export interface DeviceMutationsTable {
  device_id: string;
  seq: ColumnType<string, number | string, never>;
  name: string;
  args: Json<Record<string, unknown>>;
  status: string;
  reason: Json<Record<string, unknown> | null> | null;
  applied_at: Generated<Date>;
}

export interface ChangeLogTable {
  xact_id: string;
  version: string;
  table_name: string;
  row_key: string;
  case_id: string | null;
  before_team_id: string | null;
  before_assignee_id: string | null;
  deleted: boolean;
  is_update: boolean;
}

export interface SyncDatabase {
  devices: DevicesTable;
  device_mutations: DeviceMutationsTable;
  change_log: ChangeLogTable;
}

// ---- Dossiers ------------------------------------------------------------------------------------

export interface DossiersTable {
  id: Generated<string>;
  case_id: string;
  recipient_user_id: string;
  recipient_kind: 'internal' | 'external';
  language: string;
  /** The canonical snapshot; written as JSON text, read back as an object. */
  snapshot: Json<Record<string, unknown>>;
  snapshot_sha256: string;
  document_id: string;
  status: ColumnType<'queued' | 'rendering' | 'done' | 'failed', 'queued' | 'rendering' | 'done' | 'failed' | undefined, 'queued' | 'rendering' | 'done' | 'failed'>;
  progress: Generated<number>;
  pdf_sha256: string | null;
  pdf_size: ColumnType<string | null, number | string | null | undefined, number | string | null>;
  error: Json<{ messageKey: string; params: Record<string, string | number> } | null> | null;
  requested_by: string;
  requested_at: Generated<Date>;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  /** The renderer that made the PDF (shared/pdf/renderer-fingerprint.ts); null before it was recorded. */
  renderer: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface DossierDatabase {
  dossiers: DossiersTable;
}

// ---- Escalations: seats, rulings, signatures, opinions; the custody trail's synced copy ------------

export interface EscalationMembersTable extends Synced {
  id: Generated<string>;
  case_id: string;
  escalation_id: string;
  user_id: string;
  role: string;
  seat: string | null;
  assigned_by: string;
  assigned_at: Generated<Date>;
  disclosure: string | null;
  disclosed_at: Timestamp | null;
  accepted_at: Timestamp | null;
  declined_at: Timestamp | null;
}

export interface RulingsTable extends Synced {
  id: Generated<string>;
  case_id: string;
  escalation_id: string;
  kind: string;
  text: string;
  decided_at: Timestamp;
  recorded_by: string;
}

export interface RulingSignaturesTable extends Synced {
  id: Generated<string>;
  case_id: string;
  ruling_id: string;
  signer_id: string;
  seat: string | null;
  signed_at: Timestamp;
  signature_hash: string;
}

export interface RulingOpinionsTable extends Synced {
  id: Generated<string>;
  case_id: string;
  ruling_id: string;
  kind: string;
  author_id: string;
  body: string;
  created_at: CreatedAt;
}

/** Written by the database (a trigger on audit_log), never by code. */
export interface CustodyEntriesTable extends Synced {
  seq: ColumnType<string, never, never>;
  case_id: string;
  exhibit_id: string;
  at: Timestamp;
  actor_label: string;
  action: string;
  details: Json<Record<string, unknown>>;
  hash: string;
}

export interface EscalationDatabase {
  escalation_members: EscalationMembersTable;
  rulings: RulingsTable;
  ruling_signatures: RulingSignaturesTable;
  ruling_opinions: RulingOpinionsTable;
  custody_entries: CustodyEntriesTable;
}

export interface MemberInvitationsTable {
  id: Generated<string>;
  email: string;
  role: string;
  language: string;
  token_hash: string;
  invited_by: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
  totp_secret: string | null;
  consumed_at: Timestamp | null;
  user_id: string | null;
  revoked_at: Timestamp | null;
  revoked_by: string | null;
}

export interface RecoveryCodesTable {
  id: Generated<string>;
  user_id: string;
  code_hash: string;
  created_at: CreatedAt;
  used_at: Timestamp | null;
}

export interface MemberProfilesTable {
  user_id: string;
  availability: Generated<string>;
  availability_note: Generated<string>;
  languages: Generated<string[]>;
  areas: Generated<string[]>;
  conflict_companies: Generated<string[]>;
  conflict_people: Generated<string[]>;
  updated_at: Generated<Date>;
}

export interface MembersDatabase {
  member_invitations: MemberInvitationsTable;
  recovery_codes: RecoveryCodesTable;
  member_profiles: MemberProfilesTable;
}
