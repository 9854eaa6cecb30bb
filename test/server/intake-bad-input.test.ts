// Every way an integration can get a complaint wrong: each answers with the right status, a message
// key, the offending field as a dotted path and a message in the caller's language; never a 500,
// and not one row written anywhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import { createIntakeKey, revokeIntakeKey } from '../../server/src/intake/intake-keys.repository';
import { errorResponseSchema } from '../../server/src/intake/openapi';
import { hasChinese, postRaw, rowCounts, validComplaint, type RawResponse } from '../support/intake';

let s: TestServer;
let key: { id: string; key: string; prefix: string };
let revoked: { id: string; key: string; prefix: string };

beforeAll(async () => {
  s = await startTestServer();
  key = await createIntakeKey(s.t.db, { name: 'Helpdesk', defaultTeamId: s.teamId });
  revoked = await createIntakeKey(s.t.db, { name: 'Old helpdesk', defaultTeamId: s.teamId });
  await revokeIntakeKey(s.t.db, revoked.id);
  // One good case first, so "nothing written" is measured against a database that has rows.
  const ok = await postRaw(s.url, { key: key.key, body: JSON.stringify(validComplaint()) });
  expect(ok.status).toBe(201);
});
afterAll(async () => s?.close());

/** validComplaint with a change at a dotted path; `undefined` removes the field. */
function complaintWith(path: string, value: unknown): Record<string, unknown> {
  const body = validComplaint();
  const parts = path.split('.');
  let target: any = body;
  for (const p of parts.slice(0, -1)) target = target[p];
  const last = parts.at(-1)!;
  if (value === undefined) delete target[last];
  else target[last] = value;
  return body;
}
const withAmount = (amount: unknown) => validComplaint({ amounts: [{ asset: 'BTC', amount }] });

interface BadCase {
  name: string;
  status: number;
  messageKey: string;
  field: string | null;
  send: () => { authorization?: string; key?: string | null; body?: string | Uint8Array; contentType?: string | null };
}

const json = (body: unknown) => () => ({ body: JSON.stringify(body) });

const CASES: BadCase[] = [
  // Authentication: checked before the body is read.
  { name: 'missing Authorization header', status: 401, messageKey: 'intake.key_invalid', field: null, send: () => ({ key: null, body: JSON.stringify(validComplaint()) }) },
  { name: 'right prefix, wrong secret', status: 401, messageKey: 'intake.key_invalid', field: null, send: () => ({ key: `arb_${key.prefix}_${'f'.repeat(64)}`, body: JSON.stringify(validComplaint()) }) },
  { name: 'well-formed key nobody issued', status: 401, messageKey: 'intake.key_invalid', field: null, send: () => ({ key: `arb_000000000000_${'0'.repeat(64)}`, body: JSON.stringify(validComplaint()) }) },
  { name: 'not an intake key at all', status: 401, messageKey: 'intake.key_invalid', field: null, send: () => ({ authorization: 'Bearer hello', body: JSON.stringify(validComplaint()) }) },
  { name: 'Basic instead of Bearer', status: 401, messageKey: 'intake.key_invalid', field: null, send: () => ({ authorization: `Basic ${Buffer.from('u:p').toString('base64')}`, body: JSON.stringify(validComplaint()) }) },
  { name: 'revoked key', status: 401, messageKey: 'intake.key_invalid', field: null, send: () => ({ key: revoked.key, body: JSON.stringify(validComplaint()) }) },
  { name: 'missing key and wrong content type: the key is checked first', status: 401, messageKey: 'intake.key_invalid', field: null, send: () => ({ key: null, contentType: 'text/plain', body: 'hello' }) },

  // The body as bytes: content type, JSON syntax, size.
  { name: 'non-JSON body', status: 400, messageKey: 'error.body_not_json', field: null, send: () => ({ body: 'externalRef=abc&channel=email' }) },
  { name: 'malformed JSON (cut short)', status: 400, messageKey: 'error.body_not_json', field: null, send: () => ({ body: JSON.stringify(validComplaint()).slice(0, 40) }) },
  { name: 'malformed JSON (single quotes, trailing comma)', status: 400, messageKey: 'error.body_not_json', field: null, send: () => ({ body: "{'externalRef': 'a',}" }) },
  { name: 'empty body', status: 400, messageKey: 'error.body_not_json', field: null, send: () => ({ body: '' }) },
  { name: 'JSON with a __proto__ key', status: 400, messageKey: 'error.body_not_json', field: null, send: () => ({ body: '{"__proto__": {"isAdmin": true}}' }) },
  { name: 'text/plain content type', status: 415, messageKey: 'error.unsupported_media_type', field: null, send: () => ({ contentType: 'text/plain', body: JSON.stringify(validComplaint()) }) },
  { name: 'form content type', status: 415, messageKey: 'error.unsupported_media_type', field: null, send: () => ({ contentType: 'application/x-www-form-urlencoded', body: 'externalRef=abc' }) },
  { name: 'no content type', status: 415, messageKey: 'error.unsupported_media_type', field: null, send: () => ({ contentType: null, body: Buffer.from(JSON.stringify(validComplaint())) }) },
  { name: 'JSON in a charset other than UTF-8', status: 415, messageKey: 'error.unsupported_media_type', field: null, send: () => ({ contentType: 'application/json; charset=latin1', body: JSON.stringify(validComplaint()) }) },
  {
    name: 'body over 1 MiB',
    status: 413,
    messageKey: 'error.payload_too_large',
    field: null,
    send: () => ({ body: JSON.stringify(validComplaint({ description: 'x'.repeat(1024 * 1024 + 10) })) }),
  },

  // Shapes and types.
  { name: 'a JSON array instead of an object', status: 400, messageKey: 'validation.invalid_type', field: '(body)', send: json([validComplaint()]) },
  { name: 'JSON null', status: 400, messageKey: 'validation.invalid_type', field: '(body)', send: () => ({ body: 'null' }) },
  { name: 'vipLevel as a string "5"', status: 400, messageKey: 'validation.invalid_type', field: 'complainant.vipLevel', send: json(complaintWith('complainant.vipLevel', '5')) },
  { name: 'vipLevel 2.5', status: 400, messageKey: 'validation.invalid_type', field: 'complainant.vipLevel', send: json(complaintWith('complainant.vipLevel', 2.5)) },
  { name: 'vipLevel 10', status: 400, messageKey: 'validation.too_large', field: 'complainant.vipLevel', send: json(complaintWith('complainant.vipLevel', 10)) },
  { name: 'amounts not an array', status: 400, messageKey: 'validation.invalid_type', field: 'amounts', send: json(validComplaint({ amounts: 'BTC:0.5' })) },
  { name: 'amount as a JSON number', status: 400, messageKey: 'validation.invalid_type', field: 'amounts.0.amount', send: json(withAmount(0.5)) },
  { name: 'urgent as "yes"', status: 400, messageKey: 'validation.invalid_type', field: 'urgent', send: json(validComplaint({ urgent: 'yes' })) },
  { name: 'complainant missing', status: 400, messageKey: 'validation.required', field: 'complainant', send: json(complaintWith('complainant', undefined)) },
  { name: 'description missing', status: 400, messageKey: 'validation.required', field: 'description', send: json(complaintWith('description', undefined)) },
  { name: 'channel missing', status: 400, messageKey: 'validation.required', field: 'channel', send: json(complaintWith('channel', undefined)) },
  { name: 'exchangeUid missing', status: 400, messageKey: 'validation.required', field: 'complainant.exchangeUid', send: json(complaintWith('complainant.exchangeUid', undefined)) },

  // Enumerations and the category tree.
  { name: 'channel "fax"', status: 400, messageKey: 'validation.invalid_enum', field: 'channel', send: json(validComplaint({ channel: 'fax' })) },
  { name: 'category "nft"', status: 400, messageKey: 'validation.invalid_enum', field: 'category', send: json(validComplaint({ category: 'nft' })) },
  { name: 'unknown subcategory', status: 400, messageKey: 'validation.invalid_enum', field: 'subcategory', send: json(validComplaint({ subcategory: 'rug_pull' })) },
  { name: 'subcategory of another category', status: 400, messageKey: 'validation.subcategory_mismatch', field: 'subcategory', send: json(validComplaint({ category: 'account_security', subcategory: 'slippage' })) },
  { name: 'language "fr"', status: 400, messageKey: 'validation.invalid_enum', field: 'complainant.language', send: json(complaintWith('complainant.language', 'fr')) },

  // Unknown fields anywhere.
  { name: 'unknown top-level field', status: 400, messageKey: 'validation.unknown_field', field: 'priority', send: json(validComplaint({ priority: 'urgent' })) },
  { name: 'unknown complainant field', status: 400, messageKey: 'validation.unknown_field', field: 'complainant.password', send: json(complaintWith('complainant.password', 'hunter2')) },
  { name: 'unknown amount field', status: 400, messageKey: 'validation.unknown_field', field: 'amounts.0.note', send: json(validComplaint({ amounts: [{ asset: 'BTC', amount: '1', note: 'x' }] })) },

  // Amounts: plain positive decimals as strings, nothing else.
  ...['1e5', '-0', '-1', 'NaN', 'Infinity', '0x10', '.5', '1.', '+1', '1,000', '01', ' 1', '1 ', ''].map(
    (amount): BadCase => ({ name: `amount ${JSON.stringify(amount)}`, status: 400, messageKey: 'validation.amount_format', field: 'amounts.0.amount', send: json(withAmount(amount)) }),
  ),
  { name: 'amount "0"', status: 400, messageKey: 'validation.amount_not_positive', field: 'amounts.0.amount', send: json(withAmount('0')) },
  { name: 'amount "0.000"', status: 400, messageKey: 'validation.amount_not_positive', field: 'amounts.0.amount', send: json(withAmount('0.000')) },
  { name: '40-digit amount', status: 400, messageKey: 'validation.amount_too_many_digits', field: 'amounts.0.amount', send: json(withAmount('1'.repeat(40))) },
  { name: '19 fraction digits', status: 400, messageKey: 'validation.amount_too_many_fraction_digits', field: 'amounts.0.amount', send: json(withAmount(`0.${'1'.repeat(19)}`)) },
  {
    name: '30-digit BTC amount whose USD value cannot be stored',
    status: 400,
    messageKey: 'intake.amount_value_too_large',
    field: 'amounts.0.amount',
    send: json(withAmount('9'.repeat(30))),
  },
  {
    name: 'amounts that fit one by one but not summed',
    status: 400,
    messageKey: 'intake.amount_value_too_large',
    field: 'amounts',
    send: json(validComplaint({ amounts: [{ asset: 'USDT', amount: '9'.repeat(30) }, { asset: 'USDC', amount: '9'.repeat(30) }] })),
  },
  { name: 'asset "btc"', status: 400, messageKey: 'validation.asset_format', field: 'amounts.0.asset', send: json(validComplaint({ amounts: [{ asset: 'btc', amount: '1' }] })) },
  {
    name: 'the same asset twice',
    status: 400,
    messageKey: 'validation.duplicate_asset',
    field: 'amounts.1.asset',
    send: json(validComplaint({ amounts: [{ asset: 'BTC', amount: '1' }, { asset: 'BTC', amount: '2' }] })),
  },
  {
    name: '21 amounts',
    status: 400,
    messageKey: 'validation.too_many',
    field: 'amounts',
    send: json(validComplaint({ amounts: Array.from({ length: 21 }, (_, i) => ({ asset: `AS${i}`, amount: '1' })) })),
  },

  // Formats.
  { name: 'invalid email', status: 400, messageKey: 'validation.format.email', field: 'complainant.email', send: json(complaintWith('complainant.email', 'wang@@example')) },
  { name: 'invalid phone', status: 400, messageKey: 'validation.format.phone', field: 'complainant.phone', send: json(complaintWith('complainant.phone', 'call me')) },
  { name: 'lower-case region', status: 400, messageKey: 'validation.region_format', field: 'complainant.region', send: json(complaintWith('complainant.region', 'sg')) },
  { name: 'externalRef with a space', status: 400, messageKey: 'validation.external_ref_format', field: 'externalRef', send: json(validComplaint({ externalRef: 'ticket 1' })) },
  { name: 'occurredAt without a time zone', status: 400, messageKey: 'validation.format.datetime', field: 'occurredAt', send: json(validComplaint({ occurredAt: '2026-11-20T10:00:00' })) },
  { name: 'occurredAt on 30 February', status: 400, messageKey: 'validation.format.datetime', field: 'occurredAt', send: json(validComplaint({ occurredAt: '2026-02-30T10:00:00Z' })) },
  { name: 'occurredAt as a date only', status: 400, messageKey: 'validation.format.datetime', field: 'occurredAt', send: json(validComplaint({ occurredAt: '2026-11-20' })) },

  // Free text.
  { name: 'empty description', status: 400, messageKey: 'validation.required', field: 'description', send: json(validComplaint({ description: '' })) },
  { name: 'whitespace-only description', status: 400, messageKey: 'validation.required', field: 'description', send: json(validComplaint({ description: ' \n\t ' })) },
  { name: 'description with a NUL byte', status: 400, messageKey: 'validation.nul_character', field: 'description', send: json(validComplaint({ description: 'before\u0000after' })) },
  { name: 'description over 20000 characters', status: 400, messageKey: 'validation.too_long', field: 'description', send: json(validComplaint({ description: '投'.repeat(20_001) })) },
  { name: 'name with an escape character', status: 400, messageKey: 'validation.control_characters', field: 'complainant.name', send: json(complaintWith('complainant.name', 'Wang\u001b[31m')) },
];

async function send(c: BadCase, language: string): Promise<RawResponse> {
  const req = c.send();
  return postRaw(s.url, { key: 'key' in req ? req.key : key.key, authorization: req.authorization, body: req.body, contentType: req.contentType, language });
}

describe('POST /api/v1/complaints refuses bad input cleanly', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const before = await rowCounts(s.t.db);
    const res = await send(c, 'zh-CN');
    expect(res.status, res.text).toBe(c.status);
    const body = errorResponseSchema.parse(res.json);
    expect(body.error.messageKey).toBe(c.messageKey);
    expect(body.error.field).toBe(c.field);
    expect(body.error.requestId).toBe(res.headers.get('x-request-id'));
    expect(hasChinese(body.error.message), body.error.message).toBe(true);
    expect(body.error.message).not.toContain('{');
    if (c.field) {
      expect(body.error.issues[0]).toMatchObject({ field: c.field, messageKey: c.messageKey });
      for (const issue of body.error.issues) expect(hasChinese(issue.message), issue.message).toBe(true);
    }
    if (c.status === 401) expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await rowCounts(s.t.db)).toEqual(before);
  });

  it('answers in English without Accept-Language, and in English for en', async () => {
    for (const language of ['', 'en-GB,en;q=0.9']) {
      const res = await postRaw(s.url, { key: key.key, body: JSON.stringify(validComplaint({ channel: 'fax' })), language: language || undefined });
      expect(res.status).toBe(400);
      expect(res.json.error.message).toBe('Not one of the allowed values: live_chat, ticket, email, web_form, app_feedback, social, phone.');
    }
    const unauth = await postRaw(s.url, { key: null, body: '{}', language: 'en' });
    expect(unauth.json.error.message).toMatch(/intake key is missing, unknown or revoked/);
    const big = await postRaw(s.url, { key: key.key, body: JSON.stringify({ description: 'x'.repeat(1024 * 1024 + 1) }) });
    expect(big.status).toBe(413);
    expect(big.json.error.message).toBe('The request is too large (at most 1048576 bytes).');
  });

  it('lists every problem of a body in issues, in order, each with its field and translated message', async () => {
    const before = await rowCounts(s.t.db);
    const body = validComplaint({ channel: 'fax', urgent: 'no', amounts: [{ asset: 'btc', amount: '1e5' }] });
    (body.complainant as Record<string, unknown>).email = 'nope';
    const res = await postRaw(s.url, { key: key.key, body: JSON.stringify(body), language: 'zh-CN' });
    expect(res.status).toBe(400);
    const fields = res.json.error.issues.map((i: { field: string }) => i.field);
    expect(fields).toEqual(expect.arrayContaining(['channel', 'urgent', 'amounts.0.asset', 'amounts.0.amount', 'complainant.email']));
    expect(res.json.error.field).toBe(fields[0]);
    const byField = Object.fromEntries(res.json.error.issues.map((i: { field: string; message: string }) => [i.field, i.message]));
    expect(byField['amounts.0.amount']).toBe('金额须为普通十进制数，例如 1250.5（不得带正负号、指数或分隔符）。');
    expect(await rowCounts(s.t.db)).toEqual(before);
  });

  it('never answers 500 to a barrage of odd bodies', async () => {
    const bodies = ['[]', '"string"', '42', 'true', '{}', '{"complainant": []}', '{"amounts": [null]}', '{"amounts": [[]]}', '{"a":'.repeat(2000), '\u0000', '{"description": "\\ud800"}'];
    const before = await rowCounts(s.t.db);
    for (const body of bodies) {
      const res = await postRaw(s.url, { key: key.key, body });
      expect(res.status, `${body.slice(0, 40)} → ${res.text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(errorResponseSchema.safeParse(res.json).success).toBe(true);
    }
    expect(await rowCounts(s.t.db)).toEqual(before);
  });
});

describe('rate limit per intake key', () => {
  let limited: TestServer;
  afterAll(async () => limited?.close());

  it('answers 429 with Retry-After once a key has used its allowance, and writes nothing', async () => {
    process.env.ARBITRA_INTAKE_RATE_LIMIT = '3/60';
    try {
      limited = await startTestServer();
    } finally {
      delete process.env.ARBITRA_INTAKE_RATE_LIMIT;
    }
    const k = await createIntakeKey(limited.t.db, { name: 'Chatty', defaultTeamId: null });
    const other = await createIntakeKey(limited.t.db, { name: 'Quiet', defaultTeamId: null });
    for (let i = 0; i < 3; i++) expect((await postRaw(limited.url, { key: k.key, body: JSON.stringify(validComplaint()) })).status).toBe(201);
    const before = await rowCounts(limited.t.db);
    const res = await postRaw(limited.url, { key: k.key, body: JSON.stringify(validComplaint()), language: 'zh-CN' });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const body = errorResponseSchema.parse(res.json);
    expect(body.error).toMatchObject({ code: 'too_many_requests', messageKey: 'intake.rate_limited', field: null });
    expect(hasChinese(body.error.message)).toBe(true);
    expect(await rowCounts(limited.t.db)).toEqual(before);
    // Another key has its own allowance.
    expect((await postRaw(limited.url, { key: other.key, body: JSON.stringify(validComplaint()) })).status).toBe(201);
  });
});
