// The queue's state, kept while the person works a case and comes back: filter, search, sort, the
// saved view chosen, the selected row, and the loaded pages (queue/queue-data.ts).
import { defineStore } from 'pinia';
import { computed, markRaw, ref, shallowRef } from 'vue';
import type { QueueFilter, QueueSort } from '../../../contract/schemas';
import type { Directory, SavedView } from '../../../contract/types';
import { useContract } from '../contract';
import { createQueueData, MAX_CACHED_PAGES, PAGE_SIZE } from '../queue/queue-data';

export const DEFAULT_SORT: QueueSort = { column: 'sla_due', direction: 'asc' };

/** A filter without empty parts (so the same filter always reads the same). */
export function cleanFilter(filter: QueueFilter): QueueFilter {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined || value === null || value === '' || value === false) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    out[key] = value;
  }
  return out as QueueFilter;
}

/** How many filters of the panel are set (search and unread-only are counted apart). */
export function countFilters(filter: QueueFilter): number {
  const { search: _s, unreadOnly: _u, slaWithinMinutes: _w, ...rest } = cleanFilter(filter);
  return Object.keys(rest).length;
}

export const useQueueStore = defineStore('queue', () => {
  /** The panel's filters, as applied. */
  const filter = ref<QueueFilter>({});
  const search = ref('');
  const unreadOnly = ref(false);
  const sort = ref<QueueSort>({ ...DEFAULT_SORT });
  const viewId = ref<string | null>(null);
  const views = shallowRef<SavedView[]>([]);
  const directory = shallowRef<Directory | null>(null);
  const selectedIndex = ref(0);
  // Raw: the rows are a shallow ref of up to 100,000 slots, never made deeply reactive.
  // The first page of a query comes alone; its total is counted apart (queue/queue-data.ts).
  const data = markRaw(
    createQueueData((query) => useContract().queue.page.query(query), PAGE_SIZE, MAX_CACHED_PAGES, { count: (input) => useContract().queue.count.query(input) }),
  );

  /** The whole filter sent to the contract. */
  const query = computed<QueueFilter>(() => cleanFilter({ ...filter.value, search: search.value.trim() || undefined, unreadOnly: unreadOnly.value || undefined }));
  const activeFilters = computed(() => countFilters(filter.value));

  async function apply() {
    selectedIndex.value = 0;
    await data.reset(query.value, sort.value);
  }

  async function setSort(next: QueueSort) {
    sort.value = next;
    viewId.value = null;
    await apply();
  }

  async function setFilter(next: QueueFilter) {
    filter.value = cleanFilter(next);
    viewId.value = null;
    await apply();
  }

  async function loadViews() {
    views.value = await useContract().queue.views.query();
  }

  async function loadDirectory() {
    directory.value = await useContract().queue.directory.query();
  }

  async function applyView(view: SavedView | null) {
    if (!view) {
      viewId.value = null;
      filter.value = {};
      search.value = '';
      unreadOnly.value = false;
      sort.value = { ...DEFAULT_SORT };
    } else {
      const { search: s, unreadOnly: u, ...rest } = view.filter;
      viewId.value = view.id;
      filter.value = cleanFilter(rest);
      search.value = s ?? '';
      unreadOnly.value = !!u;
      sort.value = { ...view.sort };
    }
    await apply();
  }

  async function saveView(name: string): Promise<SavedView> {
    const saved = await useContract().queue.saveView.mutate({ name, filter: query.value, sort: sort.value });
    await loadViews();
    viewId.value = saved.id;
    return saved;
  }

  async function removeView(id: string) {
    await useContract().queue.removeView.mutate({ id });
    if (viewId.value === id) viewId.value = null;
    await loadViews();
  }

  return {
    filter,
    search,
    unreadOnly,
    sort,
    viewId,
    views,
    directory,
    selectedIndex,
    data,
    query,
    activeFilters,
    apply,
    setSort,
    setFilter,
    loadViews,
    loadDirectory,
    applyView,
    saveView,
    removeView,
  };
});
