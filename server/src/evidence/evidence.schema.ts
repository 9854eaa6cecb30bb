// Inputs of the evidence procedures and of the upload endpoints.
import { z } from 'zod';
import { EXHIBIT_TYPES } from '../../../shared/evidence';
import { plainText, searchText, text, uuid } from '../../../shared/schemas';
import { fileNameProblem } from './file-name';

export const fileName = z
  .string()
  .max(1024)
  .superRefine((v, ctx) => {
    const problem = fileNameProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: `validation.${problem}` });
  });

export const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'validation.sha256_format');
const side = z.enum(['complainant', 'platform']);
const source = z.string().regex(/^[a-z0-9_.:-]{2,64}$/, 'validation.evidence_source_format');

/** Column names of a generic trade export, for files that are neither OKX nor Binance. */
const mapping = z.record(z.string().regex(/^[a-zA-Z]{1,32}$/), plainText(200)).refine((m) => Object.keys(m).length <= 32, 'validation.too_many');

export const beginUploadInput = z.strictObject({
  caseId: uuid,
  fileName,
  size: z.int().min(0).max(Number.MAX_SAFE_INTEGER),
  sha256,
  side,
  type: z.enum(EXHIBIT_TYPES).optional(),
  source,
  description: plainText(2000).optional(),
  internalOnly: z.boolean().optional(),
  mapping: mapping.optional(),
  deviceId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'validation.device_id_format').optional(),
});

/** Query string of the one-request upload (the body is the file). */
export const singleUploadQuery = z.strictObject({
  fileName,
  side,
  source,
  type: z.enum(EXHIBIT_TYPES).optional(),
  internalOnly: z.enum(['true', 'false']).optional(),
  deviceId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'validation.device_id_format').optional(),
});

export const uploadIdParams = z.strictObject({ uploadId: uuid });
export const exhibitIdParams = z.strictObject({ exhibitId: uuid });
export const caseIdParams = z.strictObject({ caseId: uuid });
export const chunkHeaders = z.object({
  'upload-offset': z.string().regex(/^(0|[1-9][0-9]{0,15})$/, 'validation.upload_offset_format'),
  'x-chunk-sha256': sha256.optional(),
});

export const listExhibitsInput = z.strictObject({ caseId: uuid });
export const exhibitIdInput = z.strictObject({ exhibitId: uuid });
export const recordsInput = z.strictObject({
  exhibitId: uuid,
  search: searchText(200).optional(),
  order: z.enum(['seq', 'time']).default('seq'),
  limit: z.int().min(1).max(1000).default(200),
  offset: z.int().min(0).max(10_000_000).default(0),
});
export const setInternalOnlyInput = z.strictObject({ exhibitId: uuid, internalOnly: z.boolean() });
const PG_INT_MAX = 2_147_483_647;
export const redactInput = z
  .strictObject({
    exhibitId: uuid,
    // Postgres integer columns: a larger number is no record and no offset, not a server error.
    recordSeq: z.int().min(1).max(PG_INT_MAX),
    field: z.string().regex(/^[a-zA-Z]{1,32}$/),
    start: z.int().min(0).max(PG_INT_MAX),
    end: z.int().min(1).max(PG_INT_MAX),
    reason: text(1000),
  })
  .refine((v) => v.end > v.start, { path: ['end'], message: 'validation.span_end_before_start' });
export const externalViewInput = z.strictObject({ caseId: uuid, recipient: text(200) });
