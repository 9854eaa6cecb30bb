// The specialist's day, end to end, on real parts only: a real server over real Postgres, two
// workstation engines in browser mode (the built renderer served by the browser shell, each engine
// with its own temporary data directory), and headless Chromium at 1440×900 driving the screens
// through their accessible names, in the languages the screens show (shared/i18n).
//
// A specialist signs in (registering the workstation), finds a Chinese complaint by a Chinese word
// in the queue's search box, reviews, classifies, investigates, asks for material (the SLA clock
// pauses, then resumes), and completes the investigation. The network between the specialist's
// engine and the server is then cut (a TCP relay in between drops every connection): the
// specialist keeps working (a note, the assessment with fault shares summing to 100); the status
// bar says offline and counts the changes waiting; the network comes back and everything syncs.
// The language is switched to Chinese mid-flow. A compensation above the approval threshold is
// drafted; offline again, the specialist asks for approval while the supervisor, on a second
// workstation, asks the complainant for material: the server refuses the specialist's change (the
// case moved), the refused-changes drawer says so in Chinese, and the specialist resolves it from
// the screen (material received, then retry): the case goes to pending approval. The supervisor
// approves it on the other workstation. axe-core finds no serious or critical violation on the
// queue and the workspace; screenshots of both in both languages go to test-artifacts/e2e/.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/lib/chromium';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../support/server';
import { createIntakeKey } from '../../server/src/intake/intake-keys.repository';
import { postComplaint } from '../support/intake';
import { DEMO_CASES } from '../../server/src/demo/cases';
import type { Language } from '../../shared/domain';
import { CuttableLink } from './support/link';
import { ARTIFACTS_DIR, builtRenderer, exactly, screenshot, seriousViolations, startTestWorkstation, tr, VIEWPORT, type TestWorkstation } from './support/workstation-browser';

/** The Chinese complaint the specialist works: a demo case (TRC20 deposit not credited), as the intake desk posts it. */
const DEMO = DEMO_CASES.find((c) => c.complainant.language === 'zh-CN' && c.endsIn === 'received')!;
/** A word of its description the specialist searches by. */
const SEARCH_WORD = '核实入账';

const STEP_MS = 20_000;
const SYNC_MS = 30_000;

let server: TestServer;
let link: CuttableLink;
let specialistWs: TestWorkstation;
let supervisorWs: TestWorkstation;
let browser: Browser;
const contexts: BrowserContext[] = [];
/** What the pages said on their consoles (errors and warnings), shown when the test fails. */
const consoleLines: string[] = [];
let caseId: string;
let caseNumber: string;
let failed = true;
let rendererCopy: string | null = null;

function complaintOf(c: typeof DEMO, ref: string) {
  const [amount, asset] = (c.amounts[0] ?? '150 USDT').split(' ');
  return {
    externalRef: ref,
    channel: c.channel,
    category: c.category,
    subcategory: c.subcategory,
    description: c.description,
    occurredAt: new Date(Date.now() - 3 * 3_600_000).toISOString(),
    complainant: {
      exchangeUid: c.complainant.uid,
      name: c.complainant.name,
      email: c.complainant.email,
      phone: c.complainant.phone,
      vipLevel: c.complainant.vipLevel,
      language: c.complainant.language,
      region: c.complainant.region,
    },
    amounts: [{ asset: asset!, amount: amount! }],
  };
}

beforeAll(async () => {
  // What an earlier failed run left behind is not this run's.
  if (fs.existsSync(ARTIFACTS_DIR)) for (const f of fs.readdirSync(ARTIFACTS_DIR)) if (f.startsWith('failure-')) fs.rmSync(path.join(ARTIFACTS_DIR, f));
  server = await startTestServer();
  // The organisation's settings: a USD rate for USDT and an approval threshold of 100 USD.
  const admin = server.client(await server.login('admin'));
  await admin.rules.setAssetRate.mutate({ asset: 'USDT', effectiveAt: new Date(Date.now() - 30 * 86_400_000).toISOString(), usdRate: '1' });
  await admin.rules.setApprovalThreshold.mutate({ thresholdUsd: '100' });

  // The complaint arrives from the app-feedback channel, beside two English ones, and the supervisor assigns it.
  const key = await createIntakeKey(server.t.db, { name: 'Helpdesk', defaultTeamId: server.teamId });
  const posted = await postComplaint(server.url, key.key, complaintOf(DEMO, `e2e-${DEMO.ref}`));
  expect(posted.status, posted.text).toBeLessThan(300);
  caseId = posted.json.id as string;
  caseNumber = posted.json.caseNumber as string;
  for (const other of DEMO_CASES.filter((c) => c.complainant.language === 'en' && c.amounts.length > 0).slice(0, 2)) {
    const r = await postComplaint(server.url, key.key, complaintOf(other, `e2e-${other.ref}`));
    expect(r.status, r.text).toBeLessThan(300);
  }
  await server.client(await server.login('supervisor')).cases.assign.mutate({ caseId, assigneeId: server.users.specialist.id });

  link = await CuttableLink.open(server.url);
  rendererCopy = fs.mkdtempSync(path.join(os.tmpdir(), 'arbitra-e2e-renderer-'));
  const rendererDir = await builtRenderer(rendererCopy);
  // The specialist's engine reaches the server only through the link; the supervisor's directly.
  specialistWs = await startTestWorkstation({ serverUrl: link.url, rendererDir, name: 'specialist' });
  supervisorWs = await startTestWorkstation({ serverUrl: server.url, rendererDir, name: 'supervisor' });
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  // A failed run leaves what each page showed last, and what the pages logged.
  if (failed) {
    for (const [i, c] of contexts.entries()) for (const [j, p] of c.pages().entries()) await screenshot(p, `failure-${i}-${j}`).catch(() => undefined);
    if (consoleLines.length) console.error(consoleLines.slice(-40).join('\n'));
  }
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close().catch(() => undefined);
  await specialistWs?.close();
  await supervisorWs?.close();
  await link?.close();
  await server?.close();
  if (rendererCopy) fs.rmSync(rendererCopy, { recursive: true, force: true });
}, 120_000);

async function openPage(ws: TestWorkstation): Promise<Page> {
  const context = await browser.newContext({ viewport: VIEWPORT, locale: 'en-US', timezoneId: 'Asia/Shanghai', reducedMotion: 'reduce' });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_MS);
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') consoleLines.push(`[${ws === specialistWs ? 'specialist' : 'supervisor'}] ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => consoleLines.push(`[${ws === specialistWs ? 'specialist' : 'supervisor'}] pageerror: ${e.message}`));
  await page.goto(ws.launchUrl);
  return page;
}

/** First sign-in on a workstation: the person's password and a name for the device. */
async function signIn(page: Page, L: Language, email: string, deviceName: string) {
  await expect.poll(() => page.getByRole('heading', { name: tr(L, 'ui.signin.title') }).isVisible(), { timeout: STEP_MS }).toBe(true);
  await page.getByLabel(tr(L, 'ui.signin.email'), { exact: true }).fill(email);
  await page.getByLabel(tr(L, 'ui.signin.password'), { exact: true }).fill(TEST_PASSWORD);
  await page.getByLabel(tr(L, 'ui.signin.device_name'), { exact: true }).fill(deviceName);
  await page.getByRole('button', { name: tr(L, 'ui.signin.submit'), exact: true }).click();
  // Registration, the local store's first opening and its first sync: allow a minute on a busy machine.
  await page.getByRole('heading', { name: tr(L, 'ui.nav.queue') }).waitFor({ state: 'attached', timeout: 60_000 });
}

const statusBar = (page: Page, L: Language) => page.getByRole('contentinfo', { name: tr(L, 'ui.status.label') });
const caseStatus = (page: Page) => page.getByTestId('status');
const headerActions = (page: Page, L: Language) => page.getByRole('group', { name: tr(L, 'workspace.actions.label') }).first();

async function expectText(locator: Locator, text: string | RegExp, timeout = STEP_MS) {
  await expect.poll(async () => (await locator.textContent({ timeout: 1_000 }).catch(() => null))?.trim() ?? '', { timeout }).toMatch(typeof text === 'string' ? exactly(text) : text);
}

async function openTab(page: Page, L: Language, section: string) {
  await page.getByRole('tab', { name: new RegExp(`^${tr(L, `workspace.section.${section}`).replace(/[()]/g, '\\$&')}`) }).click();
}

/** Takes a lifecycle action from the header: its button, the dialog (with a reason where the lifecycle asks one), confirm. */
async function act(page: Page, L: Language, action: string, reason?: string) {
  const label = tr(L, `case.action.${action}`);
  await headerActions(page, L).getByRole('button', { name: label, exact: true }).click();
  const dialog = page.getByRole('dialog', { name: label });
  await dialog.waitFor();
  if (reason !== undefined) await dialog.getByLabel(tr(L, 'workspace.actions.reason'), { exact: true }).fill(reason);
  await dialog.getByRole('button', { name: label, exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
}

async function expectStatus(page: Page, L: Language, state: string, timeout = STEP_MS) {
  await expectText(caseStatus(page), tr(L, `case.state.${state}`), timeout);
}

async function expectSynced(page: Page, L: Language) {
  await expectText(statusBar(page, L).getByText(tr(L, 'ui.status.all_synced'), { exact: true }), tr(L, 'ui.status.all_synced'), SYNC_MS);
}

async function serverCase() {
  return server.t.db.selectFrom('cases').select(['status', 'sla_paused_at', 'assignee_id']).where('id', '=', caseId).executeTakeFirstOrThrow();
}

async function pickOption(page: Page, combobox: Locator, option: string) {
  // Element Plus lays the placeholder (or the selected label) over the select's input: the click lands on it and opens the list.
  await combobox.click({ force: true });
  await page.getByRole('option', { name: option, exact: true }).filter({ visible: true }).click();
}

describe('workstation end to end', () => {
  it('a specialist works a Chinese complaint to pending approval across a network cut, the server refuses one change, a supervisor approves', async () => {
    const A11Y: Record<string, unknown> = {};
    let L: Language = 'en';

    // ---- sign in (first time: the workstation registers as the specialist's device)
    const page = await openPage(specialistWs);
    await signIn(page, L, server.users.specialist.email, 'E2E specialist laptop');
    await expectText(statusBar(page, L).getByRole('status').first(), tr(L, 'ui.status.connection.online'));
    const device = await server.t.db.selectFrom('devices').select(['name', 'user_id']).where('name', '=', 'E2E specialist laptop').executeTakeFirst();
    expect(device?.user_id).toBe(server.users.specialist.id);

    // ---- the queue: three cases; a Chinese word finds the one
    const queueTable = page.getByRole('region', { name: tr(L, 'ui.queue.table_label') });
    await expect.poll(() => queueTable.getByRole('link', { name: caseNumber }).count(), { timeout: SYNC_MS }).toBe(1);
    await expect
      .poll(
        () =>
          queueTable
            .getByRole('row')
            .filter({ has: page.getByRole('link') })
            .count(),
        { timeout: STEP_MS },
      )
      .toBe(3);
    await screenshot(page, 'queue-en');
    A11Y['queue (en)'] = await seriousViolations(page);

    await page.getByRole('textbox', { name: tr(L, 'ui.queue.search.label') }).fill(SEARCH_WORD);
    await expect
      .poll(
        () =>
          queueTable
            .getByRole('row')
            .filter({ has: page.getByRole('link') })
            .count(),
        { timeout: STEP_MS },
      )
      .toBe(1);
    await expectText(page.getByRole('status').filter({ hasText: tr(L, 'ui.queue.total', { count: 1 }) }), tr(L, 'ui.queue.total', { count: 1 }));
    await queueTable.getByRole('link', { name: caseNumber }).click();

    // ---- the workspace: review, classify, accept
    await page.getByRole('heading', { name: tr(L, 'workspace.title', { caseNumber }) }).waitFor();
    await expectStatus(page, L, 'received');
    await act(page, L, 'start_review');
    await expectStatus(page, L, 'initial_review');

    await openTab(page, L, 'classification');
    await page.getByRole('button', { name: tr(L, 'workspace.classification.save'), exact: true }).click();
    await headerActions(page, L)
      .getByRole('button', { name: tr(L, 'case.action.accept'), exact: true })
      .waitFor();
    await act(page, L, 'accept');
    await expectStatus(page, L, 'investigation');

    // ---- investigate: a consultation with risk, a note
    await openTab(page, L, 'consultations');
    await pickOption(page, page.getByRole('combobox', { name: tr(L, 'workspace.consultations.team') }), tr(L, 'dossier.team.risk'));
    await page.getByLabel(tr(L, 'workspace.consultations.question'), { exact: true }).fill('请风控核实 TRC20 充值地址是否属于本平台，以及该笔交易是否被风控拦截。');
    await page.getByRole('button', { name: tr(L, 'workspace.consultations.ask'), exact: true }).click();
    await openTab(page, L, 'notes');
    await page.getByLabel(tr(L, 'workspace.notes.new'), { exact: true }).fill('TRONSCAN shows 21 confirmations; the deposit address is ours (hot wallet 3). 充值地址属于本平台。');
    await page.getByRole('button', { name: tr(L, 'workspace.notes.add'), exact: true }).click();
    await expectSynced(page, L);

    // ---- material requested: the SLA clock pauses; received: it resumes
    const resolutionClock = page
      .getByRole('list', { name: tr(L, 'workspace.sla.label') })
      .getByRole('listitem')
      .filter({ hasText: tr(L, 'sla.deadline.resolution') });
    await expect.poll(() => resolutionClock.textContent(), { timeout: STEP_MS }).toContain(tr(L, 'workspace.sla.running'));
    await act(page, L, 'request_material', '请提供充值页面截图及钱包转出记录（含交易哈希）。');
    await expectStatus(page, L, 'awaiting_material');
    await expect.poll(() => resolutionClock.textContent(), { timeout: STEP_MS }).toContain(tr(L, 'workspace.sla.paused'));
    await expectSynced(page, L);
    await expect.poll(async () => (await serverCase()).sla_paused_at !== null, { timeout: SYNC_MS }).toBe(true);

    await act(page, L, 'material_received');
    await expectStatus(page, L, 'investigation');
    await expect.poll(() => resolutionClock.textContent(), { timeout: STEP_MS }).toContain(tr(L, 'workspace.sla.running'));
    await expectSynced(page, L);
    await expect.poll(async () => serverCase(), { timeout: SYNC_MS }).toMatchObject({ status: 'investigation', sla_paused_at: null });

    await act(page, L, 'complete_investigation');
    await expectStatus(page, L, 'assessment');
    await expectSynced(page, L);
    await expect.poll(async () => (await serverCase()).status, { timeout: SYNC_MS }).toBe('assessment');
    await screenshot(page, 'workspace-en');
    A11Y['workspace (en)'] = await seriousViolations(page);

    // ---- the network is cut: the specialist keeps working
    link.cut();
    const offlineNote = '离线记录：已与钱包团队电话确认，该笔充值因备注缺失被挂起。Offline note: the deposit is held for a missing memo.';
    await openTab(page, L, 'notes');
    await page.getByLabel(tr(L, 'workspace.notes.new'), { exact: true }).fill(offlineNote);
    await page.getByRole('button', { name: tr(L, 'workspace.notes.add'), exact: true }).click();
    await openTab(page, L, 'assessment');
    await page.getByLabel(tr(L, 'dossier.assessment.platform'), { exact: true }).fill('70');
    await page.getByLabel(tr(L, 'dossier.assessment.user'), { exact: true }).fill('30');
    await page.getByLabel(tr(L, 'dossier.assessment.third_party'), { exact: true }).fill('0');
    const findings = '平台未按规定自动识别缺失备注的充值并通知用户，承担主要责任；用户未填写备注，承担次要责任。';
    await page.getByLabel(tr(L, 'dossier.assessment.findings'), { exact: true }).fill(findings);
    await expectText(page.getByTestId('share-sum'), tr(L, 'workspace.assessment.sum', { sum: '100' }));
    await page.getByRole('button', { name: tr(L, 'workspace.assessment.save'), exact: true }).click();

    const bar = statusBar(page, L);
    await expectText(bar.getByRole('status').first(), tr(L, 'ui.status.connection.offline'), SYNC_MS);
    await expectText(bar.getByText(tr(L, 'ui.status.pending', { count: 2 })), tr(L, 'ui.status.pending', { count: 2 }), SYNC_MS);
    await page.getByTestId('current-assessment').waitFor();
    expect(await server.t.db.selectFrom('notes').select('id').where('body', '=', offlineNote).execute()).toHaveLength(0);

    // ---- the network comes back: everything syncs
    link.restore();
    await expectText(bar.getByRole('status').first(), tr(L, 'ui.status.connection.online'), SYNC_MS);
    await expectSynced(page, L);
    await expect
      .poll(async () => (await server.t.db.selectFrom('notes').select('author_id').where('body', '=', offlineNote).execute()).map((n) => n.author_id), { timeout: SYNC_MS })
      .toEqual([server.users.specialist.id]);
    const assessment = await server.t.db
      .selectFrom('assessments')
      .select(['platform_share', 'user_share', 'third_party_share', 'findings'])
      .where('case_id', '=', caseId)
      .where('superseded_at', 'is', null)
      .executeTakeFirstOrThrow();
    expect([Number(assessment.platform_share), Number(assessment.user_share), Number(assessment.third_party_share)]).toEqual([70, 30, 0]);
    expect(assessment.findings).toBe(findings);

    // ---- mid-flow the specialist switches to Chinese
    // The switch is named by what it offers (中文) or by its label, whichever the top bar gives it.
    const languageSwitch = [tr(L, 'app.language.switch'), tr(L, 'ui.language.switch_label')].map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
    await page.getByRole('button', { name: new RegExp(`^\\s*(${languageSwitch})\\s*$`) }).click();
    L = 'zh-CN';
    await expectStatus(page, L, 'assessment');
    await page.getByRole('link', { name: tr(L, 'ui.nav.queue') }).waitFor();
    await expectText(statusBar(page, L).getByRole('status').first(), tr(L, 'ui.status.connection.online'));

    // ---- a compensation above the approval threshold (100 USD)
    await openTab(page, L, 'remedies');
    await pickOption(page, page.getByRole('combobox', { name: tr(L, 'dossier.remedy.kind') }), tr(L, 'dossier.remedy_kind.compensation'));
    await page.getByLabel(tr(L, 'dossier.amount.asset'), { exact: true }).fill('USDT');
    await page.getByLabel(tr(L, 'dossier.remedy.amount'), { exact: true }).fill('150');
    await page.getByLabel(tr(L, 'dossier.remedy.details'), { exact: true }).fill('补偿未入账的 150 USDT 充值。');
    await page.getByRole('button', { name: tr(L, 'workspace.remedies.save'), exact: true }).click();
    await expectSynced(page, L);
    await expect
      .poll(async () => server.t.db.selectFrom('remedies').select(['kind', 'asset', 'amount', 'usd_value']).where('case_id', '=', caseId).execute(), { timeout: SYNC_MS })
      .toEqual([expect.objectContaining({ kind: 'compensation', asset: 'USDT' })]);
    await headerActions(page, L)
      .getByRole('button', { name: tr(L, 'case.action.request_approval'), exact: true })
      .waitFor();

    // ---- offline again, the specialist asks for approval while the supervisor, online, asks for material
    link.cut();
    await act(page, L, 'request_approval');
    await expectStatus(page, L, 'pending_approval');
    await expectText(statusBar(page, L).getByText(tr(L, 'ui.status.pending', { count: 1 })), tr(L, 'ui.status.pending', { count: 1 }), SYNC_MS);

    const sup = await openPage(supervisorWs);
    const SL: Language = 'en';
    await signIn(sup, SL, server.users.supervisor.email, 'E2E supervisor desktop');
    await sup.goto(`${supervisorWs.origin}/#/cases/${caseId}`);
    await sup.getByRole('heading', { name: tr(SL, 'workspace.title', { caseNumber }) }).waitFor({ timeout: SYNC_MS });
    await expectStatus(sup, SL, 'assessment', SYNC_MS);
    await act(sup, SL, 'request_material', 'Please send the wallet withdrawal record with the memo field.');
    await expectSynced(sup, SL);
    await expect.poll(async () => (await serverCase()).status, { timeout: SYNC_MS }).toBe('awaiting_material');

    // ---- back online: the server refuses the request for approval (the case moved), and says why
    link.restore();
    const refused = tr(L, 'ui.status.rejected', { count: 1 });
    await statusBar(page, L).getByRole('button', { name: refused }).waitFor({ timeout: SYNC_MS });
    await expectStatus(page, L, 'awaiting_material', SYNC_MS);
    await statusBar(page, L).getByRole('button', { name: refused }).click();
    const drawer = page.getByRole('dialog', { name: tr(L, 'ui.rejection.title') });
    await drawer.waitFor();
    // The refused change is named by the action refused, its reason with the state in words.
    const rejection = drawer.getByRole('listitem').filter({ hasText: tr(L, 'case.action.request_approval') });
    await expect.poll(() => rejection.textContent(), { timeout: STEP_MS }).toContain(tr(L, 'error.case_moved', { status: tr(L, 'case.state.awaiting_material') }));
    const reasonText = (await rejection.textContent()) ?? '';
    expect(reasonText).toContain(caseNumber);
    await screenshot(page, 'rejected-changes-zh-CN');

    // ---- resolved from the screen: material received, then the refused change retried
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
    await act(page, L, 'material_received');
    await expectStatus(page, L, 'assessment');
    await expectSynced(page, L);
    await statusBar(page, L).getByRole('button', { name: refused }).click();
    await drawer.waitFor();
    await rejection.getByRole('button', { name: tr(L, 'ui.rejection.retry'), exact: true }).click();
    await expect.poll(() => drawer.getByRole('listitem').count(), { timeout: STEP_MS }).toBe(0);
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
    await expectSynced(page, L);
    await expectStatus(page, L, 'pending_approval', SYNC_MS);
    await statusBar(page, L)
      .getByRole('button', { name: tr(L, 'ui.status.rejected', { count: 0 }) })
      .waitFor();
    await expect.poll(async () => (await serverCase()).status, { timeout: SYNC_MS }).toBe('pending_approval');
    const approval = await server.t.db.selectFrom('approvals').select(['requested_by', 'decision', 'usd_total']).where('case_id', '=', caseId).executeTakeFirstOrThrow();
    expect(approval).toMatchObject({ requested_by: server.users.specialist.id, decision: null });
    expect(Number(approval.usd_total)).toBe(150);

    await openTab(page, L, 'remedies');
    await screenshot(page, 'workspace-zh-CN');
    A11Y['workspace (zh-CN)'] = await seriousViolations(page);

    // ---- the supervisor approves on the other workstation (four eyes)
    await expectStatus(sup, SL, 'pending_approval', SYNC_MS);
    await act(sup, SL, 'approve');
    await expectStatus(sup, SL, 'resolution_proposed');
    await expectSynced(sup, SL);
    await expect.poll(async () => (await serverCase()).status, { timeout: SYNC_MS }).toBe('resolution_proposed');
    const decided = await server.t.db.selectFrom('approvals').select(['decision', 'decided_by']).where('case_id', '=', caseId).executeTakeFirstOrThrow();
    expect(decided).toEqual({ decision: 'approved', decided_by: server.users.supervisor.id });

    // ---- the specialist's workstation hears of it; the queue in Chinese
    await expectStatus(page, L, 'resolution_proposed', SYNC_MS);
    await page.getByRole('link', { name: tr(L, 'ui.nav.queue') }).click();
    const queueZh = page.getByRole('region', { name: tr(L, 'ui.queue.table_label') });
    const searchZh = page.getByRole('textbox', { name: tr(L, 'ui.queue.search.label') });
    await searchZh.fill('');
    await searchZh.blur();
    await expect
      .poll(
        () =>
          queueZh
            .getByRole('row')
            .filter({ has: page.getByRole('link') })
            .count(),
        { timeout: STEP_MS },
      )
      .toBe(3);
    await screenshot(page, 'queue-zh-CN');
    A11Y['queue (zh-CN)'] = await seriousViolations(page);

    // ---- accessibility: nothing serious or critical on either screen, in either language
    expect(A11Y).toEqual({ 'queue (en)': [], 'workspace (en)': [], 'workspace (zh-CN)': [], 'queue (zh-CN)': [] });
    for (const name of ['queue-en', 'queue-zh-CN', 'workspace-en', 'workspace-zh-CN']) expect(fs.existsSync(path.join(ARTIFACTS_DIR, `${name}.png`))).toBe(true);
    failed = false;
  }, 420_000);
});
