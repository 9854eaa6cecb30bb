// Inputs of the escalation procedures: seats, disclosures, rulings, signatures, opinions.
import { z } from 'zod';
import { text, uuid } from '../../../shared/schemas';
import { MEMBER_SEATS, OPINION_KINDS, RULING_KINDS } from '../../../shared/rulings';

export const forCaseInput = z.strictObject({ caseId: uuid });

export const assignMemberInput = z.strictObject({
  escalationId: uuid,
  userId: uuid,
  /** A panel of three: lawyer, accountant, technical expert (or chair); a sole arbitrator: chair or none; a mediator: none. */
  seat: z.enum(MEMBER_SEATS).nullable().optional(),
});

/** "No conflicts" is a disclosure too: it is the member's statement, written out. */
export const discloseInput = z.strictObject({ memberId: uuid, disclosure: text(10_000) });

export const answerSeatInput = z.strictObject({
  memberId: uuid,
  answer: z.enum(['accept', 'decline']),
  reason: text(2_000).optional(),
});

export const recordRulingInput = z.strictObject({
  escalationId: uuid,
  kind: z.enum(RULING_KINDS),
  text: text(50_000),
  /** An impasse in mediation opens an arbitration: by a sole arbitrator (1) or a panel of three (3). */
  panelSize: z.union([z.literal(1), z.literal(3)]).optional(),
});

export const signRulingInput = z.strictObject({ rulingId: uuid });

export const addOpinionInput = z.strictObject({ rulingId: uuid, kind: z.enum(OPINION_KINDS), body: text(50_000) });
