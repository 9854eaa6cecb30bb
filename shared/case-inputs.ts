// Inputs of case handling, shared by the server's procedures and the workstation's offline mutations.
import { z } from 'zod';
import {
  CASE_ACTIONS,
  CASE_STATES,
  CATEGORY_NAMES,
  CHANNELS,
  COMMUNICATION_DIRECTIONS,
  CONSULTATION_TEAMS,
  PRIORITIES,
  REMEDY_KINDS,
  MONETARY_REMEDY_KINDS,
  SUBCATEGORY_NAMES,
  THIRD_PARTY_KINDS,
  TIERS,
  isSubcategoryOf,
  type Category,
} from './domain';
import { amountString, assetCode, complaintIntake, plainText, searchText, text, uuid } from './schemas';
import { Money } from './money';

const caseId = uuid;
const categoryEnum = z.enum(CATEGORY_NAMES as [Category, ...Category[]]);
const subcategoryEnum = z.enum(SUBCATEGORY_NAMES as [string, ...string[]]);

export const listCasesInput = z.strictObject({
  status: z.array(z.enum(CASE_STATES)).max(CASE_STATES.length).optional(),
  category: categoryEnum.optional(),
  tier: z.enum(TIERS).optional(),
  assigneeId: uuid.optional(),
  search: searchText(200).optional(),
  limit: z.int().min(1).max(200).default(50),
  offset: z.int().min(0).max(1_000_000).default(0),
});

export const caseIdInput = z.strictObject({ caseId });

/** A case entered by hand (a phone call, a walk-in letter): the same shape as REST intake. */
export const createCaseInput = complaintIntake;

export const classifyInput = z
  .strictObject({
    caseId,
    category: categoryEnum,
    subcategory: subcategoryEnum,
    tier: z.enum(TIERS),
    priority: z.enum(PRIORITIES),
    urgent: z.boolean().optional(),
    /** Why the tier or priority differs from the tiering rule's suggestion: kept on the classification event. */
    overrideReason: text(2000).optional(),
  })
  .superRefine((v, ctx) => {
    if (!isSubcategoryOf(v.category, v.subcategory)) ctx.addIssue({ code: 'custom', path: ['subcategory'], message: 'validation.subcategory_mismatch' });
  });

export const assignInput = z.strictObject({ caseId, assigneeId: uuid, teamId: uuid.optional() });

export const transitionInput = z.strictObject({
  caseId,
  action: z.enum(CASE_ACTIONS),
  expectedStatus: z.enum(CASE_STATES),
  reason: plainText(5000).optional(),
  panelSize: z.union([z.literal(1), z.literal(3)]).optional(),
});

export const addNoteInput = z.strictObject({ caseId, body: text(20_000) });
export const addConsultationInput = z.strictObject({ caseId, team: z.enum(CONSULTATION_TEAMS), question: text(10_000) });
export const answerConsultationInput = z.strictObject({ consultationId: uuid, answer: text(20_000) });
export const logCommunicationInput = z.strictObject({ caseId, direction: z.enum(COMMUNICATION_DIRECTIONS), channel: z.enum(CHANNELS), body: text(20_000) });

const share = z.string().regex(/^(100(\.0{1,2})?|[0-9]{1,2}(\.[0-9]{1,2})?)$/, 'validation.fault_share_format');
export const setAssessmentInput = z
  .strictObject({
    caseId,
    platformShare: share,
    userShare: share,
    thirdPartyShare: share,
    thirdPartyKind: z.enum(THIRD_PARTY_KINDS).optional(),
    findings: text(50_000),
  })
  .superRefine((v, ctx) => {
    // Shares are checked as decimals: 33.33 + 33.33 + 33.34 is 100, and no float rounding decides it.
    const parts = [v.platformShare, v.userShare, v.thirdPartyShare];
    if (parts.every((p) => /^[0-9.]+$/.test(p)) && !parts.reduce((a, p) => a.plus(new Money(p)), new Money(0)).equals(100))
      ctx.addIssue({ code: 'custom', path: ['platformShare'], message: 'validation.fault_shares_sum' });
  });

export const proposeRemedyInput = z
  .strictObject({
    caseId,
    kind: z.enum(REMEDY_KINDS),
    asset: assetCode.optional(),
    amount: amountString.optional(),
    details: plainText(10_000).default(''),
  })
  .superRefine((v, ctx) => {
    const monetary = (MONETARY_REMEDY_KINDS as readonly string[]).includes(v.kind);
    if (monetary && !v.asset) ctx.addIssue({ code: 'custom', path: ['asset'], message: 'validation.remedy_amount_required' });
    if (monetary && !v.amount) ctx.addIssue({ code: 'custom', path: ['amount'], message: 'validation.remedy_amount_required' });
    if (!monetary && (v.asset || v.amount)) ctx.addIssue({ code: 'custom', path: [v.amount ? 'amount' : 'asset'], message: 'validation.remedy_amount_not_allowed' });
  });

export const withdrawRemedyInput = z.strictObject({ remedyId: uuid });
export const recordSatisfactionInput = z.strictObject({ caseId, score: z.int().min(1).max(5), comment: text(5000).optional() });
export const recordRelationInput = z.strictObject({
  userId: uuid,
  exchangeUid: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'validation.exchange_uid_format'),
  relation: text(500),
});
export const slaDueSoonInput = z.strictObject({ withinMinutes: z.int().min(0).max(7 * 24 * 60) });
