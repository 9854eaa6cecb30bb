// @vitest-environment happy-dom
// The case workspace's sections as a specialist sees them: the header offers exactly the actions the
// engine allows (refused ones disabled, with the translated reason), fault shares that do not add up
// to 100 % are refused at the field by the protocol's own schema, amounts stay decimal strings from
// the keyboard to the contract, long text is kept as a draft (saved while typing, restored on open,
// cleared after the write), and complainant templates are filled per language.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import axe from 'axe-core';
import { ElSelect } from 'element-plus';
import WorkspaceHeader from '../../desktop/renderer/src/workspace/WorkspaceHeader.vue';
import AssessmentPanel from '../../desktop/renderer/src/workspace/AssessmentPanel.vue';
import RemediesPanel from '../../desktop/renderer/src/workspace/RemediesPanel.vue';
import ClaimsPanel from '../../desktop/renderer/src/workspace/ClaimsPanel.vue';
import NotesPanel from '../../desktop/renderer/src/workspace/NotesPanel.vue';
import CommunicationsPanel from '../../desktop/renderer/src/workspace/CommunicationsPanel.vue';
import ClassificationPanel from '../../desktop/renderer/src/workspace/ClassificationPanel.vue';
import TimelinePanel from '../../desktop/renderer/src/workspace/TimelinePanel.vue';
import ComplainantPanel from '../../desktop/renderer/src/workspace/ComplainantPanel.vue';
import ActionDialog from '../../desktop/renderer/src/workspace/ActionDialog.vue';
import { fillTemplate, MESSAGE_TEMPLATES } from '../../desktop/renderer/src/workspace/templates';
import { DRAFT_KEY_PATTERN } from '../../desktop/contract/schemas';
import { draftKey } from '../../desktop/renderer/src/workspace/use-draft';
import { resetShortcuts } from '../../desktop/renderer/src/shortcuts';
import { translate } from '../../shared/i18n';
import { CASE_ID, caseView, contractError, recordingContract, settle, setup } from './workspace-support';

const mounted: VueWrapper[] = [];
function track<T extends VueWrapper>(w: T): T {
  mounted.push(w);
  return w;
}

beforeEach(() => {
  resetShortcuts();
  document.body.innerHTML = '';
});
afterEach(() => {
  while (mounted.length) mounted.pop()!.unmount();
  vi.useRealTimers();
});

describe('workspace header', () => {
  it('offers exactly the actions the engine allows, and shows refused ones disabled with the translated reason', async () => {
    const view = caseView();
    const w = track(mount(WorkspaceHeader, { props: { view }, ...setup('en') }));
    const allowed = w.findAll('[data-testid="header-actions"] button[data-action]').map((b) => b.attributes('data-action'));
    expect(allowed).toEqual(['request_material', 'propose_resolution']);
    expect(w.find('[data-action="request_material"]').text()).toContain('Request additional material');
    expect(w.find('[data-action="request_material"]').attributes('aria-keyshortcuts')).toBe('Shift+M');

    const refused = w.find('[data-refused="request_approval"]');
    expect(refused.find('button').attributes('disabled')).toBeDefined();
    expect(refused.text()).toContain('Request supervisor approval');
    expect(refused.text()).toContain(translate('en', 'lifecycle.refused.approval_not_needed'));
    // Nothing else is offered: no button for an action the engine did not list.
    expect(w.findAll('button').filter((b) => b.attributes('disabled') === undefined).length).toBe(2);

    expect(w.find('[data-testid="status"]').text()).toBe('Assessment');
    expect(w.text()).toContain('ARB-2026-000123');
    expect(w.text()).toContain('Urgent');
    expect(w.find('[data-testid="sla-first_response"]').classes()).toContain('clock--amber');
    await w.find('[data-action="propose_resolution"]').trigger('click');
    expect(w.emitted('act')?.[0]?.[0]).toMatchObject({ action: 'propose_resolution' });
  });

  it('speaks Chinese, and shows what waits to sync or waits for the server', () => {
    const view = caseView({
      pendingChanges: 2,
      pending: [{ fact: 'approval_threshold', messageKey: 'case.pending.approval_threshold', params: {} }],
      refused: [{ action: 'approve', messageKey: 'lifecycle.refused.four_eyes', params: {} }],
    });
    const w = track(mount(WorkspaceHeader, { props: { view }, ...setup('zh-CN') }));
    expect(w.find('[data-testid="status"]').text()).toBe('责任认定');
    expect(w.find('[data-refused="approve"]').text()).toContain(translate('zh-CN', 'lifecycle.refused.four_eyes'));
    expect(w.find('[data-testid="pending-changes"]').text()).toContain('2 项本地更改待同步');
    expect(w.find('[data-testid="pending-facts"]').text()).toContain('等待服务器确认：本工作站不知道审批阈值');
  });

  it('shows no action button when the engine allows none', () => {
    const w = track(mount(WorkspaceHeader, { props: { view: caseView({ actions: [], refused: [] }) }, ...setup('en') }));
    expect(w.findAll('button[data-action]')).toHaveLength(0);
    expect(w.text()).toContain(translate('en', 'workspace.actions.none'));
  });
});

describe('lifecycle actions', () => {
  const body = () => document.body;
  const confirm = () => document.querySelector<HTMLButtonElement>('[data-testid="action-confirm"]')!;

  it('ask the reason the lifecycle requires, keep it as a draft, and send it with the state the case is expected in', async () => {
    const contract = recordingContract();
    const option = { action: 'request_material' as const, next: 'awaiting_material' as const, reasonRequired: true, asksPanelSize: false };
    track(mount(ActionDialog, { props: { caseId: CASE_ID, status: 'investigation' as const, option }, attachTo: body().appendChild(document.createElement('div')), ...setup('zh-CN') }));
    await settle();
    expect(body().textContent).toContain('执行后案件将转为：待补充材料');
    confirm().click();
    await settle();
    expect(body().textContent).toContain(translate('zh-CN', 'lifecycle.refused.reason_required'));
    expect(contract.of('cases.transition')).toHaveLength(0);
    const textarea = document.querySelector<HTMLTextAreaElement>('.ws-dialog textarea')!;
    textarea.value = '请补充订单截图和成交记录。';
    textarea.dispatchEvent(new Event('input'));
    await new Promise((r) => setTimeout(r, 600));
    expect(contract.of('drafts.save').at(-1)!.input).toEqual({ key: `reason:${CASE_ID}:request_material`, text: '请补充订单截图和成交记录。' });
    confirm().click();
    await settle();
    expect(contract.of('cases.transition')).toEqual([
      { path: 'cases.transition', input: { caseId: CASE_ID, action: 'request_material', expectedStatus: 'investigation', reason: '请补充订单截图和成交记录。' } },
    ]);
    expect(contract.of('drafts.clear')).toEqual([{ path: 'drafts.clear', input: { key: `reason:${CASE_ID}:request_material` } }]);
  });

  it('ask the panel size for arbitration', async () => {
    const contract = recordingContract();
    const option = { action: 'escalate_arbitration' as const, next: 'arbitration' as const, reasonRequired: true, asksPanelSize: true };
    track(mount(ActionDialog, { props: { caseId: CASE_ID, status: 'mediation' as const, option }, attachTo: body().appendChild(document.createElement('div')), ...setup('en') }));
    await settle();
    const three = [...document.querySelectorAll<HTMLInputElement>('.ws-dialog input[type="radio"]')].find((r) => r.value === '3')!;
    three.click();
    const textarea = document.querySelector<HTMLTextAreaElement>('.ws-dialog textarea')!;
    textarea.value = 'Mediation reached an impasse on the amount.';
    textarea.dispatchEvent(new Event('input'));
    await settle();
    confirm().click();
    await settle();
    expect(contract.of('cases.transition')[0]!.input).toMatchObject({ action: 'escalate_arbitration', panelSize: 3, reason: 'Mediation reached an impasse on the amount.' });
  });
});

describe('assessment', () => {
  it('refuses fault shares that do not add up to 100 % at the field, with the schema’s translated message, and sends nothing', async () => {
    const contract = recordingContract();
    const w = track(mount(AssessmentPanel, { props: { caseId: CASE_ID, status: 'assessment' as const, assessment: null, history: [] }, ...setup('en') }));
    await flushPromises();
    await w.find('input[data-testid="share-platform"]').setValue('50');
    await w.find('input[data-testid="share-user"]').setValue('30');
    await w.find('input[data-testid="share-third-party"]').setValue('10');
    await w.find('textarea[data-testid="findings"]').setValue('The order filled 2 % away from the limit price.');
    await w.find('form').trigger('submit');
    await settle();
    const item = w.find('[data-testid="share-platform"]').element.closest('.el-form-item')!;
    expect(item.textContent).toContain(translate('en', 'validation.fault_shares_sum'));
    expect(w.find('[data-testid="share-sum"]').text()).toContain('90');
    expect(contract.of('cases.setAssessment')).toHaveLength(0);
    // The typed text is all still there.
    expect((w.find('textarea[data-testid="findings"]').element as HTMLTextAreaElement).value).toContain('2 %');

    // 33.33 + 33.33 + 33.34 is exactly 100 as decimals: accepted, and sent as the strings typed.
    await w.find('input[data-testid="share-platform"]').setValue('33.33');
    await w.find('input[data-testid="share-user"]').setValue('33.33');
    await w.find('input[data-testid="share-third-party"]').setValue('33.34');
    await w.find('form').trigger('submit');
    await flushPromises();
    expect(contract.of('cases.setAssessment')).toEqual([
      { path: 'cases.setAssessment', input: { caseId: CASE_ID, platformShare: '33.33', userShare: '33.33', thirdPartyShare: '33.34', findings: 'The order filled 2 % away from the limit price.' } },
    ]);
  });

  it('shows the message in Chinese too', async () => {
    recordingContract();
    const w = track(mount(AssessmentPanel, { props: { caseId: CASE_ID, status: 'assessment' as const, assessment: null, history: [] }, ...setup('zh-CN') }));
    await w.find('input[data-testid="share-platform"]').setValue('60');
    await w.find('input[data-testid="share-user"]').setValue('60');
    await w.find('input[data-testid="share-third-party"]').setValue('0');
    await w.find('textarea[data-testid="findings"]').setValue('平台撮合延迟。');
    await w.find('form').trigger('submit');
    await settle();
    expect(w.find('[data-testid="share-platform"]').element.closest('.el-form-item')!.textContent).toContain('各方责任比例之和必须恰好为 100%');
  });
});

describe('amounts', () => {
  it('keep a remedy’s amount the decimal string typed, from the input to the contract', async () => {
    const contract = recordingContract();
    const w = track(mount(RemediesPanel, { props: { view: caseView(), remedies: [], approvals: [] }, ...setup('en') }));
    await w.find('input[data-testid="remedy-asset"]').setValue('usdt');
    const amount = '12345678901234567890.123456789012345678';
    await w.find('input[data-testid="remedy-amount-input"]').setValue(amount);
    await w.find('form').trigger('submit');
    await flushPromises();
    const [sent] = contract.of('cases.proposeRemedy');
    expect(sent!.input).toEqual({ caseId: CASE_ID, kind: 'refund', asset: 'USDT', amount, details: '' });
    expect(typeof (sent!.input as { amount: unknown }).amount).toBe('string');
  });

  it('refuse a float-looking amount at the field with the schema’s message', async () => {
    const contract = recordingContract();
    const w = track(mount(RemediesPanel, { props: { view: caseView(), remedies: [], approvals: [] }, ...setup('en') }));
    await w.find('input[data-testid="remedy-asset"]').setValue('BTC');
    await w.find('input[data-testid="remedy-amount-input"]').setValue('1e-7');
    await w.find('form').trigger('submit');
    await settle();
    expect(w.find('[data-testid="remedy-amount-input"]').element.closest('.el-form-item')!.textContent).toContain(translate('en', 'validation.amount_format'));
    expect(contract.of('cases.proposeRemedy')).toHaveLength(0);
  });

  it('are shown with every digit the engine sent, grouped per language', () => {
    const w = track(mount(ClaimsPanel, { props: { view: caseView() }, ...setup('en') }));
    expect(w.find('[data-testid="amount"]').text()).toBe('1,234,567.000000000000000001');
    expect(w.find('[data-testid="usd-equivalent"]').text()).toContain('12,400.50');
  });

  it('show a remedy row’s amount exactly', () => {
    recordingContract();
    const remedies = [{ id: 'r1', kind: 'compensation', asset: 'ETH', amount: '0.000000000000000001', usdValue: null, details: '', status: 'draft', proposedBy: null, createdAt: null, pending: true }];
    const w = track(mount(RemediesPanel, { props: { view: caseView(), remedies, approvals: [] }, ...setup('en') }));
    expect(w.find('[data-testid="remedy-amount"]').text()).toBe('0.000000000000000001 ETH');
  });
});

describe('drafts', () => {
  it('use keys the contract accepts', () => {
    for (const key of [draftKey('note', CASE_ID), draftKey('findings', CASE_ID), draftKey('message', CASE_ID), draftKey('answer', CASE_ID, CASE_ID), draftKey('reason', CASE_ID, 'request_material')])
      expect(key).toMatch(DRAFT_KEY_PATTERN);
  });

  it('restore a note on open, save what is typed after half a second, and clear it after the note is added', async () => {
    const contract = recordingContract({ 'drafts.get': () => ({ text: 'Called the user at 10:00;', savedAt: '2026-12-06T02:00:00.000Z' }) });
    const w = track(mount(NotesPanel, { props: { caseId: CASE_ID, status: 'assessment' as const, notes: [] }, ...setup('en') }));
    await flushPromises();
    expect(contract.of('drafts.get')).toEqual([{ path: 'drafts.get', input: { key: `note:${CASE_ID}` } }]);
    const textarea = w.find('textarea[data-testid="note-body"]');
    expect((textarea.element as HTMLTextAreaElement).value).toBe('Called the user at 10:00;');
    expect(w.text()).toContain('Draft restored');
    // Restoring writes nothing back.
    await new Promise((r) => setTimeout(r, 600));
    expect(contract.of('drafts.save')).toHaveLength(0);

    vi.useFakeTimers();
    await textarea.setValue('Called the user at 10:00; he sent the order id.');
    await vi.advanceTimersByTimeAsync(300);
    expect(contract.of('drafts.save')).toHaveLength(0);
    await textarea.setValue('Called the user at 10:00; he sent the order id. ');
    await vi.advanceTimersByTimeAsync(499);
    expect(contract.of('drafts.save')).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(10);
    expect(contract.of('drafts.save')).toEqual([{ path: 'drafts.save', input: { key: `note:${CASE_ID}`, text: 'Called the user at 10:00; he sent the order id. ' } }]);
    vi.useRealTimers();

    // Blur writes at once.
    await textarea.setValue('Called the user at 10:00; he sent the order id. Checking.');
    await textarea.trigger('blur');
    await flushPromises();
    expect(contract.of('drafts.save').at(-1)!.input).toEqual({ key: `note:${CASE_ID}`, text: 'Called the user at 10:00; he sent the order id. Checking.' });

    await w.find('form').trigger('submit');
    await flushPromises();
    expect(contract.of('cases.addNote')).toEqual([{ path: 'cases.addNote', input: { caseId: CASE_ID, body: 'Called the user at 10:00; he sent the order id. Checking.' } }]);
    expect(contract.of('drafts.clear')).toEqual([{ path: 'drafts.clear', input: { key: `note:${CASE_ID}` } }]);
    expect((textarea.element as HTMLTextAreaElement).value).toBe('');
    await new Promise((r) => setTimeout(r, 600));
    // Nothing is saved again after the clear.
    expect(contract.calls.at(-1)!.path).toBe('drafts.clear');
  });

  it('keep what was typed, and the draft, when the engine refuses the write; the error lands on the field', async () => {
    const contract = recordingContract({
      'cases.addNote': () => {
        throw contractError('validation.too_long', 'body', { maximum: 20000 });
      },
    });
    const w = track(mount(NotesPanel, { props: { caseId: CASE_ID, status: 'assessment' as const, notes: [] }, ...setup('zh-CN') }));
    await flushPromises();
    await w.find('textarea[data-testid="note-body"]').setValue('已致电用户。');
    await w.find('form').trigger('submit');
    await settle();
    expect(w.find('[data-testid="note-body"]').element.closest('.el-form-item')!.textContent).toContain(translate('zh-CN', 'validation.too_long', { maximum: 20000 }));
    expect((w.find('textarea[data-testid="note-body"]').element as HTMLTextAreaElement).value).toBe('已致电用户。');
    expect(contract.of('drafts.clear')).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 600));
    expect(contract.of('drafts.save').at(-1)?.input).toEqual({ key: `note:${CASE_ID}`, text: '已致电用户。' });
  });

  it('show a refusal that names no field of the form above its button, with the case state in words', async () => {
    recordingContract({
      'cases.addNote': () => {
        throw contractError('case.assessment_not_open', 'caseId', { status: 'resolution_proposed' });
      },
    });
    const w = track(mount(NotesPanel, { props: { caseId: CASE_ID, status: 'assessment' as const, notes: [] }, ...setup('en') }));
    await w.find('textarea[data-testid="note-body"]').setValue('x');
    await w.find('form').trigger('submit');
    await settle();
    expect(w.find('.form-error').text()).toBe(translate('en', 'case.assessment_not_open', { status: 'Resolution proposed' }));
  });

  it('are written when the window is closed', async () => {
    const contract = recordingContract();
    const w = track(mount(NotesPanel, { props: { caseId: CASE_ID, status: 'assessment' as const, notes: [] }, ...setup('en') }));
    await flushPromises();
    await w.find('textarea[data-testid="note-body"]').setValue('typed just before closing');
    window.dispatchEvent(new Event('beforeunload'));
    await flushPromises();
    expect(contract.of('drafts.save')).toEqual([{ path: 'drafts.save', input: { key: `note:${CASE_ID}`, text: 'typed just before closing' } }]);
  });
});

describe('templates', () => {
  it('are filled with the case number in the language asked for', () => {
    for (const tpl of MESSAGE_TEMPLATES) {
      const zh = fillTemplate(tpl, 'zh-CN', 'ARB-2026-000123');
      const en = fillTemplate(tpl, 'en', 'ARB-2026-000123');
      expect(zh).toContain('ARB-2026-000123');
      expect(en).toContain('ARB-2026-000123');
      expect(zh).toMatch(/\p{Script=Han}/u);
      expect(en).not.toMatch(/\p{Script=Han}/u);
      expect(zh).not.toContain('{caseNumber}');
    }
    expect(fillTemplate('acknowledgement', 'zh-CN', 'ARB-1')).toContain('案件编号为 ARB-1');
    expect(fillTemplate('acknowledgement', 'en', 'ARB-1')).toContain('case number ARB-1');
  });

  it('preselect the complainant’s language, whatever the screen’s, and insert into the message', async () => {
    const contract = recordingContract();
    const view = caseView({ complainant: { id: 'c', exchangeUid: 'U1', vipLevel: 0, region: 'CN', language: 'zh-CN' } });
    const w = track(mount(CommunicationsPanel, { props: { view, communications: [] }, ...setup('en') }));
    await flushPromises();
    const language = w.findAllComponents(ElSelect).find((s) => s.attributes('data-testid') === 'template-language')!;
    expect(language.props('modelValue')).toBe('zh-CN');
    await w.find('[data-testid="template-insert"]').trigger('click');
    const body = w.find('textarea[data-testid="message-body"]').element as HTMLTextAreaElement;
    expect(body.value).toBe(fillTemplate('acknowledgement', 'zh-CN', 'ARB-2026-000123'));

    // Another template, in English this time, appended below what is there.
    const template = w.findAllComponents(ElSelect).find((s) => s.attributes('data-testid') === 'template')!;
    template.vm.$emit('update:modelValue', 'rejection');
    language.vm.$emit('update:modelValue', 'en');
    await flushPromises();
    await w.find('[data-testid="template-insert"]').trigger('click');
    expect(body.value).toContain(fillTemplate('rejection', 'en', 'ARB-2026-000123'));
    expect(body.value.startsWith(fillTemplate('acknowledgement', 'zh-CN', 'ARB-2026-000123'))).toBe(true);

    await w.find('form').trigger('submit');
    await flushPromises();
    expect(contract.of('cases.logCommunication')[0]!.input).toMatchObject({ caseId: CASE_ID, direction: 'outbound', channel: 'live_chat' });
    expect(contract.of('drafts.clear')).toEqual([{ path: 'drafts.clear', input: { key: `message:${CASE_ID}` } }]);
  });

  it('preselect English for an English-speaking complainant', async () => {
    recordingContract();
    const view = caseView({ complainant: { id: 'c', exchangeUid: 'U1', vipLevel: 0, region: 'GB', language: 'en' } });
    const w = track(mount(CommunicationsPanel, { props: { view, communications: [] }, ...setup('zh-CN') }));
    const language = w.findAllComponents(ElSelect).find((s) => s.attributes('data-testid') === 'template-language')!;
    expect(language.props('modelValue')).toBe('en');
  });
});

describe('classification', () => {
  it('accepts the tiering suggestion in one click, and asks a reason to override it', async () => {
    const contract = recordingContract();
    const view = caseView({ status: 'initial_review', tier: null, priority: null, tieringSuggestion: { tier: 'L3', priority: 'urgent', ruleId: 'stolen-funds' } });
    const w = track(mount(ClassificationPanel, { props: { view }, ...setup('en') }));
    expect(w.find('[data-testid="tiering-suggestion"]').text()).toContain('L3 · Emergency response');
    await w.find('[data-testid="accept-suggestion"]').trigger('click');
    await flushPromises();
    expect(contract.of('cases.classify')[0]!.input).toEqual({ caseId: CASE_ID, category: 'trade', subcategory: 'slippage', tier: 'L3', priority: 'urgent', urgent: true });
    expect(contract.of('cases.addNote')).toHaveLength(0);

    // Override: a lower tier needs a reason, which goes with the classification (no separate note).
    const tier = w.findAllComponents(ElSelect).find((s) => s.attributes('data-testid') === 'tier')!;
    tier.vm.$emit('update:modelValue', 'L2');
    await flushPromises();
    await w.find('form').trigger('submit');
    await settle();
    expect(w.text()).toContain(translate('en', 'workspace.validation.override_reason'));
    expect(contract.of('cases.classify')).toHaveLength(1);
    await w.find('textarea[data-testid="override-reason"]').setValue('Amount is below the L3 line after the rate correction.');
    await w.find('form').trigger('submit');
    await flushPromises();
    expect(contract.of('cases.classify')[1]!.input).toMatchObject({ tier: 'L2', priority: 'urgent', overrideReason: 'Amount is below the L3 line after the rate correction.' });
    expect(contract.of('cases.addNote')).toHaveLength(0);
  });

  it('offers only the subcategories of the chosen category', async () => {
    recordingContract();
    const w = track(mount(ClassificationPanel, { props: { view: caseView({ status: 'investigation' }) }, ...setup('en') }));
    const category = w.findAllComponents(ElSelect).find((s) => s.attributes('data-testid') === 'category')!;
    const subcategory = () => w.findAllComponents(ElSelect).find((s) => s.attributes('data-testid') === 'subcategory')!;
    category.vm.$emit('update:modelValue', 'p2p');
    await flushPromises();
    expect(subcategory().props('modelValue')).toBe('');
    const options = subcategory()
      .findAllComponents({ name: 'ElOption' })
      .map((o) => o.props('value'));
    expect(options).toEqual(['payment_not_released', 'payment_not_received']);
  });
});

describe('timeline', () => {
  const entries = [
    { id: 'e1', type: 'case.received', actor: null, at: '2026-12-01T01:00:00.000Z', payload: {}, pending: false },
    {
      id: 'e2',
      type: 'case.transition',
      actor: { id: 'u', name: 'Li Wei', role: 'specialist' as const },
      at: '2026-12-01T02:00:00.000Z',
      payload: { action: 'start_review', from: 'received', to: 'initial_review' },
      pending: false,
    },
    { id: 'e3', type: 'note.added', actor: { id: 'u', name: 'Li Wei', role: 'specialist' as const }, at: '2026-12-01T03:00:00.000Z', payload: {}, pending: true },
  ];

  it('lists every event newest first, marks the pending ones, and filters by kind', async () => {
    const w = track(mount(TimelinePanel, { props: { entries }, ...setup('en') }));
    expect(w.findAll('li.event').map((li) => li.attributes('data-type'))).toEqual(['note.added', 'case.transition', 'case.received']);
    expect(w.find('li[data-type="note.added"] [data-testid="pending-entry"]').exists()).toBe(true);
    expect(w.find('li[data-type="case.transition"]').text()).toContain('Start review: Received → Initial review');
    await w.find('[data-kind="note.added"] input').setValue(false);
    expect(w.findAll('li.event').map((li) => li.attributes('data-type'))).toEqual(['case.transition', 'case.received']);
    expect(w.text()).toContain('2 of 3 events');

    // Who acted: the system's events only.
    const actor = w.findAllComponents(ElSelect).find((s) => s.attributes('data-testid') === 'timeline-actor')!;
    expect(actor.findAllComponents({ name: 'ElOption' }).map((o) => o.props('label'))).toEqual(['Li Wei', 'System']);
    actor.vm.$emit('update:modelValue', 'system');
    await flushPromises();
    expect(w.findAll('li.event').map((li) => li.attributes('data-type'))).toEqual(['case.received']);
  });
});

describe('complainant', () => {
  it('reveals contact details only on request, and shows the engine’s translated error when offline', async () => {
    const contract = recordingContract({
      'cases.revealPii': () => {
        throw contractError('workstation.online_only', null);
      },
    });
    const w = track(mount(ComplainantPanel, { props: { view: caseView() }, ...setup('zh-CN') }));
    expect(w.find('[data-testid="exchange-uid"]').text()).toBe('U123456');
    expect(w.text()).toContain(translate('zh-CN', 'workspace.complainant.reveal_note'));
    await w.find('[data-testid="reveal-pii"]').trigger('click');
    await flushPromises();
    expect(contract.of('cases.revealPii')).toEqual([{ path: 'cases.revealPii', input: { caseId: CASE_ID } }]);
    expect(w.find('[data-testid="reveal-error"]').text()).toBe(translate('zh-CN', 'workstation.online_only'));
  });

  it('has no reveal button for a role that may not see PII', () => {
    recordingContract();
    const w = track(mount(ComplainantPanel, { props: { view: caseView({ mayRevealPii: false }) }, ...setup('en') }));
    expect(w.find('[data-testid="reveal-pii"]').exists()).toBe(false);
  });
});

describe('accessibility', () => {
  it('axe finds no serious or critical violation in the header and the sections', async () => {
    recordingContract();
    const opts = setup('zh-CN');
    const host = document.createElement('div');
    document.body.appendChild(host);
    const view = caseView();
    const parts = [
      mount(WorkspaceHeader, { props: { view }, attachTo: host.appendChild(document.createElement('div')), ...opts }),
      mount(ComplainantPanel, { props: { view }, attachTo: host.appendChild(document.createElement('div')), ...opts }),
      mount(ClaimsPanel, { props: { view }, attachTo: host.appendChild(document.createElement('div')), ...opts }),
      mount(AssessmentPanel, { props: { caseId: CASE_ID, status: 'assessment' as const, assessment: null, history: [] }, attachTo: host.appendChild(document.createElement('div')), ...opts }),
      mount(RemediesPanel, { props: { view, remedies: [], approvals: [] }, attachTo: host.appendChild(document.createElement('div')), ...opts }),
      mount(NotesPanel, { props: { caseId: CASE_ID, status: 'assessment' as const, notes: [] }, attachTo: host.appendChild(document.createElement('div')), ...opts }),
      mount(CommunicationsPanel, { props: { view, communications: [] }, attachTo: host.appendChild(document.createElement('div')), ...opts }),
      mount(ClassificationPanel, { props: { view: caseView({ status: 'initial_review' }) }, attachTo: host.appendChild(document.createElement('div')), ...opts }),
    ];
    mounted.push(...parts);
    await flushPromises();
    const result = await axe.run(host, { rules: { 'color-contrast': { enabled: false }, region: { enabled: false } } });
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(' | ')}`);
    expect(bad).toEqual([]);
  });
});
