// @vitest-environment happy-dom
// The case workspace against the real workstation engine: a real server on real Postgres, the
// engine (desktop/main/workstation) over its PGlite store, and the renderer's tRPC client joined to
// the contract router in-process (localLink). The header offers exactly what the engine allows and
// the keyboard takes an action; a note's draft survives closing the window and reopening the case;
// a written note shows as not yet synced until the server has it; a remedy's amount reaches the
// engine and comes back as the same decimal string.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mount, type VueWrapper } from '@vue/test-utils';
import { createTRPCClient, localLink } from '@trpc/client';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../support/server';
import { complaint } from '../server/evidence/support';
import { seedDataDir } from '../desktop/sync-harness';
import { FileKeyProvider } from '../../desktop/main/key-provider';
import { openWorkstation, type Workstation } from '../../desktop/main/workstation';
import { workstationRouter, type WorkstationRouter } from '../../desktop/main/contract/router';
import { provideContract } from '../../desktop/renderer/src/contract';
import { resetShortcuts } from '../../desktop/renderer/src/shortcuts';
import { useSyncStore } from '../../desktop/renderer/src/stores/sync';
import CaseWorkspace from '../../desktop/renderer/src/workspace/CaseWorkspace.vue';
import type { CaseView } from '../../desktop/contract/types';
import { translate } from '../../shared/i18n';
import type { Language } from '../../shared/domain';
import { settle, setup } from './workspace-support';

let server: TestServer;
let root: string;
let ws: Workstation;
let caseId = '';
let language: Language = 'en';
const mounted: VueWrapper[] = [];

function connect() {
  const client = createTRPCClient<WorkstationRouter>({
    links: [localLink({ router: workstationRouter, createContext: async () => ({ port: ws, language: () => language, requestId: 'test', logError: () => undefined }) })],
  });
  provideContract(client);
  return client;
}

async function eventually<T>(check: () => Promise<T | false | null | undefined>, sync = true): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (let i = 0; ; i++) {
    if (sync) await ws.sync.now();
    const r = await check();
    if (r) return r;
    if (Date.now() > deadline) throw new Error('condition not reached in 30 s');
    await new Promise((resolve) => setTimeout(resolve, Math.min(300, 20 * (i + 1))));
  }
}

async function open(lang: Language = 'en') {
  language = lang;
  const opts = setup(lang);
  const w = mount(CaseWorkspace, { props: { caseId }, attachTo: document.body.appendChild(document.createElement('div')), ...opts });
  mounted.push(w);
  await eventually(async () => (await settle(), w.find('[data-testid="status"]').exists()), false);
  return w;
}

function close(w: VueWrapper) {
  w.unmount();
  mounted.splice(mounted.indexOf(w), 1);
}

const press = (key: string, shiftKey = false) => window.dispatchEvent(new KeyboardEvent('keydown', { key, shiftKey, bubbles: true }));

beforeAll(async () => {
  server = await startTestServer();
  // The engine runs in this process and reaches the server with the global fetch, which happy-dom
  // replaces with a browser's (Origin header, same-origin policy): the page is put at the server's
  // origin so the engine's requests are same-origin ones the server accepts.
  (window as unknown as { happyDOM: { setURL: (url: string) => void } }).happyDOM.setURL(`${server.url}/`);
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'arbitra-workspace-'));
  const dataDir = path.join(root, 'specialist');
  await seedDataDir(dataDir);
  ws = await openWorkstation({ dataDir, serverUrl: server.url, keys: new FileKeyProvider(dataDir), shell: 'browser', syncIntervalMs: 60_000 });
  await ws.session.signIn({ email: server.users.specialist.email, password: TEST_PASSWORD, deviceName: 'Workspace test' });
  const client = server.client(await server.login('specialist'));
  caseId = (await client.cases.create.mutate({ ...complaint(`WS${Date.now()}`), amounts: [{ asset: 'USDT', amount: '1200.000000000000000001' }] } as never)).id;
  await eventually(async () => (await ws.cases.get(caseId).catch(() => null)) !== null);
  connect();
}, 180_000);

afterAll(async () => {
  for (const w of mounted.splice(0)) w.unmount();
  resetShortcuts();
  await ws?.close().catch(() => undefined);
  await server?.close();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

describe('the case workspace on the real engine', () => {
  it('offers exactly the actions the engine allows, and takes one from the keyboard', async () => {
    const w = await open('en');
    const view: CaseView = await ws.cases.get(caseId);
    expect(view.actions.length).toBeGreaterThan(0);
    const shown = w.findAll('[data-testid="header-actions"] button[data-action]').map((b) => b.attributes('data-action'));
    expect(shown).toEqual(view.actions.map((a) => a.action));
    for (const r of view.refused.filter((r) => !view.actions.some((a) => a.action === r.action)))
      expect(w.find(`[data-testid="header-actions"] [data-refused="${r.action}"]`).text()).toContain(translate('en', r.messageKey, r.params));
    expect(w.find('[data-testid="amount"]').text()).toBe('1,200.000000000000000001');

    // "g" then "n": the notes section, focused.
    press('g');
    press('n');
    await settle();
    expect(w.find('#tab-notes').attributes('aria-selected')).toBe('true');
    press('g');
    press('t');
    await settle();
    expect(w.find('#tab-timeline').attributes('aria-selected')).toBe('true');

    // Shift+R: start review, confirmed in the dialog.
    expect(view.actions.map((a) => a.action)).toContain('start_review');
    press('R', true);
    await settle();
    const confirm = document.querySelector<HTMLButtonElement>('[data-testid="action-confirm"]');
    expect(confirm).not.toBeNull();
    confirm!.click();
    await eventually(async () => (await settle(), w.find('[data-testid="status"]').text() === 'Initial review'), false);
    expect((await ws.cases.get(caseId)).status).toBe('initial_review');
    expect(w.find('[data-testid="pending-changes"]').exists()).toBe(true);
    close(w);
  });

  it('keeps a note typed in a closed window as a draft, restores it when the case is opened again, and clears it once the note is added', async () => {
    let w = await open('zh-CN');
    await w.find('textarea[data-testid="note-body"]').setValue('已电话联系用户，对方将补充订单截图。');
    await new Promise((r) => setTimeout(r, 700));
    expect(await ws.drafts.get(`note:${caseId}`)).toMatchObject({ text: '已电话联系用户，对方将补充订单截图。' });
    close(w);

    w = await open('zh-CN');
    await settle();
    expect((w.find('textarea[data-testid="note-body"]').element as HTMLTextAreaElement).value).toBe('已电话联系用户，对方将补充订单截图。');
    await w.find('[data-testid="note-add"]').trigger('click');
    await eventually(async () => (await settle(), (await ws.cases.work(caseId)).notes.length === 1), false);
    expect(await ws.drafts.get(`note:${caseId}`)).toBeNull();
    const work = await ws.cases.work(caseId);
    expect(work.notes[0]).toMatchObject({ body: '已电话联系用户，对方将补充订单截图。' });
    await settle();
    expect((w.find('textarea[data-testid="note-body"]').element as HTMLTextAreaElement).value).toBe('');
    // Shown at once, marked as waiting for the server until a sync brings it back accepted.
    if (work.notes[0]!.pending) expect(w.text()).toContain(translate('zh-CN', 'workspace.not_synced'));
    await eventually(async () => !(await ws.cases.work(caseId)).notes[0]!.pending);
    close(w);
  });

  it('sends a remedy’s amount as the decimal string typed and shows it back exactly', async () => {
    // Bring the case to assessment through the engine, as the specialist would.
    await ws.cases.mutate('classify', { caseId, category: 'trade', subcategory: 'slippage', tier: 'L2', priority: 'normal' });
    await ws.cases.mutate('transition', { caseId, action: 'accept', expectedStatus: 'initial_review' });
    await ws.cases.mutate('transition', { caseId, action: 'complete_investigation', expectedStatus: 'investigation' });
    expect((await ws.cases.get(caseId)).status).toBe('assessment');

    const w = await open('en');
    // Fault shares that do not add up are refused at the field; nothing reaches the engine.
    await w.find('input[data-testid="share-platform"]').setValue('50');
    await w.find('input[data-testid="share-user"]').setValue('40');
    await w.find('input[data-testid="share-third-party"]').setValue('0');
    await w.find('textarea[data-testid="findings"]').setValue('Order filled outside the slippage tolerance.');
    await w.find('[data-testid="assessment-save"]').trigger('click');
    await settle();
    expect(w.find('input[data-testid="share-platform"]').element.closest('.el-form-item')!.textContent).toContain(translate('en', 'validation.fault_shares_sum'));
    expect((await ws.cases.work(caseId)).assessment).toBeNull();
    await w.find('input[data-testid="share-user"]').setValue('50');
    await w.find('[data-testid="assessment-save"]').trigger('click');
    await eventually(async () => (await settle(), (await ws.cases.work(caseId)).assessment !== null), false);
    expect((await ws.cases.work(caseId)).assessment).toMatchObject({ platformShare: '50', userShare: '50', thirdPartyShare: '0' });

    const amount = '1234.567890123456789012';
    await w.find('input[data-testid="remedy-asset"]').setValue('USDT');
    await w.find('input[data-testid="remedy-amount-input"]').setValue(amount);
    await w.find('[data-testid="remedy-save"]').trigger('click');
    const remedy = await eventually(async () => (await settle(), (await ws.cases.work(caseId)).remedies[0]), false);
    expect(remedy).toMatchObject({ kind: 'refund', asset: 'USDT', amount });
    await eventually(async () => (await settle(), w.find('[data-testid="remedy-amount"]').exists()), false);
    expect(w.find('[data-testid="remedy-amount"]').text()).toBe('1,234.567890123456789012 USDT');
    close(w);
  });

  it('follows changes made elsewhere (another window, a pull) through the engine’s events', async () => {
    const sync = useSyncStore();
    sync.connect();
    const w = await open('en');
    const notesBefore = (await ws.cases.work(caseId)).notes.length;
    // Another window of the same workstation adds a note.
    await ws.cases.mutate('addNote', { caseId, body: 'Written in another window.' });
    await eventually(async () => (await settle(), w.text().includes('Written in another window.')), false);
    expect((await ws.cases.work(caseId)).notes.length).toBe(notesBefore + 1);
    sync.disconnect();
    close(w);
  });
});
