// The SLA as shown in the queue and the workspace: running, amber (under a quarter of the budget or an
// hour left), red (the last tenth or 15 minutes), breached, paused, met — and the badge saying so.
// @vitest-environment happy-dom
import { describe, expect, it, vi, afterEach } from 'vitest';
import { mount } from '@vue/test-utils';
import { slaDisplay } from '../../desktop/renderer/src/sla';
import type { SlaClockView } from '../../desktop/contract/types';
import SlaBadge from '../../desktop/renderer/src/components/SlaBadge.vue';
import { i18n, setLanguage } from '../../desktop/renderer/src/i18n';

const H = 3_600_000;
const start = Date.parse('2026-12-06T00:00:00Z');
function clock(over: Partial<SlaClockView> = {}): SlaClockView {
  return {
    startedAt: new Date(start).toISOString(),
    firstResponseDueAt: new Date(start + 24 * H).toISOString(),
    resolutionDueAt: new Date(start + 72 * H).toISOString(),
    pausedAt: null,
    pausedTotalMs: 0,
    firstRespondedAt: null,
    resolvedAt: null,
    ...over,
  };
}

describe('SLA display', () => {
  afterEach(() => vi.useRealTimers());

  it('runs, turns amber, red, then breached as the nearest open deadline approaches', () => {
    expect(slaDisplay(clock(), start + 1 * H)).toMatchObject({ state: 'running', deadline: 'first_response', remainingMs: 23 * H });
    // Under a quarter of the 24 h budget left.
    expect(slaDisplay(clock(), start + 19 * H).state).toBe('amber');
    // The last tenth.
    expect(slaDisplay(clock(), start + 22 * H).state).toBe('red');
    expect(slaDisplay(clock(), start + 25 * H)).toMatchObject({ state: 'breached', remainingMs: -1 * H });
  });

  it('is amber under an hour even for a short budget, red in the last 15 minutes', () => {
    const short = clock({ firstResponseDueAt: new Date(start + 2 * H).toISOString() });
    expect(slaDisplay(short, start + 0.5 * H).state).toBe('running');
    expect(slaDisplay(short, start + 1.25 * H).state).toBe('amber');
    expect(slaDisplay(short, start + 1.8 * H).state).toBe('red');
  });

  it('shows a paused clock as paused with its time frozen, and a breach stays a breach', () => {
    const paused = clock({ pausedAt: new Date(start + 10 * H).toISOString() });
    expect(slaDisplay(paused, start + 30 * H)).toMatchObject({ state: 'paused', remainingMs: 14 * H, paused: true });
    const late = clock({ pausedAt: new Date(start + 30 * H).toISOString() });
    expect(slaDisplay(late, start + 40 * H).state).toBe('breached');
  });

  it('moves to the resolution deadline once answered, and is met once resolved', () => {
    const answered = clock({ firstRespondedAt: new Date(start + 1 * H).toISOString() });
    expect(slaDisplay(answered, start + 2 * H)).toMatchObject({ state: 'running', deadline: 'resolution' });
    const resolved = clock({ firstRespondedAt: new Date(start + 1 * H).toISOString(), resolvedAt: new Date(start + 5 * H).toISOString() });
    expect(slaDisplay(resolved, start + 100 * H).state).toBe('met');
    expect(slaDisplay(null, start).state).toBe('none');
  });

  it('the badge ticks every second and says its state in words, in both languages', async () => {
    vi.useFakeTimers({ now: start + 23 * H + 59 * 60_000 });
    setLanguage('en');
    const wrapper = mount(SlaBadge, { props: { sla: clock() }, global: { plugins: [i18n] } });
    expect(wrapper.attributes('data-sla-state')).toBe('red');
    expect(wrapper.text()).toContain('1m 00s');
    await vi.advanceTimersByTimeAsync(61_000);
    expect(wrapper.attributes('data-sla-state')).toBe('breached');
    expect(wrapper.text()).toContain('Overdue 1s');
    setLanguage('zh-CN');
    await wrapper.vm.$nextTick();
    expect(wrapper.text()).toContain('已超时');
    wrapper.unmount();
    setLanguage('en');
  });
});
