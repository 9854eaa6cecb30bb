// Substring search over the cases on this workstation, in Chinese and English alike: ILIKE
// '%…%' (case-insensitive, the user's % and _ taken literally) over pg_trgm GIN indexes. Trigrams
// index any script, so '账户被盗' and 'withdraw' use the same indexes; a query shorter than three
// characters (e.g. '被盗') cannot use a trigram and is answered by a scan, with the same result.
import { sql, type Kysely } from 'kysely';
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

export async function searchCases(db: Kysely<LocalDatabase>, query: string, options: { limit?: number } = {}): Promise<SearchHit[]> {
  const q = query.trim().slice(0, SEARCH_QUERY_MAX);
  if (!q) return [];
  const limit = Math.min(Math.max(1, Math.trunc(options.limit ?? 50)), 1000);
  const p = substringPattern(q);
  const rows = await sql<{ case_id: string; case_number: string | null; sources: string[] }>`
    with hits as (
      select id as case_id, 'cases' as source from cases where search_text ilike ${p}
      union all
      select c.id, 'complainants' from cases c join complainants k on k.id = c.complainant_id where k.exchange_uid ilike ${p}
      union all
      select case_id, 'notes' from notes where body ilike ${p}
      union all
      select case_id, 'communications' from communications where body ilike ${p}
      union all
      select case_id, 'exhibits' from exhibits where (coalesce(file_name, '') || ' ' || coalesce(description, '')) ilike ${p}
      union all
      select case_id, 'exhibit_records' from exhibit_records where local_json_text(data) ilike ${p}
    )
    select c.id as case_id, c.case_number, array_agg(distinct h.source) as sources
      from hits h
      join cases c on c.id = h.case_id
     group by c.id, c.case_number, c.received_at
     order by bool_or(h.source = 'cases') desc, c.received_at desc nulls last, c.id
     limit ${limit}`.execute(db);
  return rows.rows.map((r) => ({
    caseId: r.case_id,
    caseNumber: r.case_number,
    matchedIn: SEARCH_SOURCES.filter((s) => r.sources.includes(s)),
  }));
}
