// The sync protocol between a workstation and the server (see DESIGN.md "Sync").
// Push: intent mutations with a per-device sequence number, applied once each, in order.
// Pull: changed rows since a cursor over (transaction id, change version), never skipping a row
// that commits after a row with a higher version.
import { z } from 'zod';
import {
  addConsultationInput,
  addNoteInput,
  answerConsultationInput,
  classifyInput,
  logCommunicationInput,
  proposeRemedyInput,
  recordSatisfactionInput,
  setAssessmentInput,
  transitionInput,
  withdrawRemedyInput,
} from '../case-inputs';
import { isoDateTime, plainText, text, uuid } from '../schemas';
import { LANGUAGES } from '../domain';

/** Tables a workstation holds, with the primary-key columns that name a row. */
export const SYNCED_TABLES = {
  teams: ['id'],
  users: ['id'],
  complainants: ['id'],
  cases: ['id'],
  case_amounts: ['id'],
  case_events: ['id'],
  notes: ['id'],
  consultations: ['id'],
  communications: ['id'],
  assessments: ['id'],
  remedies: ['id'],
  approvals: ['id'],
  objections: ['id'],
  escalations: ['id'],
  escalation_members: ['id'],
  rulings: ['id'],
  ruling_signatures: ['id'],
  ruling_opinions: ['id'],
  exhibits: ['id'],
  exhibit_records: ['id'],
  evidence_signals: ['id'],
  /** The custody trail, copied from the audit chain: keyed by the entry's place in the chain. */
  custody_entries: ['seq'],
  tiering_rules: ['id'],
  sla_policies: ['tier', 'priority'],
  asset_rates: ['asset', 'effective_at'],
} as const satisfies Record<string, readonly string[]>;
export type SyncedTable = keyof typeof SYNCED_TABLES;
export const SYNCED_TABLE_NAMES = Object.keys(SYNCED_TABLES) as SyncedTable[];

/** Columns never sent to a workstation, whatever the table. */
export const WITHHELD_COLUMNS: Partial<Record<SyncedTable, readonly string[]>> = {
  users: ['password_hash', 'totp_secret', 'totp_enabled_at', 'totp_last_step', 'email'],
  exhibit_records: ['search_text'],
};

/** A row's key as one string: the key columns' values joined by '|'. */
export function rowKey(table: SyncedTable, row: Record<string, unknown>): string {
  return SYNCED_TABLES[table].map((c) => {
    const v = row[c];
    return v instanceof Date ? v.toISOString() : String(v);
  }).join('|');
}

// ---- Mutations -------------------------------------------------------------------------------

/**
 * Field edits a workstation makes offline: last writer (by arrival at the server) wins per field,
 * and the timeline keeps the value each edit replaced.
 */
export const CASE_EDITABLE_FIELDS = ['handler_summary', 'next_action', 'urgent'] as const;
export const updateCaseFieldsInput = z
  .strictObject({
    caseId: uuid,
    fields: z
      .strictObject({
        handler_summary: plainText(20_000).optional(),
        next_action: plainText(2_000).optional(),
        urgent: z.boolean().optional(),
      })
      .refine((f) => Object.keys(f).length > 0, 'validation.required'),
  });

/**
 * A dossier the workstation rendered offline and saved to a file: the server records it on the
 * audit chain and in the custody trail of each exhibit it carries, as it does for its own exports.
 * The device comes from the credential that pushes it, never from the arguments.
 */
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'validation.sha256_format');
export const recordDossierExportInput = z
  .strictObject({
    caseId: uuid,
    /** The dossier ID printed on it: `DOS-` and the first 16 hex digits of the snapshot's hash. */
    documentId: z.string().regex(/^DOS-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}$/, 'validation.dossier_id_format'),
    snapshotSha256: sha256Hex,
    pdfSha256: sha256Hex,
    pdfSize: z.int().min(1).max(Number.MAX_SAFE_INTEGER),
    language: z.enum(LANGUAGES),
    /** The exhibits the dossier carries (its evidence index), each once. */
    exhibitIds: z.array(uuid).max(10_000),
    exportedAt: isoDateTime,
  })
  .superRefine((value, ctx) => {
    const h = value.snapshotSha256.toUpperCase();
    if (value.documentId !== `DOS-${h.slice(0, 4)}-${h.slice(4, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}`)
      ctx.addIssue({ code: 'custom', path: ['documentId'], message: 'validation.dossier_id_mismatch' });
    const seen = new Set<string>();
    value.exhibitIds.forEach((id, i) => {
      if (seen.has(id)) ctx.addIssue({ code: 'custom', path: ['exhibitIds', i], message: 'validation.duplicate_exhibit' });
      seen.add(id);
    });
  });

/** Created rows carry the id the workstation gave them, so its optimistic row and the server's are one. */
const withId = <S extends z.ZodObject>(schema: S) => schema.extend({ id: uuid });

export const MUTATIONS = {
  addNote: withId(addNoteInput),
  addConsultation: withId(addConsultationInput),
  answerConsultation: answerConsultationInput,
  logCommunication: withId(logCommunicationInput),
  setAssessment: setAssessmentInput,
  proposeRemedy: proposeRemedyInput,
  withdrawRemedy: withdrawRemedyInput,
  transition: transitionInput,
  classify: classifyInput,
  recordSatisfaction: recordSatisfactionInput,
  updateCaseFields: updateCaseFieldsInput,
  recordDossierExport: recordDossierExportInput,
} as const;
export type MutationName = keyof typeof MUTATIONS;
export const MUTATION_NAMES = Object.keys(MUTATIONS) as MutationName[];
export type MutationArgs<N extends MutationName> = z.input<(typeof MUTATIONS)[N]>;

export const mutationEnvelope = z.strictObject({
  seq: z.int().min(1).max(Number.MAX_SAFE_INTEGER),
  name: z.enum(MUTATION_NAMES as [MutationName, ...MutationName[]]),
  /** Validated against MUTATIONS[name] by the server when applied: a bad one is rejected, not refused. */
  args: z.record(z.string(), z.unknown()),
  createdAt: z.iso.datetime({ offset: true }),
});
export type MutationEnvelope = z.infer<typeof mutationEnvelope>;

export const pushInput = z.strictObject({
  deviceId: uuid,
  mutations: z.array(mutationEnvelope).min(1).max(500),
});
export type PushInput = z.infer<typeof pushInput>;

export interface MutationOutcome {
  seq: number;
  status: 'applied' | 'rejected';
  /** Set when the same seq had been pushed before: the outcome is the one recorded then. */
  duplicate: boolean;
  reason: { messageKey: string; field: string | null; params: Record<string, string | number> } | null;
}

export interface PushResult {
  lastAppliedSeq: number;
  outcomes: MutationOutcome[];
  /** A mutation skipped ahead of the next expected seq: nothing after it was applied. */
  gap: { expected: number; got: number } | null;
  /**
   * A transaction id (decimal): once a pull cursor's transaction part is at or past it, every row
   * the mutations reported applied here wrote has been pulled. Until then a pull may not bring
   * them yet (a transaction older than theirs still runs on the server), and the workstation keeps
   * showing their previews. Absent from servers that predate it.
   */
  horizon?: string;
}

// ---- Pull ------------------------------------------------------------------------------------

export const pullInput = z.strictObject({
  deviceId: uuid,
  /** Null for a first sync. */
  cursor: z.string().regex(/^[0-9]{1,20}:[0-9]{1,20}$/).nullable(),
  limit: z.int().min(1).max(20_000).default(5_000),
  /** Hash of the user's scope (role and teams) the device last synced under. */
  scope: plainText(128).nullable(),
});
export type PullInput = z.infer<typeof pullInput>;

export interface RowChange {
  table: SyncedTable;
  key: string;
  /** The row as the server has it now, or null when it was deleted (a tombstone). */
  row: Record<string, unknown> | null;
}

export interface PullResult {
  cursor: string;
  hasMore: boolean;
  changes: RowChange[];
  /** Cases the user may no longer see (reassigned away): the device deletes them and their rows. */
  dropCaseIds: string[];
  /** The user's scope changed (role or teams): the device drops everything and pulls from null. */
  reset: boolean;
  scope: string;
}

export const registerDeviceInput = z.strictObject({ name: text(120), platform: plainText(64).default('unknown') });
