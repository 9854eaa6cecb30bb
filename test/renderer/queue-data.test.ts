// The queue's loaded pages (queue/queue-data.ts) against a fake engine of 100,000 cases: a new query
// shows its first page without waiting for the total, which is counted a moment later (and not at
// all for a query already replaced); no placeholder objects for 100,000 slots; and a page that
// arrives after a jump of the scroll bar is shown at once (the table gets a new `data`, it does not
// have to be scrolled again to notice).
// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { defineComponent, h, type SetupContext } from 'vue';
import { flushPromises, mount } from '@vue/test-utils';
import type { QueueRow, QueueRowsPage } from '../../desktop/contract/types';
import type { QueueCountInput, QueueQueryInput } from '../../desktop/contract/schemas';
import QueueTable from '../../desktop/renderer/src/queue/QueueTable.vue';
import { createQueueData, isPlaceholder } from '../../desktop/renderer/src/queue/queue-data';
import { i18n } from '../../desktop/renderer/src/i18n';

const TOTAL = 100_000;

function row(i: number): QueueRow {
  return {
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    caseNumber: `ARB-2026-${String(i).padStart(6, '0')}`,
    status: 'investigation',
    category: 'trade',
    subcategory: 'slippage',
    tier: 'L2',
    priority: 'high',
    urgent: false,
    channel: 'live_chat',
    language: 'zh-CN',
    vipLevel: 3,
    exchangeUid: `u-${i}`,
    subject: `止损单成交价偏离 ${i}`,
    usdEquivalent: '12400.5',
    assigneeId: null,
    assigneeName: null,
    teamId: null,
    teamName: null,
    receivedAt: '2026-12-01T02:00:00Z',
    updatedAt: '2026-12-05T02:00:00Z',
    sla: { startedAt: null, firstResponseDueAt: null, resolutionDueAt: null, pausedAt: null, pausedTotalMs: 0, firstRespondedAt: null, resolvedAt: null },
    unread: false,
    pending: false,
  };
}

/** A fake engine: `total` cases; page answers held until released when `hold` is set. */
function fakeEngine(total = TOTAL) {
  const pages: QueueQueryInput[] = [];
  const counts: QueueCountInput[] = [];
  const held: (() => void)[] = [];
  let hold = false;
  const page = (q: QueueQueryInput): Promise<QueueRowsPage> => {
    pages.push(q);
    const offset = q.offset ?? 0;
    const answer = { offset, rows: Array.from({ length: Math.max(0, Math.min(q.limit ?? 100, total - offset)) }, (_, i) => row(offset + i)) };
    if (!hold) return Promise.resolve(answer);
    return new Promise((resolve) => held.push(() => resolve(answer)));
  };
  const count = (input: QueueCountInput) => {
    counts.push(input);
    return Promise.resolve({ total });
  };
  return {
    pages,
    counts,
    page,
    count,
    hold: (on: boolean) => void (hold = on),
    release: () => held.splice(0).forEach((r) => r()),
  };
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
const SORT = { column: 'sla_due', direction: 'asc' } as const;

describe('queue data', () => {
  it('shows the first page before the total, then counts it apart', async () => {
    const engine = fakeEngine();
    const data = createQueueData(engine.page, 100, 24, { count: engine.count, countDelayMs: 10 });
    await data.reset({ language: 'zh-CN' }, SORT);
    expect(engine.counts).toEqual([]);
    expect(data.totalKnown.value).toBe(false);
    // What is known: 100 rows and more to come.
    expect(data.total.value).toBe(200);
    expect(data.rowAt(99)?.caseNumber).toBe('ARB-2026-000099');
    await wait(30);
    expect(engine.counts).toEqual([{ filter: { language: 'zh-CN' } }]);
    expect(data.totalKnown.value).toBe(true);
    expect(data.total.value).toBe(TOTAL);
    expect(data.rows.value).toHaveLength(TOTAL);
  });

  it('does not count a query replaced before its count was asked for', async () => {
    const engine = fakeEngine();
    const data = createQueueData(engine.page, 100, 24, { count: engine.count, countDelayMs: 20 });
    await data.reset({ search: '提' }, SORT);
    await data.reset({ search: '提现' }, SORT);
    await wait(50);
    expect(engine.counts).toEqual([{ filter: { search: '提现' } }]);
  });

  it('takes a short first page as the total: no count', async () => {
    const engine = fakeEngine(42);
    const data = createQueueData(engine.page, 100, 24, { count: engine.count, countDelayMs: 0 });
    await data.reset({}, SORT);
    await wait(10);
    expect(engine.counts).toEqual([]);
    expect(data.total.value).toBe(42);
    expect(data.totalKnown.value).toBe(true);
  });

  it('makes no placeholder object per slot: a hole reads as one, the same each time', async () => {
    const engine = fakeEngine();
    const data = createQueueData(engine.page, 100, 24, { count: engine.count, countDelayMs: 0 });
    await data.reset({}, SORT);
    await wait(10);
    const rows = data.rows.value;
    expect(rows).toHaveLength(TOTAL);
    expect(Array.isArray(rows)).toBe(true);
    const hole = rows[54_321];
    expect(isPlaceholder(hole)).toBe(true);
    expect(hole).toMatchObject({ index: 54_321, id: 'placeholder:54321' });
    expect(rows[54_321]).toBe(hole);
    expect(rows[TOTAL]).toBeUndefined();
    expect(isPlaceholder(rows[0])).toBe(false);
  });

  it('reads again after the first page when data changed while it was being read: an older answer never wins', async () => {
    // The store is empty when the first page is asked for; a pull then writes three cases and says so.
    let total = 0;
    const held: (() => void)[] = [];
    const page = (): Promise<QueueRowsPage> => {
      const answer = { offset: 0, rows: Array.from({ length: total }, (_, i) => row(i)) };
      return total === 0 ? new Promise((resolve) => held.push(() => resolve(answer))) : Promise.resolve(answer);
    };
    const data = createQueueData(page, 100, 24, { count: () => Promise.resolve({ total }), countDelayMs: 0 });
    const first = data.reset({}, SORT);
    total = 3;
    const refreshed = data.refresh();
    held.splice(0).forEach((r) => r());
    await Promise.all([first, refreshed]);
    await wait(10);
    expect(data.total.value).toBe(3);
    expect(data.rowAt(2)?.caseNumber).toBe('ARB-2026-000002');
  });

  it('follows a list that grows past a page or shrinks while it is shown', async () => {
    let total = 0;
    const page = (q: QueueQueryInput): Promise<QueueRowsPage> => {
      const offset = q.offset ?? 0;
      return Promise.resolve({ offset, rows: Array.from({ length: Math.max(0, Math.min(q.limit ?? 100, total - offset)) }, (_, i) => row(offset + i)) });
    };
    const data = createQueueData(page, 100, 24, { count: () => Promise.resolve({ total }), countDelayMs: 0 });
    await data.reset({}, SORT);
    expect(data.total.value).toBe(0);
    total = 250;
    await data.refresh();
    await wait(10);
    expect(data.total.value).toBe(250);
    expect(data.totalKnown.value).toBe(true);
    expect(data.rowAt(99)?.caseNumber).toBe('ARB-2026-000099');
    total = 7;
    await data.refresh();
    await wait(10);
    expect(data.total.value).toBe(7);
    expect(data.rowAt(6)?.caseNumber).toBe('ARB-2026-000006');
    expect(data.rowAt(7)).toBeNull();
  });

  it('publishes new rows (a new array for the table) when a page arrives', async () => {
    const engine = fakeEngine();
    const data = createQueueData(engine.page, 100, 24, { count: engine.count, countDelayMs: 0 });
    await data.reset({}, SORT);
    await wait(10);
    const before = data.rows.value;
    await data.ensureRange(50_000, 50_030);
    expect(data.rows.value).not.toBe(before);
    expect(data.rows.value[50_010]).toMatchObject({ caseNumber: 'ARB-2026-050010' });
  });
});

describe('queue table and data together', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('shows the rows of a page that arrives after a scroll-bar jump, without another scroll', async () => {
    const engine = fakeEngine();
    const data = createQueueData(engine.page, 100, 24, { count: engine.count, countDelayMs: 0 });
    await data.reset({}, SORT);
    await wait(10);
    const Host = defineComponent({
      setup() {
        return () =>
          h(QueueTable, {
            rows: data.rows.value,
            sort: SORT,
            selectedIndex: 0,
            onRange: (start: number, end: number) => void data.ensureRange(start, end),
          });
      },
    });
    // happy-dom lays nothing out: the resizer hands the table the size it would have at 1440×900.
    const SizedResizer = {
      name: 'ElAutoResizer',
      setup:
        (_: unknown, { slots }: SetupContext) =>
        () =>
          slots.default?.({ width: 1400, height: 600 }),
    };
    const wrapper = mount(Host, { global: { plugins: [i18n], stubs: { ElAutoResizer: SizedResizer } }, attachTo: document.body });
    await flushPromises();
    expect(wrapper.find('[data-row-index="0"]').attributes('data-case-id')).toBe(row(0).id);

    // The jump: the rows on screen are placeholders while their page is on its way.
    engine.hold(true);
    wrapper.findComponent(QueueTable).vm.scrollToRow(60_000);
    await flushPromises();
    await wait(20);
    const onScreen = () => wrapper.findAll('.el-table-v2__main [data-row-index]').filter((r) => Number(r.attributes('data-row-index')) >= 60_000 && Number(r.attributes('data-row-index')) < 60_010);
    expect(onScreen().length).toBeGreaterThan(0);
    expect(onScreen().every((r) => r.attributes('data-case-id') === undefined)).toBe(true);
    expect(engine.pages.some((q) => q.offset === 60_000)).toBe(true);

    // The page arrives: no scroll, the rows show.
    engine.release();
    await flushPromises();
    await wait(20);
    expect(onScreen().length).toBeGreaterThan(0);
    for (const r of onScreen()) expect(r.attributes('data-case-id')).toBe(row(Number(r.attributes('data-row-index'))).id);
    wrapper.unmount();
  });
});
