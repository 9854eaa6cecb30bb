// Inputs of the workstation contract: what the renderer may ask of the engine. The renderer's forms
// validate with the same schemas (and the case mutations with shared/sync/protocol's), so a field
// is refused with the same message key on the screen and at the contract.
import { z } from 'zod';
import { CASE_STATES, CATEGORY_NAMES, CHANNELS, LANGUAGES, PRIORITIES, SUBCATEGORY_NAMES, TIERS, VIP_LEVEL_MAX, type Category } from '../../shared/domain';
import { nonNegativeAmountString, text, uuid } from '../../shared/schemas';
import { MUTATIONS } from '../../shared/sync/protocol';

/** Columns the queue sorts on; each is one indexed expression in the local store. */
export const QUEUE_SORT_COLUMNS = [
  'case_number',
  'status',
  'category',
  'subcategory',
  'tier',
  'priority',
  'sla_due',
  'received_at',
  'usd_equivalent',
  'vip_level',
  'channel',
  'assignee',
  'language',
  'updated_at',
] as const;
export type QueueSortColumn = (typeof QUEUE_SORT_COLUMNS)[number];

/** SLA filters: breached, due within N minutes (not yet breached), or paused (waiting on someone outside). */
export const SLA_FILTERS = ['breached', 'due_within', 'paused'] as const;
export type SlaFilter = (typeof SLA_FILTERS)[number];

const many = <T extends readonly [string, ...string[]]>(values: T) => z.array(z.enum(values)).max(values.length);

export const queueFilterSchema = z
  .strictObject({
    status: many(CASE_STATES).optional(),
    category: many(CATEGORY_NAMES as [Category, ...Category[]]).optional(),
    subcategory: many(SUBCATEGORY_NAMES as [string, ...string[]]).optional(),
    tier: many(TIERS).optional(),
    priority: many(PRIORITIES).optional(),
    channel: many(CHANNELS).optional(),
    language: z.enum(LANGUAGES).optional(),
    sla: z.enum(SLA_FILTERS).optional(),
    /** With sla = due_within: the window, in minutes. */
    slaWithinMinutes: z
      .int()
      .min(1)
      .max(7 * 24 * 60)
      .optional(),
    usdMin: nonNegativeAmountString.optional(),
    usdMax: nonNegativeAmountString.optional(),
    vipMin: z.int().min(0).max(VIP_LEVEL_MAX).optional(),
    vipMax: z.int().min(0).max(VIP_LEVEL_MAX).optional(),
    /** A user id, `me`, or `unassigned`. */
    assignee: z.union([uuid, z.literal('me'), z.literal('unassigned')]).optional(),
    teamId: uuid.optional(),
    /** Chinese or English substring of the case number, exchange uid, subject or description. */
    search: z.string().trim().max(200).optional(),
    /** Only cases with changes the user has not opened yet. */
    unreadOnly: z.boolean().optional(),
  })
  .superRefine((v, ctx) => {
    if (v.sla === 'due_within' && v.slaWithinMinutes === undefined) ctx.addIssue({ code: 'custom', path: ['slaWithinMinutes'], message: 'validation.required' });
    if (v.vipMin !== undefined && v.vipMax !== undefined && v.vipMin > v.vipMax) ctx.addIssue({ code: 'custom', path: ['vipMax'], message: 'workstation.validation.range_reversed' });
  });
export type QueueFilter = z.infer<typeof queueFilterSchema>;

export const queueSortSchema = z.strictObject({
  column: z.enum(QUEUE_SORT_COLUMNS),
  direction: z.enum(['asc', 'desc']),
});
export type QueueSort = z.infer<typeof queueSortSchema>;

/** The queue screen's page: a screen is about 26 rows; 50 cover it and cost the engine and the page half of 100. */
export const QUEUE_PAGE_SIZE = 50;

export const queueQueryInput = z.strictObject({
  filter: queueFilterSchema.default({}),
  sort: queueSortSchema.default({ column: 'sla_due', direction: 'asc' }),
  offset: z.int().min(0).max(10_000_000).default(0),
  limit: z.int().min(1).max(500).default(100),
});
export type QueueQueryInput = z.input<typeof queueQueryInput>;

export const queueCountInput = z.strictObject({ filter: queueFilterSchema.default({}) });
export type QueueCountInput = z.input<typeof queueCountInput>;

export const caseIdInput = z.strictObject({ caseId: uuid });

export const timelineInput = z.strictObject({
  caseId: uuid,
  /** Event type prefixes to keep, e.g. `case.transition`, `note`; all when absent. */
  kinds: z
    .array(z.string().regex(/^[a-z_.]{1,64}$/, 'workstation.validation.event_kind'))
    .max(50)
    .optional(),
});

/** Case mutations as the renderer sends them: the sync protocol's inputs, without the row id the engine assigns. */
const withoutId = <S extends z.ZodType>(schema: S) => (schema instanceof z.ZodObject ? (schema.omit({ id: true } as never) as unknown as S) : schema);
export const caseMutationInputs = {
  addNote: withoutId(MUTATIONS.addNote),
  addConsultation: withoutId(MUTATIONS.addConsultation),
  answerConsultation: MUTATIONS.answerConsultation,
  logCommunication: withoutId(MUTATIONS.logCommunication),
  setAssessment: MUTATIONS.setAssessment,
  proposeRemedy: MUTATIONS.proposeRemedy,
  withdrawRemedy: MUTATIONS.withdrawRemedy,
  transition: MUTATIONS.transition,
  classify: MUTATIONS.classify,
  recordSatisfaction: MUTATIONS.recordSatisfaction,
  updateCaseFields: MUTATIONS.updateCaseFields,
} as const;
export type CaseMutationName = keyof typeof caseMutationInputs;
export const CASE_MUTATION_NAMES = Object.keys(caseMutationInputs) as CaseMutationName[];
export type CaseMutationInput<N extends CaseMutationName> = z.input<(typeof caseMutationInputs)[N]>;

export const signInInput = z.strictObject({
  email: z.string().trim().toLowerCase().max(254).pipe(z.email('validation.format.email')),
  password: z.string().min(1, 'validation.required').max(1024),
  totpCode: z
    .string()
    .trim()
    .regex(/^[0-9]{6}$/, 'validation.totp_code_format')
    .optional(),
  /** This workstation's name as the server lists it (device registration). */
  deviceName: text(120).optional(),
});
export const unlockInput = z.strictObject({ password: z.string().min(1, 'validation.required').max(1024) });

export const rejectionInput = z.strictObject({ seq: z.int().min(1).max(Number.MAX_SAFE_INTEGER) });
/** Retry a refused change, as it was or edited (the same mutation with new arguments). */
export const retryRejectionInput = z.strictObject({
  seq: z.int().min(1).max(Number.MAX_SAFE_INTEGER),
  args: z.record(z.string(), z.unknown()).optional(),
});

/** A draft of long text (a note, findings, a message): autosaved locally so nothing typed is lost. */
export const DRAFT_KEY_PATTERN = /^[a-z][a-zA-Z]{0,40}:[0-9a-f-]{36}(:[a-zA-Z0-9_-]{1,64})?$/;
export const draftKeyInput = z.strictObject({ key: z.string().regex(DRAFT_KEY_PATTERN, 'workstation.validation.draft_key') });
export const saveDraftInput = z.strictObject({
  key: z.string().regex(DRAFT_KEY_PATTERN, 'workstation.validation.draft_key'),
  /** Raw as typed (not trimmed): a draft keeps exactly what the person wrote. */
  text: z.string().max(100_000),
});

export const saveViewInput = z.strictObject({
  id: uuid.optional(),
  name: text(80),
  filter: queueFilterSchema,
  sort: queueSortSchema,
});
export const viewIdInput = z.strictObject({ id: uuid });

/** Online-only work the engine forwards to the server. */
export const assignInput = z.strictObject({ caseId: uuid, assigneeId: uuid, teamId: uuid.optional() });
export const setOnlineInput = z.strictObject({ online: z.boolean() });
