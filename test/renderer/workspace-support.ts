// Helpers of the case workspace's component tests: the renderer's own i18n and Pinia, a case as the
// engine describes it, and a contract client that records what the workspace asks of it (drafts,
// case mutations) so a test can assert the calls. Integration with the real engine is in
// workspace-engine.test.ts.
import { createPinia, setActivePinia } from 'pinia';
import { flushPromises } from '@vue/test-utils';
import { i18n, setLanguage } from '../../desktop/renderer/src/i18n';
import { provideContract } from '../../desktop/renderer/src/contract';
import type { ContractClient } from '../../desktop/renderer/src/contract/client';
import type { CaseView, CaseWork, WriteReceipt } from '../../desktop/contract/types';
import type { Language } from '../../shared/domain';

export const CASE_ID = '3f0c9a52-6a1b-4c4e-9d7e-2b8f1f0a7c11';

export function caseView(over: Partial<CaseView> = {}): CaseView {
  const now = Date.now();
  return {
    id: CASE_ID,
    caseNumber: 'ARB-2026-000123',
    status: 'assessment',
    resumeStatus: null,
    category: 'trade',
    subcategory: 'slippage',
    tier: 'L2',
    priority: 'high',
    urgent: true,
    channel: 'live_chat',
    language: 'zh-CN',
    description: '限价单成交价格与设定价格不符。',
    handlerSummary: null,
    nextAction: null,
    usdEquivalent: '12400.5',
    occurredAt: new Date(now - 86_400_000).toISOString(),
    receivedAt: new Date(now - 3_600_000).toISOString(),
    closedAt: null,
    archivedAt: null,
    satisfaction: null,
    assignee: { id: '0b0c9a52-6a1b-4c4e-9d7e-2b8f1f0a7c11', name: 'Li Wei', role: 'specialist' },
    team: { id: '1b0c9a52-6a1b-4c4e-9d7e-2b8f1f0a7c11', name: 'Trade disputes' },
    sla: {
      startedAt: new Date(now - 3_600_000).toISOString(),
      firstResponseDueAt: new Date(now + 20 * 60_000).toISOString(),
      resolutionDueAt: new Date(now + 10 * 3_600_000).toISOString(),
      pausedAt: null,
      pausedTotalMs: 0,
      firstRespondedAt: null,
      resolvedAt: null,
    },
    complainant: { id: '2b0c9a52-6a1b-4c4e-9d7e-2b8f1f0a7c11', exchangeUid: 'U123456', vipLevel: 3, region: 'SG', language: 'zh-CN' },
    amounts: [{ asset: 'BTC', amount: '1234567.000000000000000001', usdRate: '64000.12', usdValue: '12400.5' }],
    actions: [
      { action: 'request_material', next: 'awaiting_material', reasonRequired: true, asksPanelSize: false },
      { action: 'propose_resolution', next: 'resolution_proposed', reasonRequired: false, asksPanelSize: false },
    ],
    refused: [{ action: 'request_approval', messageKey: 'lifecycle.refused.approval_not_needed', params: {} }],
    tieringSuggestion: { tier: 'L2', priority: 'high', ruleId: 'large-trade' },
    pending: [],
    pendingChanges: 0,
    mayRevealPii: true,
    ...over,
  };
}

export function caseWork(over: Partial<CaseWork> = {}): CaseWork {
  return {
    notes: [],
    consultations: [],
    communications: [],
    assessment: null,
    assessmentHistory: [],
    remedies: [],
    approvals: [],
    objections: [],
    escalations: [],
    exhibits: [],
    ...over,
  };
}

export interface Call {
  path: string;
  input: unknown;
}

/** A contract client that records every call; `answers` decides what a path returns (or throws). */
export function recordingContract(answers: Record<string, (input: any) => unknown> = {}) {
  const calls: Call[] = [];
  const receipt: WriteReceipt = { seq: 1, saved: 'local', pending: [] };
  const defaults: Record<string, (input: any) => unknown> = {
    'drafts.get': () => null,
    'drafts.save': () => ({ savedAt: new Date().toISOString() }),
    'drafts.clear': () => undefined,
  };
  const call = async (path: string, input: unknown) => {
    calls.push({ path, input: JSON.parse(JSON.stringify(input ?? null)) });
    const answer = answers[path] ?? defaults[path];
    if (answer) return answer(input);
    if (path.startsWith('cases.')) return receipt;
    return undefined;
  };
  const proc = (path: string) => ({ query: (input: unknown) => call(path, input), mutate: (input: unknown) => call(path, input) });
  const client = new Proxy({} as Record<string, unknown>, {
    get: (_t, group: string) => new Proxy({}, { get: (_u, name: string) => proc(`${group}.${name}`) }),
  }) as unknown as ContractClient;
  provideContract(client);
  return { calls, client, of: (path: string) => calls.filter((c) => c.path === path) };
}

/** A contract error as the engine answers it (TRPCClientError's data). */
export function contractError(messageKey: string, field: string | null, params: Record<string, string | number> = {}) {
  return Object.assign(new Error(messageKey), { data: { messageKey, field, params, issues: field ? [{ field, messageKey, params }] : [], requestId: 'req-1' } });
}

export function setup(language: Language = 'en') {
  const pinia = createPinia();
  setActivePinia(pinia);
  setLanguage(language);
  // Real transitions: Element Plus shows a field's message inside one.
  return { global: { plugins: [i18n, pinia], stubs: { transition: false, 'transition-group': false } } };
}

/** Lets promises settle and Element Plus show a field's message (it appears 100 ms after the error is set). */
export async function settle(): Promise<void> {
  await flushPromises();
  await new Promise((resolve) => setTimeout(resolve, 150));
  await flushPromises();
}
