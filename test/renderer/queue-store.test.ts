// The queue's store against a real workstation synced with a real server: filters, search and sort
// become the contract's query input; pages load as the person scrolls and only a bounded number stay
// in memory; a Chinese word finds its case; a saved view keeps the filter and comes back.
// (node environment: the engine needs Node’s own fetch; the store needs no DOM.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useQueueStore } from '../../desktop/renderer/src/stores/queue';
import { createQueueData, isPlaceholder } from '../../desktop/renderer/src/queue/queue-data';
import { freshPinia, servedWorkstation, type ServedWorkstation } from './support';

let ws: ServedWorkstation;
beforeAll(async () => {
  const cases = [
    { description: '提币一直没有到账，已经等了三天', channel: 'live_chat', category: 'deposit_withdrawal', subcategory: 'withdrawal_delayed' },
    { description: 'Stop-loss executed far below my trigger price', channel: 'email', category: 'trade', subcategory: 'slippage' },
  ];
  for (let i = 0; i < 10; i++) cases.push({ description: `Order ${i} filled twice`, channel: 'ticket', category: 'trade', subcategory: 'order_error' });
  ws = await servedWorkstation(cases);
});
afterAll(async () => ws?.close());

describe('queue store', () => {
  it('sends the filter, the search and the sort as the contract’s query', async () => {
    freshPinia();
    const queue = useQueueStore();
    await queue.apply();
    expect(queue.data.total.value).toBe(12);
    await queue.setFilter({ category: ['trade'], channel: [], usdMin: '' } as never);
    expect(queue.data.lastQuery.value?.filter).toEqual({ category: ['trade'] });
    expect(queue.data.total.value).toBe(11);
    queue.search = '到账';
    queue.unreadOnly = false;
    await queue.apply();
    expect(queue.data.lastQuery.value?.filter).toEqual({ category: ['trade'], search: '到账' });
    expect(queue.data.total.value).toBe(0);
    await queue.setFilter({});
    expect(queue.data.total.value).toBe(1);
    expect(queue.data.rowAt(0)?.subject).toContain('提币');
    await queue.setSort({ column: 'case_number', direction: 'desc' });
    expect(queue.data.lastQuery.value?.sort).toEqual({ column: 'case_number', direction: 'desc' });
  });

  it('orders by the column asked for, server-side', async () => {
    freshPinia();
    const queue = useQueueStore();
    await queue.setSort({ column: 'case_number', direction: 'asc' });
    const asc = queue.data.rows.value.map((r) => (isPlaceholder(r) ? '' : r.caseNumber));
    await queue.setSort({ column: 'case_number', direction: 'desc' });
    const desc = queue.data.rows.value.map((r) => (isPlaceholder(r) ? '' : r.caseNumber));
    expect(desc).toEqual([...asc].reverse());
    expect(asc).toEqual([...asc].sort());
  });

  it('loads pages as rows come on screen and keeps only a bounded number', async () => {
    const sent: number[] = [];
    const data = createQueueData(
      (q) => {
        sent.push(q.offset ?? 0);
        return ws.client.queue.list.query(q);
      },
      2,
      3,
    );
    await data.reset({}, { column: 'case_number', direction: 'asc' });
    expect(data.rows.value).toHaveLength(12);
    expect(data.rows.value.filter((r) => !isPlaceholder(r))).toHaveLength(2);
    await data.ensureRange(6, 9);
    expect(sent).toEqual([0, 6, 8]);
    expect(isPlaceholder(data.rows.value[7])).toBe(false);
    await data.ensureRange(10, 11);
    // Three pages at most: the oldest (0) went back to placeholders.
    expect(data.loadedPages()).toBeLessThanOrEqual(3);
    expect(isPlaceholder(data.rows.value[0])).toBe(true);
    expect(data.rows.value.filter((r) => !isPlaceholder(r)).length).toBeLessThanOrEqual(6);
  });

  it('saves the current view and brings it back', async () => {
    freshPinia();
    const queue = useQueueStore();
    await queue.loadViews();
    expect(queue.views.some((v) => v.builtIn === 'my_open_l3')).toBe(true);
    queue.filter = { channel: ['email'] };
    queue.search = 'stop-loss';
    const saved = await queue.saveView('邮件 止损');
    expect(queue.views.map((v) => v.name)).toContain('邮件 止损');
    await queue.applyView(null);
    expect(queue.search).toBe('');
    await queue.applyView(queue.views.find((v) => v.id === saved.id)!);
    expect(queue.filter).toEqual({ channel: ['email'] });
    expect(queue.search).toBe('stop-loss');
    expect(queue.data.total.value).toBe(1);
    await queue.removeView(saved.id);
    expect(queue.views.find((v) => v.id === saved.id)).toBeUndefined();
  });
});
