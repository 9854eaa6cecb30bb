// Search, once per case and fast for two Chinese characters.
// - One search text: `queue_search` (the case's own text and its complainant's exchange UID,
//   lowered, trigram-indexed) serves the queue and the global search alike, so the older
//   `search_text` column and its second trigram index over the same text go: every case a pull
//   wrote kept two GIN indexes current for one purpose.
// - Trigrams cannot find a two-character query, and two characters are a whole word in Chinese
//   ('提现', '被盗'): without an index such a search read every case (≈ 100 ms at 100,000).
//   `queue_bigrams` lists every pair of adjacent CJK characters of the search text as its own
//   space-separated word ('提现到账' → ' 提现 现到 到账 '), so a trigram index over it finds the cases
//   holding a pair — the idea of a bigram index, on the pg_trgm the store already has.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists cases_search_trgm`.execute(db);
  await sql`alter table cases drop column if exists search_text`.execute(db);
  await sql`
    create function local_cjk_bigrams(t text) returns text language sql immutable parallel safe as $$
      -- One regular-expression pass finds the runs of CJK; the pairs are cut from each run.
      select coalesce(' ' || string_agg(substr(run[1], i, 2), ' ') || ' ', '')
        from regexp_matches(t, '([㐀-䶿一-鿿豈-﫿]{2,})', 'g') as run,
             generate_series(1, length(run[1]) - 1) as i
    $$`.execute(db);
  // From the columns queue_search is made of (a generated column cannot read another one).
  await sql`alter table cases add column queue_bigrams text generated always as (local_cjk_bigrams(
     coalesce(case_number, '') || ' ' || coalesce(description, '') || ' ' || coalesce(handler_summary, '') || ' ' || coalesce(next_action, '') || ' ' || coalesce(queue_exchange_uid, '')
   )) stored`.execute(db);
  await sql`create index cases_queue_bigrams_trgm on cases using gin (queue_bigrams gin_trgm_ops)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists cases_queue_bigrams_trgm`.execute(db);
  await sql`alter table cases drop column if exists queue_bigrams`.execute(db);
  await sql`drop function if exists local_cjk_bigrams(text)`.execute(db);
  await sql`alter table cases add column search_text text generated always as (
     coalesce(case_number, '') || ' ' || coalesce(description, '') || ' ' || coalesce(handler_summary, '') || ' ' || coalesce(next_action, '')
   ) stored`.execute(db);
  await sql`create index cases_search_trgm on cases using gin (search_text gin_trgm_ops)`.execute(db);
}
