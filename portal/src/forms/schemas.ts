// The portal's forms, checked with the server's own validators before anything is sent: sign-in as
// server/src/auth/auth.schema.ts `loginInput` takes it, the disclosure as `discloseInput` takes it
// (after the structured answers are written out as one text, disclosure.ts), the answer as
// `answerSeatInput`. The server schemas live in server/ (Node-only), so these are built from the same
// shared validators; test/portal/schemas.test.ts checks both accept and refuse the same inputs.
import { z } from 'zod';
import { text, uuid } from '../../../shared/schemas';
import { completeSetupInput, memberProfileInput, memberTotpCode } from '../../../shared/member-accounts';

/** As the server's `emailAddress`: trimmed and lower-cased before it is checked. */
const emailAddress = z.string().trim().toLowerCase().max(254).pipe(z.email('validation.format.email'));
const totpCode = z
  .string()
  .trim()
  .regex(/^[0-9]{6}$/, 'validation.totp_code_format');

export const signInForm = z.strictObject({
  email: emailAddress,
  password: z.string().min(1).max(1024),
  // Optional as on the server: an account without an authenticator gets its own answer (enrolment_required).
  totpCode: totpCode.optional(),
  /** Instead of the code, when the authenticator is lost (as the server's `recoveryCode`). */
  recoveryCode: z.string().trim().min(1).max(64).optional(),
});

export const DISCLOSURE_QUESTIONS = ['exchange', 'complainant', 'holdings', 'appointments'] as const;
export type DisclosureQuestion = (typeof DISCLOSURE_QUESTIONS)[number];

const disclosureAnswer = z
  .object({
    answer: z.enum(['yes', 'no'], { error: 'portal.disclosure.answer_required' }),
    details: z.string().max(2000),
  })
  .superRefine((v, ctx) => {
    // A "yes" needs the relationship described; a "no" needs nothing more.
    if (v.answer === 'yes' && !text(2000).safeParse(v.details).success) ctx.addIssue({ code: 'custom', path: ['details'], message: 'portal.disclosure.details_required' });
  });

export const disclosureForm = z.strictObject({
  exchange: disclosureAnswer,
  complainant: disclosureAnswer,
  holdings: disclosureAnswer,
  appointments: disclosureAnswer,
  statement: text(4000),
});
export type DisclosureAnswers = z.output<typeof disclosureForm>;

/** As the server's `discloseInput`. */
export const discloseInput = z.strictObject({ memberId: uuid, disclosure: text(10_000) });

/** As the server's `answerSeatInput`. */
export const answerSeatInput = z.strictObject({ memberId: uuid, answer: z.enum(['accept', 'decline']), reason: text(2_000).optional() });

/**
 * The setup form: the server's `completeSetupInput` without what the page adds itself (the token from
 * the link, the language on screen), with the password typed twice. The strength rules beyond the
 * length need the server's list of common passwords, so the server checks those.
 */
export const setupForm = completeSetupInput
  .omit({ token: true, language: true })
  .extend({ passwordConfirm: z.string() })
  .superRefine((v, ctx) => {
    if (v.password !== v.passwordConfirm) ctx.addIssue({ code: 'custom', path: ['passwordConfirm'], message: 'portal.setup.password_mismatch' });
  });

/** As the server's `updateProfileInput` (the same shared schema). */
export const profileForm = memberProfileInput;

/** As the server's `regenerateRecoveryCodesInput`. */
export const regenerateRecoveryCodesForm = z.strictObject({ totpCode: memberTotpCode });
