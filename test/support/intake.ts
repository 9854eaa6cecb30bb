// Helpers for the intake REST tests: a valid complaint to start from, a raw POST, and row counts
// of every table a complaint writes to (to prove a refused request wrote nothing).
import type { DB } from '../../server/src/db/database';

export const INTAKE_PATH = '/api/v1/complaints';

let refCounter = 0;
export const uniqueRef = (prefix = 'ref') => `${prefix}-${process.pid}-${Date.now()}-${++refCounter}`;

export function validComplaint(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    externalRef: uniqueRef(),
    channel: 'ticket',
    category: 'account_security',
    subcategory: 'account_takeover',
    description: '  Someone logged in from a new device and withdrew my BTC.  ',
    occurredAt: '2026-11-20T22:14:00+08:00',
    complainant: { exchangeUid: 'u-1001', name: '王小明', email: 'wang@example.com', phone: '+65 8123 4567', vipLevel: 3, language: 'zh-CN', region: 'SG' },
    amounts: [
      { asset: 'BTC', amount: '0.5' },
      { asset: 'USDT', amount: '1200.123456789012345678' },
    ],
    ...overrides,
  };
}

export interface RawResponse {
  status: number;
  headers: Headers;
  json: any;
  text: string;
}

export async function postRaw(
  url: string,
  init: { key?: string | null; authorization?: string; body?: string | Uint8Array; contentType?: string | null; language?: string },
): Promise<RawResponse> {
  const headers: Record<string, string> = {};
  if (init.authorization !== undefined) headers.authorization = init.authorization;
  else if (init.key) headers.authorization = `Bearer ${init.key}`;
  if (init.contentType !== null) headers['content-type'] = init.contentType ?? 'application/json';
  if (init.language) headers['accept-language'] = init.language;
  // Bytes (not a string) so that fetch adds no text/plain content type of its own.
  const body = typeof init.body === 'string' || init.body === undefined ? init.body : new Uint8Array(init.body);
  const res = await fetch(`${url}${INTAKE_PATH}`, { method: 'POST', headers, body });
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: res.status, headers: res.headers, json, text };
}

export const postComplaint = (url: string, key: string, body: unknown, language = 'en') =>
  postRaw(url, { key, body: JSON.stringify(body), language });

export const WRITTEN_TABLES = ['cases', 'complainants', 'complainant_pii', 'case_amounts', 'case_events', 'audit_log', 'case_number_counters'] as const;

/** Rows of every table a complaint writes to; for the case number counters, the numbers handed out. */
export async function rowCounts(db: DB): Promise<Record<(typeof WRITTEN_TABLES)[number], number>> {
  const out = {} as Record<(typeof WRITTEN_TABLES)[number], number>;
  for (const table of WRITTEN_TABLES) {
    const r = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    out[table] = Number(r.n);
  }
  // A case number drawn and rolled back would leave a gap: count the numbers handed out too.
  const used = await db
    .selectFrom('case_number_counters')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<string>('last_number'), eb.val('0')).as('n'))
    .executeTakeFirstOrThrow();
  out.case_number_counters = Number(used.n);
  return out;
}

export const hasChinese = (s: string) => /[\u4e00-\u9fff]/.test(s);
