// Substring search over the cases on this workstation, in Chinese and English alike: LIKE/ILIKE
// '%…%' (case-insensitive, the user's % and _ taken literally) over pg_trgm GIN indexes. Trigrams
// index any script, so '账户被盗' and 'withdraw' use the same indexes; a query shorter than three
// characters (e.g. '被盗') cannot use a trigram and is answered by a scan, with the same result.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { LocalDatabase } from './local-schema';

/** Where a case matched: its own text (number, description, handler summary, next action), its complainant's exchange UID, … */
export const SEARCH_SOURCES = ['cases', 'complainants', 'notes', 'communications', 'exhibits', 'exhibit_records'] as const;
export type SearchSource = (typeof SEARCH_SOURCES)[number];

export interface SearchHit {
  caseId: string;
  caseNumber: string | null;
  /** The tables that matched, in SEARCH_SOURCES order. */
  matchedIn: SearchSource[];
}

export const SEARCH_QUERY_MAX = 200;

/** The ILIKE pattern that finds `query` anywhere, with the LIKE wildcards and the escape character escaped. */
export function substringPattern(query: string): string {
  return '%' + query.replace(/[\\%_]/g, (c) => '\\' + c) + '%';
}

/** Exactly two CJK characters: too short for a trigram, a whole word in Chinese. */
const CJK_PAIR = /^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2}$/u;

/**
 * The case's own row (its text or its complainant's UID) contains `query`, for cases aliased `alias`:
 * LIKE over the lowered `queue_search` (trigram-indexed from three characters), or for a query of
 * two CJK characters the pair among the case's `queue_bigrams` (indexed the same way).
 */
export function caseTextMatches(query: string, alias = 'c'): RawBuilder<boolean> {
  // A CJK pair is in the text exactly when it is one of its bigrams (lowering leaves CJK as it is):
  // the bigram condition alone, so the planner sees one indexed condition it can estimate.
  if (CJK_PAIR.test(query)) return sql<boolean>`${sql.ref(`${alias}.queue_bigrams`)} like ${`% ${query} %`}`;
  return sql<boolean>`${sql.ref(`${alias}.queue_search`)} like lower(${substringPattern(query)})`;
}

export async function searchCases(db: Kysely<LocalDatabase>, query: string, options: { limit?: number } = {}): Promise<SearchHit[]> {
  const q = query.trim().slice(0, SEARCH_QUERY_MAX);
  if (!q) return [];
  const limit = Math.min(Math.max(1, Math.trunc(options.limit ?? 50)), 1000);
  const p = substringPattern(q);
  // Cases whose own row matches (its text or its complainant's UID, both in the lowered
  // `queue_search`) come first, newest first: read in the (received_at, id) index's order and only
  // as far as the limit, so a common word costs a page, not every match. The smaller tables
  // (notes, communications, exhibits, records) add the cases matched only there. Which parts
  // matched is then worked out for the few cases returned.
  const rows = await sql<{ case_id: string; case_number: string | null; own: boolean; in_text: boolean; in_uid: boolean; sources: string[] }>`
    with own as (
      select c.id from cases c where ${caseTextMatches(q)} order by c.received_at desc, c.id desc limit ${limit}
    ),
    elsewhere as (
      select case_id, 'notes' as source from notes where body ilike ${p}
      union all
      select case_id, 'communications' from communications where body ilike ${p}
      union all
      select case_id, 'exhibits' from exhibits where (coalesce(file_name, '') || ' ' || coalesce(description, '')) ilike ${p}
      union all
      select case_id, 'exhibit_records' from exhibit_records where local_json_text(data) ilike ${p}
    ),
    candidates as (
      select id as case_id, true as own from own
      union
      select distinct case_id, false from elsewhere
    )
    select c.id as case_id, c.case_number, bool_or(k.own) as own,
           lower(coalesce(c.case_number, '') || ' ' || coalesce(c.description, '') || ' ' || coalesce(c.handler_summary, '') || ' ' || coalesce(c.next_action, '')) like lower(${p}) as in_text,
           coalesce(lower(c.queue_exchange_uid), '') like lower(${p}) as in_uid,
           coalesce((select array_agg(distinct e.source) from elsewhere e where e.case_id = c.id), '{}') as sources
      from candidates k
      join cases c on c.id = k.case_id
     group by c.id
     order by bool_or(k.own) desc, c.received_at desc, c.id desc
     limit ${limit}`.execute(db);
  return rows.rows.map((r) => {
    // A match across the boundary of two parts of queue_search is still the case's own text.
    const own = r.own ? (r.in_text || r.in_uid ? [...(r.in_text ? ['cases'] : []), ...(r.in_uid ? ['complainants'] : [])] : ['cases']) : [];
    const matched = new Set([...own, ...r.sources]);
    return { caseId: r.case_id, caseNumber: r.case_number, matchedIn: SEARCH_SOURCES.filter((s) => matched.has(s)) };
  });
}
