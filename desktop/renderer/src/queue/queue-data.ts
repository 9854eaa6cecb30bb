// The queue's rows, loaded a page at a time as the person scrolls. The list is as long as the query's
// total, with a light placeholder in every slot not loaded yet; only the pages near what is on screen
// are kept (least recently used pages fall back to placeholders), so memory and DOM stay bounded with
// 100,000 cases. A new filter or sort starts a new generation: answers of older ones are dropped.
//
// The slots are a plain sparse array (a hole where nothing is loaded: no 100,000 placeholder objects
// per query); the table reads them through a view that answers a placeholder for a hole. Every change
// publishes a new view, so the table (which re-renders when its `data` changes, not when an array it
// already holds is written to) shows a page the moment it arrives, after a scroll-bar jump too.
//
// With a count fetcher (the store's `queue.count`), a new query asks for its first page alone and the
// total a moment later: the rows are not held up by a count over every matching case, and a person
// still typing does not pay for counts of words they have already replaced. Until the count arrives
// the list is as long as what is known (`totalKnown` false, shown as "100+"); a short first page is the total.
import { ref, shallowRef } from 'vue';
import type { QueuePage, QueueRow, QueueRowsPage } from '../../../contract/types';
import { QUEUE_PAGE_SIZE, type QueueCountInput, type QueueFilter, type QueueQueryInput, type QueueSort } from '../../../contract/schemas';

export const PAGE_SIZE = QUEUE_PAGE_SIZE;
export const MAX_CACHED_PAGES = 48;
/** How long after a new query's first page the total is asked for (a newer query meanwhile cancels it). */
export const COUNT_DELAY_MS = 250;

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

/** `queue.list` (a page and its total) or, with a count fetcher, `queue.page` (the page alone). */
export type PageFetcher = (query: QueueQueryInput) => Promise<QueuePage | QueueRowsPage>;
const totalOf = (page: QueuePage | QueueRowsPage): number | null => ('total' in page ? page.total : null);
export type CountFetcher = (input: QueueCountInput) => Promise<{ total: number }>;

export interface QueueDataOptions {
  /** Counts apart from the pages (see above; the page fetcher is then `queue.page`); without it every page carries its total. */
  count?: CountFetcher;
  countDelayMs?: number;
}

/** An array index written as a property key ('0', '17'), or -1. */
function indexOf(key: string | symbol): number {
  if (typeof key !== 'string' || key.length === 0 || key.length > 9) return -1;
  const c = key.charCodeAt(0);
  if (c < 48 || c > 57 || (c === 48 && key.length > 1)) return -1;
  for (let i = 1; i < key.length; i++) {
    const d = key.charCodeAt(i);
    if (d < 48 || d > 57) return -1;
  }
  return Number(key);
}

/**
 * The rows as the table reads them: `slots` with a placeholder in every hole (made when read, kept
 * in `placeholders` so the same slot answers the same object until it is loaded).
 */
function rowsView(slots: (QueueRow | undefined)[], placeholders: Map<number, Placeholder>): QueueItem[] {
  return new Proxy(slots, {
    get(target, key, receiver) {
      const i = indexOf(key);
      if (i < 0) return Reflect.get(target, key, receiver) as unknown;
      if (i >= target.length) return undefined;
      const row = target[i];
      if (row) return row;
      let p = placeholders.get(i);
      if (!p) placeholders.set(i, (p = placeholder(i)));
      return p;
    },
    has(target, key) {
      const i = indexOf(key);
      return i >= 0 ? i < target.length : Reflect.has(target, key);
    },
  }) as unknown as QueueItem[];
}

export function createQueueData(fetchPage: PageFetcher, pageSize = PAGE_SIZE, maxPages = MAX_CACHED_PAGES, options: QueueDataOptions = {}) {
  const countDelayMs = options.countDelayMs ?? COUNT_DELAY_MS;
  const counts = options.count ?? null;
  let slots: (QueueRow | undefined)[] = [];
  let placeholders = new Map<number, Placeholder>();
  const rows = shallowRef<QueueItem[]>(rowsView(slots, placeholders));
  /** The list's length: the total, or while `totalKnown` is false, the rows known so far (and a page more when there are more). */
  const total = ref(0);
  const totalKnown = ref(true);
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
  let countTimer: ReturnType<typeof setTimeout> | null = null;
  /** The first page of the newest query while it loads: a refresh waits for it, so an older answer never lands after a newer one. */
  let resetting: Promise<void> | null = null;

  /** A new view of the slots: the table re-renders. */
  function publish() {
    rows.value = rowsView(slots, placeholders);
  }

  function fill(page: number, result: QueuePage | QueueRowsPage) {
    result.rows.forEach((row, i) => {
      const index = result.offset + i;
      if (index < slots.length) {
        slots[index] = row;
        placeholders.delete(index);
      }
    });
    loaded.set(page, ++tick);
  }

  /** The list at a new length: loaded rows past the end are dropped. */
  function setLength(length: number, known: boolean) {
    total.value = length;
    totalKnown.value = known;
    if (slots.length > length) {
      slots.length = length;
      for (const page of [...loaded.keys()]) if (page * pageSize >= length) loaded.delete(page);
    } else if (slots.length < length) {
      slots.length = length;
    }
  }

  /** A new query's list: empty slots (holes), nothing loaded. */
  function resize(length: number, known = true) {
    slots = new Array<QueueRow | undefined>(length);
    placeholders = new Map();
    loaded.clear();
    total.value = length;
    totalKnown.value = known;
  }

  /** What a page without a total tells of the length: a short page ends the list, a full one means more. */
  function learnLength(offset: number, got: number, limit: number) {
    if (totalKnown.value) return;
    if (got < limit) setLength(offset + got, true);
    else if (offset + got + pageSize > total.value) setLength(offset + got + pageSize, false);
  }

  function cancelCount() {
    if (countTimer) clearTimeout(countTimer);
    countTimer = null;
  }

  /** Asks for the total after `delayMs`, unless a newer query comes first. */
  function scheduleCount(gen: number, delayMs = countDelayMs) {
    if (!counts) return;
    cancelCount();
    countTimer = setTimeout(() => {
      countTimer = null;
      if (gen !== generation) return;
      counts({ filter }).then(
        (answer) => {
          if (gen !== generation) return;
          setLength(answer.total, true);
          evict();
          publish();
          void ensureRange(visible[0], visible[1]);
        },
        (e: unknown) => {
          if (gen === generation) error.value = e;
        },
      );
    }, delayMs);
  }

  async function load(page: number, gen: number): Promise<void> {
    const query: QueueQueryInput = { filter, sort, offset: page * pageSize, limit: pageSize };
    lastQuery.value = query;
    const result = await fetchPage(query);
    if (gen !== generation) return;
    const answeredTotal = totalOf(result);
    if (answeredTotal !== null && answeredTotal !== total.value) {
      // The list grew or shrank meanwhile: rebuild it and load what is on screen again.
      resize(answeredTotal);
      fill(page, result);
      publish();
      void ensureRange(visible[0], visible[1]);
      return;
    }
    if (answeredTotal === null) {
      const end = result.offset + result.rows.length;
      const short = result.rows.length < pageSize;
      if (totalKnown.value && short && end !== total.value) {
        // A short page ends the list: it grew or shrank meanwhile to exactly this, unless the page is
        // empty past the start (then the end is somewhere before it: count again).
        if (result.rows.length > 0 || result.offset === 0) setLength(end, true);
        else scheduleCount(gen, 0);
      } else if (totalKnown.value && !short && end >= total.value) {
        // A full page past the known end: the list grew meanwhile (a pull) by this much at least; count again.
        setLength(end + pageSize, false);
        scheduleCount(gen, 0);
      } else learnLength(result.offset, result.rows.length, pageSize);
    }
    fill(page, result);
    evict();
    publish();
  }

  function loadPage(page: number): Promise<void> {
    const existing = inflight.get(page);
    if (existing) return existing;
    const gen = generation;
    const p = load(page, gen)
      .catch((e: unknown) => {
        if (gen === generation) error.value = e;
      })
      .finally(() => {
        if (inflight.get(page) === p) inflight.delete(page);
      });
    inflight.set(page, p);
    return p;
  }

  function evict() {
    if (loaded.size <= maxPages) return;
    const keep = new Set<number>();
    for (let p = Math.floor(visible[0] / pageSize); p <= Math.floor(visible[1] / pageSize); p++) keep.add(p);
    const byAge = [...loaded.entries()].filter(([p]) => !keep.has(p)).sort((a, b) => a[1] - b[1]);
    while (loaded.size > maxPages && byAge.length) {
      const [page] = byAge.shift()!;
      loaded.delete(page);
      for (let i = page * pageSize; i < Math.min(slots.length, (page + 1) * pageSize); i++) slots[i] = undefined;
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
  function reset(nextFilter: QueueFilter, nextSort: QueueSort): Promise<void> {
    const p = resetNow(nextFilter, nextSort).finally(() => {
      if (resetting === p) resetting = null;
    });
    resetting = p;
    return p;
  }

  async function resetNow(nextFilter: QueueFilter, nextSort: QueueSort): Promise<void> {
    filter = nextFilter;
    sort = nextSort;
    const gen = ++generation;
    cancelCount();
    inflight.clear();
    loading.value = true;
    error.value = null;
    try {
      const query: QueueQueryInput = { filter, sort, offset: 0, limit: pageSize };
      lastQuery.value = query;
      const first = await fetchPage(query);
      if (gen !== generation) return;
      const firstTotal = totalOf(first);
      if (firstTotal !== null) resize(firstTotal);
      else if (first.rows.length < pageSize) resize(first.rows.length);
      else {
        resize(first.rows.length + pageSize, false);
        scheduleCount(gen);
      }
      fill(0, first);
      visible = [0, Math.min(total.value, pageSize) - 1];
      publish();
    } catch (e) {
      if (gen === generation) {
        error.value = e;
        resize(0);
        publish();
      }
    } finally {
      if (gen === generation) loading.value = false;
    }
  }

  /** Local data changed: reload the pages on screen (the total may have changed too). */
  async function refresh(): Promise<void> {
    // Data that changed while the first page was being read may be missing from it: read again after it.
    if (resetting) await resetting;
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
    if (counts && gen === generation) scheduleCount(gen, 0);
  }

  /** The row at an index, when loaded. */
  function rowAt(index: number): QueueRow | null {
    return slots[index] ?? null;
  }

  return { rows, total, totalKnown, loading, error, lastQuery, reset, ensureRange, refresh, rowAt, loadedPages: () => loaded.size };
}

export type QueueData = ReturnType<typeof createQueueData>;
