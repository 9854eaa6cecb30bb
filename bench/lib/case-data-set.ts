// A generated case load for benches, inserted into the server's Postgres with SQL (generate_series)
// the way production rows arrive: through the tables' triggers (version, xact_id, change log), so a
// workstation syncs it like any other data. Deterministic: the same `cases` gives the same rows.
//
// The cases vary over every column the workstation's queue filters and sorts on (status, category
// and subcategory, tier, priority, channel, language, VIP level, assignee, USD amount, SLA due
// times spread around now: some breached, some due within the hour, some paused), and their
// descriptions mix Chinese and English, so a search for '提现' or 'withdrawal' matches a fraction.
import { sql } from 'kysely';
import type { DB } from '../../server/src/db/database';
import { CASE_STATES, CATEGORIES, CHANNELS, PRIORITIES, TIERS } from '../../shared/domain';

/**
 * A deterministic uuid from a label and a number (md5 with the version 4 and RFC 4122 variant
 * nibbles set, as the API's uuid validation wants), so rows can point at each other in SQL.
 */
export const uuidOf = (label: string, n: string) => sql.raw(`overlay(overlay(md5('${label}-' || ${n}) placing '4' from 13) placing '8' from 17)::uuid`);

const pgArray = (values: readonly string[]) => sql.raw(`array[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(',')}]`);

/** Category/subcategory pairs, each a valid pair of shared/domain. */
const PAIRS = Object.entries(CATEGORIES).flatMap(([c, subs]) => subs.map((s) => `${c}/${s}`));
/** Working states only (closed and archived cases are few in a live queue). */
const STATES = CASE_STATES.filter((s) => !['closed', 'archived', 'rejected'].includes(s));

/** Description openings: what complainants write, in both languages. The first line is the queue's subject. */
export const SUBJECTS = [
  '提现一直未到账，已经等了三天',
  'Withdrawal stuck for three days, no reply from support',
  '市价单成交价格偏离报价，要求赔偿差价',
  'Market order filled far from the quoted price during the spike',
  '账户被盗，资金被转走',
  'Account taken over, funds moved to an unknown wallet',
  'P2P 卖家收款后不放币',
  'P2P seller did not release the coins after payment',
  '充值未入账，链上已确认',
  'Deposit not credited although confirmed on chain',
  '强平价格异常，仓位被错误清算',
  'Liquidated at an abnormal price, asks for a review',
] as const;

export interface CaseDataSetOptions {
  cases: number;
  exhibitsPerCase: number;
  eventsPerCase: number;
  teamId: string;
  /** Assignees, round robin; every fifth case stays unassigned. */
  assigneeIds: readonly string[];
  log?: (line: string) => void;
}

export async function seedCaseDataSet(db: DB, o: CaseDataSetOptions): Promise<{ ms: number }> {
  const n = o.cases;
  const log = o.log ?? (() => undefined);
  const t0 = performance.now();
  const secs = (t: number) => `${((performance.now() - t) / 1000).toFixed(2)} s`;
  await sql`
    insert into complainants (id, exchange_uid, vip_level, region, language, created_at)
    select ${uuidOf('complainant', 'i')}, 'bench-uid-' || i, i % 10, (array['SG','HK','AE','DE','BR'])[1 + i % 5], case when i % 3 = 0 then 'zh-CN' else 'en' end,
           now() - (i || ' minutes')::interval
      from generate_series(1, ${n}) i`.execute(db);
  await sql`
    insert into complainant_pii (complainant_id, name, email, phone)
    select ${uuidOf('complainant', 'i')}, '用户 ' || i, 'bench' || i || '@mail.example.com', '+65 8' || lpad(i::text, 7, '0')
      from generate_series(1, ${n}) i`.execute(db);
  log(`  complainants: ${secs(t0)}`);

  let t = performance.now();
  const assignees = o.assigneeIds.length ? o.assigneeIds : [null];
  // SLA due times spread from 2 days ago to 5 days ahead (minutes), so the queue has breached, due-soon and comfortable cases.
  await sql`
    insert into cases (id, case_number, channel, complainant_id, category, subcategory, description, language, usd_equivalent, urgent, tier, priority,
                       status, team_id, assignee_id, occurred_at, received_at, first_response_due_at, resolution_due_at, sla_paused_at, created_at, updated_at,
                       handler_summary, next_action)
    select ${uuidOf('case', 'i')}, 'CMP-2026-' || lpad(i::text, greatest(6, length(i::text)), '0'), (${pgArray(CHANNELS)})[1 + i % ${CHANNELS.length}],
           ${uuidOf('complainant', 'i')}, split_part(p, '/', 1), split_part(p, '/', 2),
           (${pgArray(SUBJECTS)})[1 + i % ${SUBJECTS.length}] || E'\n' ||
             'Case ' || i || ': the complainant describes the problem and attaches screenshots. 用户描述了问题并附上截图，订单号 ' || (100000 + i) || '。',
           case when i % 3 = 0 then 'zh-CN' else 'en' end, round((50 + (i::bigint * 7919) % 250000)::numeric + (i % 100) / 100.0, 2), i % 17 = 0,
           (${pgArray(TIERS)})[1 + i % ${TIERS.length}], (${pgArray(PRIORITIES)})[1 + (i / 3) % ${PRIORITIES.length}],
           s, ${o.teamId}::uuid, case when i % 5 = 0 then null else (${sql.raw(`array[${assignees.map((a) => (a ? `'${a}'::uuid` : 'null::uuid')).join(',')}]`)})[1 + i % ${assignees.length}] end,
           now() - interval '10 days' + (i % 7200 || ' minutes')::interval, now() - interval '8 days' + (i % 7200 || ' minutes')::interval,
           now() - interval '2 days' + ((i * 37) % 10080 || ' minutes')::interval, now() + ((i * 53) % 10080 - 2880 || ' minutes')::interval,
           case when s in ('awaiting_material', 'awaiting_third_party', 'resolution_proposed') then now() - interval '1 hour' end,
           now() - interval '8 days', now() - ((i % 1440) || ' minutes')::interval,
           'Checked the order book at the fill time; waiting for the matching-engine log.', 'Ask risk for the trace'
      from generate_series(1, ${n}) i,
           lateral (select (${pgArray(PAIRS)})[1 + (i * 7) % ${PAIRS.length}] as p, (${pgArray(STATES)})[1 + (i * 11) % ${STATES.length}] as s) v`.execute(db);
  await sql`
    insert into case_amounts (id, case_id, asset, amount, usd_rate, usd_value)
    select ${uuidOf('amount', 'i')}, ${uuidOf('case', 'i')}, 'USDT', c.usd_equivalent, 1, c.usd_equivalent
      from generate_series(1, ${n}) i join cases c on c.id = ${uuidOf('case', 'i')}`.execute(db);
  log(`  cases: ${secs(t)}`);

  t = performance.now();
  const exhibits = n * o.exhibitsPerCase;
  if (exhibits > 0) {
    await sql`
      insert into blobs (sha256, size, media_type, store, created_at)
      select encode(sha256(('bench-blob-' || i)::bytea), 'hex'), 20000 + i, 'text/csv', 'fs', now() - interval '30 days'
        from generate_series(1, ${exhibits}) i`.execute(db);
    await sql`
      insert into exhibits (id, case_id, blob_sha256, side, seq, exhibit_number, type, source, file_name, media_type, size, description, taken_in_by, taken_in_at,
                            parse_status, metadata, record_count)
      select ${uuidOf('exhibit', 'i')}, ${uuidOf('case', `((i - 1) / ${o.exhibitsPerCase} + 1)`)}, encode(sha256(('bench-blob-' || i)::bytea), 'hex'),
             'complainant', (i - 1) % ${o.exhibitsPerCase} + 1, 'C-' || ((i - 1) % ${o.exhibitsPerCase} + 1), 'trade_records', 'live_chat',
             'binance-trades-' || i || '.csv', 'text/csv', 20000 + i, 'Spot trade history exported by the complainant', ${o.assigneeIds[0] ?? null}::uuid, now() - interval '29 days',
             'parsed', jsonb_build_object('format', 'binance_spot_trades', 'rows', 40, 'columns', jsonb_build_array('Date(UTC)','Pair','Side','Price','Executed','Amount','Fee')), 40
        from generate_series(1, ${exhibits}) i`.execute(db);
  }
  log(`  exhibits: ${secs(t)}`);

  t = performance.now();
  const events = n * o.eventsPerCase;
  if (events > 0) {
    await sql`
      insert into case_events (id, case_id, type, actor_id, at, payload)
      select ${uuidOf('event', 'i')}, ${uuidOf('case', `((i - 1) / ${o.eventsPerCase} + 1)`)},
             (array['case.received','case.classified','case.assigned','note.added','communication.logged','consultation.asked','consultation.answered','case.transition','case.fields_updated','note.added'])[1 + (i - 1) % 10],
             ${o.assigneeIds[0] ?? null}::uuid, now() - interval '30 days' + (i || ' seconds')::interval,
             jsonb_build_object('step', (i - 1) % ${o.eventsPerCase} + 1, 'from', 'investigation', 'to', 'assessment',
                                'note', 'Asked the complainant for the order id and the screenshots of the quote; 已联系用户补充材料。')
        from generate_series(1, ${events}) i`.execute(db);
  }
  log(`  timeline events: ${secs(t)}`);
  t = performance.now();
  await sql`vacuum analyze`.execute(db);
  log(`  vacuum analyze: ${secs(t)}`);
  return { ms: performance.now() - t0 };
}
