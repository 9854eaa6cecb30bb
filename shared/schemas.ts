// zod schemas shared by the server's entry points and the apps' forms.
import './validation';
import { z } from 'zod';
import { CATEGORIES, CATEGORY_NAMES, CHANNELS, LANGUAGES, VIP_LEVEL_MAX, isSubcategoryOf, SUBCATEGORY_NAMES } from './domain';
import { amountProblem, ASSET_PATTERN } from './money';

/**
 * Why a string cannot be stored as it is, or null: PostgreSQL refuses NUL in text and JSON, and a
 * lone UTF-16 surrogate (half of a character) would be stored as U+FFFD, silently changing it.
 */
export function unstorableProblem(s: string): 'validation.nul_character' | 'validation.lone_surrogate' | null {
  if (s.includes('\u0000')) return 'validation.nul_character';
  if (/\p{Cs}/u.test(s)) return 'validation.lone_surrogate';
  return null;
}

/** The first string inside a JSON-like value that cannot be stored, with the path of its field. */
export function findUnstorableText(value: unknown, path: readonly (string | number)[] = [], depth = 0): { field: string; messageKey: string } | null {
  if (depth > 64) return null;
  const field = () => path.map(String).join('.') || '(body)';
  if (typeof value === 'string') {
    const problem = unstorableProblem(value);
    return problem ? { field: field(), messageKey: problem } : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorableText(value[i], [...path, i], depth + 1);
      if (found) return found;
    }
    return null;
  }
  // Plain JSON objects only: a stream, a Buffer or a Date is not text someone typed.
  const proto = value && typeof value === 'object' ? Object.getPrototypeOf(value) : undefined;
  if (proto === Object.prototype || proto === null) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const keyProblem = unstorableProblem(k);
      if (keyProblem) return { field: field(), messageKey: keyProblem };
      const found = findUnstorableText(v, [...path, k], depth + 1);
      if (found) return found;
    }
  }
  return null;
}

/** Adds the NUL and lone-surrogate refusals to a string schema (every text field needs them). */
const storable = (schema: z.ZodString) =>
  schema
    .refine((s) => !s.includes('\u0000'), 'validation.nul_character')
    .refine((s) => !/\p{Cs}/u.test(s), 'validation.lone_surrogate');

/** Free text a person typed: trimmed, no NUL or other C0 control characters except tab and newlines, no lone surrogates. */
export const text = (max: number, min = 1) =>
  z
    .string()
    .transform((s) => s.trim())
    .pipe(
      storable(z.string().min(min).max(max))
        // eslint-disable-next-line no-control-regex -- refusing control characters is the point
        .refine((s) => !/[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(s), 'validation.control_characters'),
    );

/** A string that may be empty and is kept as typed (a search, an optional reason): only what cannot be stored is refused. */
export const plainText = (max: number) => storable(z.string().max(max));

/** A search string: trimmed, bounded, storable. */
export const searchText = (max = 200) =>
  z
    .string()
    .transform((s) => s.trim())
    .pipe(plainText(max));

export const amountString = z.string().superRefine((value, ctx) => {
  const problem = amountProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: `validation.${problem}` });
});
export const nonNegativeAmountString = z.string().superRefine((value, ctx) => {
  const problem = amountProblem(value, { allowZero: true });
  if (problem) ctx.addIssue({ code: 'custom', message: `validation.${problem}` });
});

export const assetCode = z.string().regex(ASSET_PATTERN, 'validation.asset_format');

export const claimedAmount = z.strictObject({ asset: assetCode, amount: amountString });
export type ClaimedAmount = z.infer<typeof claimedAmount>;

export const uuid = z.uuid('validation.format.uuid');
export const isoDateTime = z.iso.datetime({ offset: true, message: 'validation.format.datetime' });

export const complainantIntake = z.strictObject({
  exchangeUid: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'validation.exchange_uid_format'),
  name: text(200).optional(),
  email: z.email('validation.format.email').max(254).optional(),
  phone: z.string().regex(/^\+?[0-9][0-9 ()-]{4,31}$/, 'validation.format.phone').optional(),
  idDocumentNumber: z.string().regex(/^[A-Za-z0-9-]{4,40}$/, 'validation.id_document_format').optional(),
  vipLevel: z.int().min(0).max(VIP_LEVEL_MAX).default(0),
  region: z.string().regex(/^[A-Z]{2}$/, 'validation.region_format').optional(),
  language: z.enum(LANGUAGES).default('en'),
});

export const complaintIntake = z
  .strictObject({
    externalRef: z.string().regex(/^[\x21-\x7E]{1,128}$/, 'validation.external_ref_format'),
    channel: z.enum(CHANNELS),
    complainant: complainantIntake,
    category: z.enum(CATEGORY_NAMES as [keyof typeof CATEGORIES, ...(keyof typeof CATEGORIES)[]]),
    subcategory: z.enum(SUBCATEGORY_NAMES as [string, ...string[]]),
    description: text(20_000),
    amounts: z.array(claimedAmount).max(20).default([]),
    occurredAt: isoDateTime,
    urgent: z.boolean().default(false),
  })
  .superRefine((value, ctx) => {
    if (!isSubcategoryOf(value.category, value.subcategory))
      ctx.addIssue({ code: 'custom', path: ['subcategory'], message: 'validation.subcategory_mismatch' });
    const assets = value.amounts.map((a) => a.asset);
    assets.forEach((asset, i) => {
      if (assets.indexOf(asset) !== i) ctx.addIssue({ code: 'custom', path: ['amounts', i, 'asset'], message: 'validation.duplicate_asset' });
    });
  });
export type ComplaintIntake = z.infer<typeof complaintIntake>;
