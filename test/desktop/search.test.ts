// Searching the cases on the workstation by any substring, in Chinese or English: the case's own
// text, its complainant's exchange UID, notes, communications, exhibits and parsed records.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { applyPull } from '../../desktop/main/store/apply-changes';
import { applyLocalMutation } from '../../desktop/main/store/optimistic';
import { caseTextMatches, searchCases, substringPattern } from '../../desktop/main/store/search';
import { ids, openTestStore, pullPage, serverCase, serverRow, type TestStore } from './support';

let store: TestStore;
const C = (n: number) => `00000000-0000-4000-8000-0000000cc${String(n).padStart(3, '0')}`;
const R = (n: number) => `00000000-0000-4000-8000-0000000dd${String(n).padStart(3, '0')}`;

beforeAll(async () => {
  store = await openTestStore();
  await applyPull(
    store.db,
    pullPage([
      { table: 'complainants', row: serverRow({ id: ids.complainant, exchange_uid: 'UID_889900', vip_level: 3, region: 'SG', language: 'zh-CN', created_at: '2026-01-01T00:00:00Z' }) },
      { table: 'complainants', row: serverRow({ id: ids.complainant2, exchange_uid: 'WHALE-42', vip_level: 9, region: 'HK', language: 'en', created_at: '2026-01-01T00:00:00Z' }) },
      { table: 'cases', row: serverCase(C(1), { description: '用户反映账户被盗，资金被转出至陌生地址', received_at: '2026-11-20T01:00:00Z' }) },
      { table: 'cases', row: serverCase(C(2), { description: '合约交易出现严重滑点，成交价远离委托价', complainant_id: ids.complainant2, received_at: '2026-11-20T02:00:00Z' }) },
      { table: 'cases', row: serverCase(C(3), { description: 'Withdrawal delayed for 3 days', received_at: '2026-11-20T03:00:00Z' }) },
      { table: 'cases', row: serverCase(C(4), { description: 'Fee charged was 100% higher than shown', complainant_id: ids.complainant2, received_at: '2026-11-20T04:00:00Z' }) },
      { table: 'cases', row: serverCase(C(5), { description: 'Order ref ORDER_7 failed', complainant_id: ids.complainant2, received_at: '2026-11-20T05:00:00Z' }) },
      { table: 'notes', row: serverRow({ id: R(1), case_id: C(3), author_id: ids.user, body: '已联系链上团队核查提现哈希', created_at: '2026-11-20T06:00:00Z' }) },
      {
        table: 'communications',
        row: serverRow({ id: R(2), case_id: C(5), direction: 'inbound', channel: 'email', body: 'Someone STOLE my funds', recorded_by: ids.user, at: '2026-11-20T06:00:00Z' }),
      },
      {
        table: 'exhibits',
        row: serverRow({
          id: R(3),
          case_id: C(5),
          blob_sha256: 'a'.repeat(64),
          side: 'complainant',
          seq: 1,
          exhibit_number: 'C-1',
          type: 'chat_transcript',
          source: 'upload',
          file_name: 'chat-export.txt',
          media_type: 'text/plain',
          size: '100',
          description: '客服聊天记录',
          internal_only: false,
          taken_in_by: ids.user,
          taken_in_at: '2026-11-20T06:00:00Z',
          device_id: null,
          parse_status: 'parsed',
          parse_error: null,
          metadata: {},
          record_count: 1,
        }),
      },
      {
        table: 'exhibit_records',
        row: serverRow({
          id: R(4),
          exhibit_id: R(3),
          case_id: C(5),
          seq: 1,
          kind: 'chat',
          occurred_at: '2026-11-20T00:00:00Z',
          data: { speaker: 'agent', message: '您的提币申请正在审核中', lines: [{ txid: '0xDEADBEEF' }], amount: 0.5 },
        }),
      },
    ]),
  );
});
afterAll(async () => store?.dispose());

const found = async (q: string) => (await searchCases(store.db, q)).map((h) => [h.caseId, h.matchedIn]);

describe('searchCases', () => {
  it('finds Chinese substrings, two characters and longer', async () => {
    expect(await found('被盗')).toEqual([[C(1), ['cases']]]);
    expect(await found('滑点')).toEqual([[C(2), ['cases']]]);
    expect(await found('账户被盗，资金')).toEqual([[C(1), ['cases']]]);
    expect(await found('核查')).toEqual([[C(3), ['notes']]]);
  });

  it('finds English substrings whatever their case', async () => {
    expect(await found('withdraw')).toEqual([[C(3), ['cases']]]);
    expect(await found('WITHDRAWAL DEL')).toEqual([[C(3), ['cases']]]);
    expect(await found('stole')).toEqual([[C(5), ['communications']]]);
  });

  it('finds by the complainant’s exchange UID, and says which tables matched', async () => {
    const hits = await searchCases(store.db, 'whale');
    // Cases matched on their own text come first, then the newest.
    expect(hits.map((h) => h.caseId)).toEqual([C(5), C(4), C(2)]);
    expect(hits.every((h) => h.matchedIn.join() === 'complainants')).toBe(true);
    expect(hits[0]!.caseNumber).toBe(`ARB-2026-${C(5).slice(-4)}`);
  });

  it('searches the text of exhibits and of their parsed records, not the record’s keys', async () => {
    expect(await found('聊天记录')).toEqual([[C(5), ['exhibits']]]);
    expect(await found('提币申请')).toEqual([[C(5), ['exhibit_records']]]);
    expect(await found('deadbeef')).toEqual([[C(5), ['exhibit_records']]]);
    expect(await found('speaker')).toEqual([]);
  });

  it('takes % and _ literally', async () => {
    expect(substringPattern('100%_x\\')).toBe('%100\\%\\_x\\\\%');
    expect(await found('%')).toEqual([[C(4), ['cases']]]);
    expect(await found('100%')).toEqual([[C(4), ['cases']]]);
    // '_' matches the UID and the order ref that have one, not every character.
    expect((await found('_')).map(([id]) => id).sort()).toEqual([C(1), C(3), C(5)].sort());
    expect(await found('R_7')).toEqual([[C(5), ['cases']]]);
    expect(await found('R_8')).toEqual([]);
    expect(await found('  ')).toEqual([]);
  });

  it('finds what the user just wrote offline, and respects the limit', async () => {
    await applyLocalMutation(store.db, 'updateCaseFields', { caseId: C(3), fields: { handler_summary: '疑似钓鱼网站导致' } }, { seq: 1, userId: ids.user, now: new Date() });
    expect(await found('钓鱼')).toEqual([[C(3), ['cases']]]);
    expect(await searchCases(store.db, 'ARB-2026', { limit: 2 })).toHaveLength(2);
  });

  it('finds a two-character Chinese word through the bigram index, not by reading every case', async () => {
    // Pairs only within a run of CJK: '账户' and '户被' are there; '，资' spans punctuation and is not a pair.
    const [bigrams] = (await sql<{ queue_bigrams: string }>`select queue_bigrams from cases where id = ${C(1)}`.execute(store.db)).rows;
    expect(bigrams!.queue_bigrams).toContain(' 账户 户被 被盗 ');
    expect(bigrams!.queue_bigrams).not.toContain('，');
    expect(await found('户被')).toEqual([[C(1), ['cases']]]);
    // Across punctuation it is no pair, but it is still a substring: found the other way.
    expect(await found('盗，')).toEqual([[C(1), ['cases']]]);
    await sql`set enable_seqscan = off`.execute(store.db);
    try {
      const plan = await sql<{ 'QUERY PLAN': string }>`explain select c.id from cases c where ${caseTextMatches('被盗')}`.execute(store.db);
      expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('cases_queue_bigrams_trgm');
    } finally {
      await sql`reset enable_seqscan`.execute(store.db);
    }
  });

  it('uses the trigram indexes for queries of three characters or more', async () => {
    await sql`set enable_seqscan = off`.execute(store.db);
    try {
      const plan = await sql<{ 'QUERY PLAN': string }>`explain select id from cases where queue_search like lower(${substringPattern('账户被盗')})`.execute(store.db);
      expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('cases_queue_search_trgm');
      const rec = await sql<{ 'QUERY PLAN': string }>`explain select id from exhibit_records where local_json_text(data) ilike ${substringPattern('提币申请')}`.execute(store.db);
      expect(rec.rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('exhibit_records_data_trgm');
    } finally {
      await sql`reset enable_seqscan`.execute(store.db);
    }
  });
});
