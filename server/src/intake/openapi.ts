// The OpenAPI 3.1 document of the intake REST API, served at GET /api/v1/openapi.json.
// The request body schema is generated from the same zod schema the endpoint validates with
// (shared/schemas complaintIntake), so the document cannot drift from the validator; the response
// shapes are zod schemas too, and the tests check real responses against them.
import { z } from 'zod';
import { complaintIntake } from '../../../shared/schemas';
import { AMOUNT_PATTERN, MAX_FRACTION_DIGITS, MAX_INTEGER_DIGITS } from '../../../shared/money';

export const intakeResultSchema = z.strictObject({
  id: z.uuid(),
  caseNumber: z.string().regex(/^ARB-[0-9]{4}-[0-9]{6}$/),
  duplicate: z.boolean(),
});

export const errorIssueSchema = z.object({
  field: z.string(),
  messageKey: z.string(),
  message: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});

export const errorResponseSchema = z.strictObject({
  error: z.strictObject({
    code: z.enum(['bad_input', 'unauthenticated', 'payload_too_large', 'too_many_requests', 'internal']),
    messageKey: z.string(),
    message: z.string(),
    field: z.string().nullable(),
    issues: z.array(errorIssueSchema),
    requestId: z.string(),
  }),
});

type JsonSchema = Record<string, unknown> & { properties?: Record<string, JsonSchema>; items?: JsonSchema };

/** The request body's JSON Schema (2020-12, what OpenAPI 3.1 uses), as validated on input. */
export function complaintIntakeJsonSchema(): JsonSchema {
  const schema = z.toJSONSchema(complaintIntake, { io: 'input', target: 'draft-2020-12' }) as JsonSchema;
  delete schema.$schema;
  const props = schema.properties!;
  // Refinements zod cannot express in JSON Schema, stated in words (and as a pattern where one exists).
  const amount = props.amounts?.items?.properties?.amount;
  if (amount) {
    amount.pattern = AMOUNT_PATTERN.source;
    amount.description = `A plain positive decimal as a string: no sign, exponent or separators, at most ${MAX_INTEGER_DIGITS} integer and ${MAX_FRACTION_DIGITS} fraction digits.`;
    amount.examples = ['0.5', '1200.25', '0.000000000000000001'];
  }
  if (props.amounts) props.amounts.description = 'Claimed amounts, at most one per asset.';
  if (props.subcategory) props.subcategory.description = 'Must belong to the category (e.g. account_takeover under account_security).';
  if (props.description) props.description.description = 'Free text, 1 to 20000 characters after trimming; no control characters other than tab and line breaks.';
  if (props.externalRef) props.externalRef.description = 'The sending system\'s own reference; posting it again with the same key returns the case already made (idempotency).';
  if (props.occurredAt) props.occurredAt.description = 'ISO 8601 date and time with a time zone, e.g. 2026-11-21T09:30:00Z.';
  const name = props.complainant?.properties?.name;
  if (name) name.description = 'Up to 200 characters after trimming.';
  return schema;
}

const jsonSchemaOf = (schema: z.ZodType) => {
  const s = z.toJSONSchema(schema, { io: 'output', target: 'draft-2020-12' }) as JsonSchema;
  delete s.$schema;
  return s;
};

export const EXAMPLE_COMPLAINT = {
  externalRef: 'ticket-2026-118734',
  channel: 'ticket',
  category: 'account_security',
  subcategory: 'account_takeover',
  description: 'Someone logged in from an unknown device and withdrew my BTC.',
  occurredAt: '2026-11-20T22:14:00+08:00',
  urgent: false,
  complainant: { exchangeUid: 'u-88231045', name: '王小明', email: 'wang@example.com', vipLevel: 3, language: 'zh-CN', region: 'SG' },
  amounts: [
    { asset: 'BTC', amount: '0.5' },
    { asset: 'USDT', amount: '1200.25' },
  ],
};

export function buildOpenApiDocument(options: { maxBodyBytes: number }) {
  const errorRef = { $ref: '#/components/schemas/Error' };
  const requestId = { 'x-request-id': { $ref: '#/components/headers/RequestId' } };
  const errorResponse = (description: string, example?: Record<string, unknown>) => ({
    description,
    headers: requestId,
    content: { 'application/json': { schema: errorRef, ...(example ? { example } : {}) } },
  });
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Arbitra intake API',
      version: '1.0.0',
      description:
        'Customer-service systems (live chat, ticket, email, web form, app feedback, social, phone) post complaints; each becomes a case. ' +
        'Errors carry a message key, the offending field as a dotted path (e.g. amounts.0.amount) and a message in the language of Accept-Language (zh-CN or en).',
    },
    servers: [{ url: '/' }],
    security: [{ intakeKey: [] }],
    paths: {
      '/api/v1/complaints': {
        post: {
          operationId: 'postComplaint',
          summary: 'Receive a complaint',
          description:
            `Validates the complaint and opens a case (number, tier, priority, SLA deadlines). Idempotent on externalRef per intake key: ` +
            `posting the same complaint again answers 200 with the case already made and duplicate: true; a different complaint under an ` +
            `externalRef already used answers 409 with the first field that differs. The body is at most ${options.maxBodyBytes} bytes of application/json.`,
          security: [{ intakeKey: [] }],
          parameters: [
            { name: 'Accept-Language', in: 'header', required: false, schema: { type: 'string', examples: ['zh-CN', 'en'] }, description: 'Language of error messages.' },
            { name: 'X-Request-Id', in: 'header', required: false, schema: { type: 'string', pattern: '^[A-Za-z0-9._-]{8,64}$' }, description: 'Your own request id, echoed back and logged.' },
          ],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/ComplaintIntake' }, example: EXAMPLE_COMPLAINT } },
          },
          responses: {
            '201': {
              description: 'A new case was opened.',
              headers: requestId,
              content: { 'application/json': { schema: { $ref: '#/components/schemas/IntakeResult' }, example: { id: '0b5c6a4e-6a53-4c1f-9d3e-2f1a7c8b9d10', caseNumber: 'ARB-2026-000042', duplicate: false } } },
            },
            '200': {
              description: 'This complaint was already received with this key under this externalRef; the existing case is returned and nothing is written.',
              headers: requestId,
              content: { 'application/json': { schema: { $ref: '#/components/schemas/IntakeResult' }, example: { id: '0b5c6a4e-6a53-4c1f-9d3e-2f1a7c8b9d10', caseNumber: 'ARB-2026-000042', duplicate: true } } },
            },
            '409': errorResponse('This externalRef was already received with this key for a different complaint; `field` names the first field that differs. Nothing was written.', {
              error: {
                code: 'conflict',
                messageKey: 'intake.external_ref_conflict',
                message: 'This externalRef was already received (case ARB-2026-000042) with a different description. Send a new externalRef for a new complaint; the existing case was not changed.',
                field: 'description',
                issues: [{ field: 'description', messageKey: 'intake.external_ref_conflict', message: 'This externalRef was already received (case ARB-2026-000042) with a different description. Send a new externalRef for a new complaint; the existing case was not changed.' }],
                requestId: '7d0e8f5c-3b1a-4f4e-8c55-0f3e0d9b2a11',
              },
            }),
            '400': errorResponse('The body is not valid JSON or a field is wrong; `field` and `issues` say which. Nothing was written.', {
              error: {
                code: 'bad_input',
                messageKey: 'validation.amount_format',
                message: 'Write the amount as a plain decimal such as 1250.5 (no sign, exponent or separators).',
                field: 'amounts.0.amount',
                issues: [{ field: 'amounts.0.amount', messageKey: 'validation.amount_format', message: 'Write the amount as a plain decimal such as 1250.5 (no sign, exponent or separators).' }],
                requestId: '7d0e8f5c-3b1a-4f4e-8c55-0f3e0d9b2a11',
              },
            }),
            '401': { ...errorResponse('The intake key is missing, unknown or revoked (messageKey intake.key_invalid).'), headers: { ...requestId, 'www-authenticate': { schema: { type: 'string' } } } },
            '413': errorResponse(`The body is larger than ${options.maxBodyBytes} bytes (messageKey error.payload_too_large).`),
            '415': errorResponse('The body is not sent as application/json (messageKey error.unsupported_media_type).'),
            '429': {
              ...errorResponse('Too many complaints from this key; wait Retry-After seconds (messageKey intake.rate_limited).'),
              headers: { ...requestId, 'retry-after': { schema: { type: 'integer', minimum: 1 }, description: 'Seconds to wait.' } },
            },
            '500': errorResponse('An unexpected failure; quote the requestId to support. Nothing was written.'),
          },
        },
      },
    },
    components: {
      securitySchemes: {
        intakeKey: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'arb_<prefix>_<secret>',
          description: 'An intake key made by an admin; send it as Authorization: Bearer arb_…',
        },
      },
      headers: {
        RequestId: { description: 'The request id; quote it to support.', schema: { type: 'string' } },
      },
      schemas: {
        ComplaintIntake: complaintIntakeJsonSchema(),
        IntakeResult: jsonSchemaOf(intakeResultSchema),
        Error: jsonSchemaOf(errorResponseSchema),
      },
    },
  };
}
