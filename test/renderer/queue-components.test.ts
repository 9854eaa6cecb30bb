// The queue's components, given their props: the table renders the rows it is given (unread and
// not-yet-synced marked, placeholders for pages still loading), keeps the DOM bounded however long the
// list, and a header click asks for the contract's sort; the filters panel checks its input with the
// contract's schema and hands over exactly the filter the contract takes.
// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defineComponent } from 'vue';
import { flushPromises, mount } from '@vue/test-utils';
import type { QueueRow } from '../../desktop/contract/types';
import QueueTable from '../../desktop/renderer/src/queue/QueueTable.vue';
import QueueFilters from '../../desktop/renderer/src/queue/QueueFilters.vue';
import type { QueueItem } from '../../desktop/renderer/src/queue/queue-data';
import { i18n, setLanguage } from '../../desktop/renderer/src/i18n';

// happy-dom lays nothing out: the resizer hands the table the size it would have at 1440×900.
const SizedResizer = defineComponent({
  name: 'ElAutoResizer',
  setup(_, { slots }) {
    return () => slots.default?.({ width: 1400, height: 600 });
  },
});

function row(i: number, over: Partial<QueueRow> = {}): QueueRow {
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
    assigneeName: i % 2 ? '李娜' : null,
    teamId: null,
    teamName: null,
    receivedAt: '2026-12-01T02:00:00Z',
    updatedAt: '2026-12-05T02:00:00Z',
    sla: { startedAt: null, firstResponseDueAt: null, resolutionDueAt: null, pausedAt: null, pausedTotalMs: 0, firstRespondedAt: null, resolvedAt: null },
    unread: i === 1,
    pending: i === 2,
    ...over,
  };
}

function mountTable(rows: QueueItem[]) {
  return mount(QueueTable, {
    props: { rows, sort: { column: 'sla_due', direction: 'asc' }, selectedIndex: 0 },
    global: { plugins: [i18n], stubs: { ElAutoResizer: SizedResizer } },
    attachTo: document.body,
  });
}

describe('queue table', () => {
  beforeEach(() => setLanguage('zh-CN'));
  afterEach(() => {
    setLanguage('en');
    document.body.innerHTML = '';
  });

  it('renders the rows with translated values, unread and pending marked', async () => {
    const wrapper = mountTable([row(1), row(2), row(3)]);
    await flushPromises();
    const text = wrapper.text();
    expect(text).toContain('ARB-2026-000001');
    expect(text).toContain('调查取证');
    expect(text).toContain('滑点');
    expect(text).toContain('在线客服');
    expect(text).toContain('12,400.50');
    expect(text).toContain('未分配');
    expect(wrapper.find('[data-row-index="0"]').classes()).toContain('is-unread');
    expect(wrapper.find('[data-row-index="0"]').attributes('aria-selected')).toBe('true');
    expect(wrapper.find('[data-row-index="1"]').classes()).toContain('is-pending');
    expect(wrapper.find('a.case-link').attributes('href')).toBe(`#/cases/${row(1).id}`);
    wrapper.unmount();
  });

  it('keeps the DOM bounded with 100,000 rows', async () => {
    const rows: QueueItem[] = Array.from({ length: 100_000 }, (_, i) => (i < 100 ? row(i) : { id: `placeholder:${i}`, placeholder: true as const, index: i }));
    const wrapper = mountTable(rows);
    await flushPromises();
    const rendered = wrapper.findAll('[data-row-index]').length;
    expect(rendered).toBeGreaterThan(10);
    expect(rendered).toBeLessThan(60);
    wrapper.unmount();
  });

  it('asks for the contract’s sort on a header click, and flips it on a second one', async () => {
    const wrapper = mountTable([row(1)]);
    await flushPromises();
    const header = wrapper.findAll('.el-table-v2__header-cell').find((h) => h.text().includes('案件编号'))!;
    await header.trigger('click');
    expect(wrapper.emitted('sort')?.[0]).toEqual([{ column: 'case_number', direction: 'asc' }]);
    await wrapper.setProps({ sort: { column: 'case_number', direction: 'asc' } });
    await header.trigger('click');
    expect(wrapper.emitted('sort')?.[1]).toEqual([{ column: 'case_number', direction: 'desc' }]);
    wrapper.unmount();
  });

  it('opens a case on a double-click', async () => {
    const wrapper = mountTable([row(1), row(2)]);
    await flushPromises();
    await wrapper.find('[data-row-index="1"]').trigger('dblclick');
    expect((wrapper.emitted('open')?.[0] as [QueueRow, boolean])[0].id).toBe(row(2).id);
    wrapper.unmount();
  });
});

describe('queue filters', () => {
  afterEach(() => {
    setLanguage('en');
    document.body.innerHTML = '';
  });

  function mountFilters(filter = {}) {
    return mount(QueueFilters, { props: { filter, directory: { users: [], teams: [] } }, global: { plugins: [i18n] }, attachTo: document.body });
  }

  it('hands over exactly the filter the contract takes, empty inputs left out', async () => {
    const wrapper = mountFilters({ tier: ['L3'] });
    const form = (wrapper.vm as unknown as { form: { values: Record<string, unknown> } }).form;
    form.values.usdMin = '1000';
    form.values.sla = 'due_within';
    form.values.slaWithinMinutes = 60;
    form.values.assignee = 'me';
    await wrapper.find('form').trigger('submit');
    expect(wrapper.emitted('apply')?.[0]).toEqual([{ tier: ['L3'], usdMin: '1000', sla: 'due_within', slaWithinMinutes: 60, assignee: 'me' }]);
    wrapper.unmount();
  });

  it('shows the schema’s message at the field and sends nothing when the input is wrong', async () => {
    setLanguage('zh-CN');
    const wrapper = mountFilters();
    const form = (wrapper.vm as unknown as { form: { values: Record<string, unknown> } }).form;
    form.values.vipMin = 6;
    form.values.vipMax = 2;
    form.values.usdMax = '12.5.1';
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(wrapper.emitted('apply')).toBeUndefined();
    expect(wrapper.text()).toContain('上限低于下限。');
    expect(wrapper.findAll('.el-form-item__error').length).toBeGreaterThanOrEqual(2);
    wrapper.unmount();
  });
});
