// The queue's rows, loaded a page at a time as the person scrolls. The list is as long as the query's
// total, with a light placeholder in every slot not loaded yet; only the pages near what is on screen
// are kept (least recently used pages fall back to placeholders), so memory and DOM stay bounded with
// 100,000 cases. A new filter or sort starts a new generation: answers of older ones are dropped.
import { ref, shallowRef, triggerRef } from 'vue';
import type { QueuePage, QueueRow } from '../../../contract/types';
import type { QueueFilter, QueueQueryInput, QueueSort } from '../../../contract/schemas';

export const PAGE_SIZE = 100;
export const MAX_CACHED_PAGES = 24;

export interface Placeholder {
  id: string;
  placeholder: true;
  index: number;
}
export type QueueItem = QueueRow | Placeholder;

export function isPlaceholder(item: QueueItem | undefined): item is Placeholder {
  return !!item && (item as Placeholder).placeholder === true;
}

const placeholder = (index: number): Placeholder => ({ id: `placeholder:${index}`, placeholder: true, index });

export type PageFetcher = (query: QueueQueryInput) => Promise<QueuePage>;

export function createQueueData(fetchPage: PageFetcher, pageSize = PAGE_SIZE, maxPages = MAX_CACHED_PAGES) {
  const rows = shallowRef<QueueItem[]>([]);
  const total = ref(0);
  const loading = ref(false);
  const error = shallowRef<unknown>(null);
  /** The last query sent (for tests and saved views). */
  const lastQuery = shallowRef<QueueQueryInput | null>(null);

  let generation = 0;
  let filter: QueueFilter = {};
  let sort: QueueSort = { column: 'sla_due', direction: 'asc' };
  const loaded = new Map<number, number>(); // page → last use
  const inflight = new Map<number, Promise<void>>();
  let visible: [number, number] = [0, 0];
  let tick = 0;

  function fill(page: number, result: QueuePage) {
    const list = rows.value;
    result.rows.forEach((row, i) => {
      const index = result.offset + i;
      if (index < list.length) list[index] = row;
    });
    loaded.set(page, ++tick);
  }

  function resize(newTotal: number) {
    total.value = newTotal;
    rows.value = Array.from({ length: newTotal }, (_, i) => placeholder(i));
    loaded.clear();
  }

  async function load(page: number, gen: number): Promise<void> {
    const query: QueueQueryInput = { filter, sort, offset: page * pageSize, limit: pageSize };
    lastQuery.value = query;
    const result = await fetchPage(query);
    if (gen !== generation) return;
    if (result.total !== total.value) {
      // The list grew or shrank meanwhile: rebuild it and load what is on screen again.
      resize(result.total);
      fill(page, result);
      triggerRef(rows);
      void ensureRange(visible[0], visible[1]);
      return;
    }
    fill(page, result);
    evict();
    triggerRef(rows);
  }

  function loadPage(page: number): Promise<void> {
    const existing = inflight.get(page);
    if (existing) return existing;
    const gen = generation;
    const p = load(page, gen)
      .catch((e: unknown) => {
        if (gen === generation) error.value = e;
      })
      .finally(() => inflight.delete(page));
    inflight.set(page, p);
    return p;
  }

  function evict() {
    if (loaded.size <= maxPages) return;
    const keep = new Set<number>();
    for (let p = Math.floor(visible[0] / pageSize); p <= Math.floor(visible[1] / pageSize); p++) keep.add(p);
    const byAge = [...loaded.entries()].filter(([p]) => !keep.has(p)).sort((a, b) => a[1] - b[1]);
    const list = rows.value;
    while (loaded.size > maxPages && byAge.length) {
      const [page] = byAge.shift()!;
      loaded.delete(page);
      for (let i = page * pageSize; i < Math.min(list.length, (page + 1) * pageSize); i++) list[i] = placeholder(i);
    }
  }

  /** Loads the pages covering rows start..end (inclusive), and marks them recently used. */
  async function ensureRange(start: number, end: number): Promise<void> {
    visible = [Math.max(0, start), Math.max(0, end)];
    if (total.value === 0) return;
    const first = Math.floor(Math.max(0, start) / pageSize);
    const last = Math.floor(Math.min(total.value - 1, Math.max(start, end)) / pageSize);
    const waits: Promise<void>[] = [];
    for (let p = first; p <= last; p++) {
      if (loaded.has(p)) loaded.set(p, ++tick);
      else waits.push(loadPage(p));
    }
    await Promise.all(waits);
  }

  /** A new query: back to the first page. */
  async function reset(nextFilter: QueueFilter, nextSort: QueueSort): Promise<void> {
    filter = nextFilter;
    sort = nextSort;
    const gen = ++generation;
    inflight.clear();
    loading.value = true;
    error.value = null;
    try {
      const query: QueueQueryInput = { filter, sort, offset: 0, limit: pageSize };
      lastQuery.value = query;
      const first = await fetchPage(query);
      if (gen !== generation) return;
      resize(first.total);
      fill(0, first);
      visible = [0, Math.min(first.total, pageSize) - 1];
      triggerRef(rows);
    } catch (e) {
      if (gen === generation) {
        error.value = e;
        resize(0);
      }
    } finally {
      if (gen === generation) loading.value = false;
    }
  }

  /** Local data changed: reload the pages on screen (the total may have changed too). */
  async function refresh(): Promise<void> {
    const gen = generation;
    const first = Math.floor(visible[0] / pageSize);
    const last = Math.floor(visible[1] / pageSize);
    for (const page of [...loaded.keys()]) if (page < first || page > last) loaded.delete(page);
    const waits: Promise<void>[] = [];
    for (let p = first; p <= last; p++) {
      if (gen !== generation) return;
      waits.push(load(p, gen).catch((e: unknown) => void (error.value = e)));
    }
    if (waits.length === 0) waits.push(load(0, gen).catch((e: unknown) => void (error.value = e)));
    await Promise.all(waits);
  }

  /** The row at an index, when loaded. */
  function rowAt(index: number): QueueRow | null {
    const item = rows.value[index];
    return item && !isPlaceholder(item) ? item : null;
  }

  return { rows, total, loading, error, lastQuery, reset, ensureRange, refresh, rowAt, loadedPages: () => loaded.size };
}

export type QueueData = ReturnType<typeof createQueueData>;
