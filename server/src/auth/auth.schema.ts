// Inputs of the auth.* procedures, validated at the edge.
import { z } from 'zod';
import { MIN_PASSWORD_LENGTH } from './password';

/** An email address as typed: trimmed and lower-cased before it is checked. */
export const emailAddress = z.string().trim().toLowerCase().max(254).pipe(z.email('validation.format.email'));

/** A password being set: long enough, and bounded so hashing stays cheap. */
export const newPassword = z.string().min(MIN_PASSWORD_LENGTH, 'validation.password_too_weak').max(256);

export const totpCode = z.string().trim().regex(/^[0-9]{6}$/, 'validation.totp_code_format');

export const SESSION_KINDS = ['browser', 'device', 'cli'] as const;

export const loginInput = z.strictObject({
  email: emailAddress,
  password: z.string().min(1).max(1024),
  totpCode: totpCode.optional(),
  /** Instead of a TOTP code when the authenticator is lost: one of the account's recovery codes, used up by signing in. */
  recoveryCode: z.string().trim().min(1).max(64).optional(),
  kind: z.enum(SESSION_KINDS).optional(),
});

export const totpConfirmInput = z.strictObject({ code: totpCode });

export const changePasswordInput = z.strictObject({
  currentPassword: z.string().min(1).max(1024),
  newPassword,
});
