// The arbitration portal end to end, on real parts only: the built portal (out/portal, built on
// demand as `npm start` does) served by a real server over real Postgres under /portal/, and headless
// Chromium at 1440×900 driving it through accessible names, in the languages the screens show.
//
// Legal seats a test arbitrator on two escalated cases (a sole arbitration and a panel of three).
// The arbitrator opens the portal: the page comes with its CSP and no caching, and the first route's
// JavaScript is under 300 KB gzipped. A wrong authenticator code is refused at the code field, in
// English; the right one signs in. The inbox lists both seats (sortable, from the keyboard too); the
// language switches to Chinese without a reload; on the sole seat the arbitrator sees only the
// pseudonymous summary, fills the structured disclosure and accepts — both recorded by the server.
// On the panel seat an empty disclosure is refused field by field, and the messages follow a
// language switch. Signing out brings the sign-in back. axe-core finds no serious or critical
// violation on any page; no Content-Security-Policy violation is reported; screenshots of each page
// in both languages go to test-artifacts/e2e/portal-*.png.
//
// Then a new member: legal invites an arbitrator through members.invite, the mail lands in the
// outbox (no SMTP server set), and its link opens the setup page, which takes the token out of the
// address. The invitee sets the account up with a TOTP code computed from the key the page shows,
// stores the ten recovery codes, reaches the inbox, and saves a profile the platform then reads.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectors, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { launchChromium } from '../../scripts/lib/chromium';
import { ensurePortalBuilt } from '../../scripts/lib/portal-build';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../support/server';
import { authenticator } from '../support/totp';
import { escalateCase } from '../support/arbitration-case';
import { outboxMails, setupToken } from '../support/mail';
import { ARTIFACTS_DIR, exactly, screenshot, seriousViolations, tr, VIEWPORT, type AxeViolation } from './support/workstation-browser';
import type { Language } from '../../shared/domain';

const STEP_MS = 20_000;
const JS_BUDGET_GZIP = 300 * 1024;

let server: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let sole: { caseId: string; caseNumber: string; memberId: string };
let panel: { caseId: string; caseNumber: string; memberId: string };
let legal: ReturnType<TestServer['client']>;
const problems: string[] = [];
const A11Y: Record<string, AxeViolation[]> = {};
let failed = true;

beforeAll(async () => {
  fs.rmSync(path.join(ARTIFACTS_DIR, 'failure-portal.png'), { force: true });
  await ensurePortalBuilt();
  server = await startTestServer();
  const specialist = server.client(await server.login('specialist'));
  legal = server.client(await server.login('legal'));
  const seat = async (uid: string, panelSize: 1 | 3) => {
    const { caseId, escalationId } = await escalateCase({ specialist, legal }, uid, 'arbitration', panelSize);
    const { id: memberId } = await legal.escalations.assignMember.mutate({ escalationId, userId: server.users.arbitrator.id, seat: panelSize === 3 ? 'lawyer' : 'chair' });
    return { caseId, caseNumber: (await specialist.cases.get.query({ caseId })).caseNumber, memberId };
  };
  sole = await seat('portal-e2e-sole', 1);
  panel = await seat('portal-e2e-panel', 3);

  // The portal marks what tests look for with data-test (as the workstation's renderer does).
  selectors.setTestIdAttribute('data-test');
  browser = await launchChromium();
  context = await browser.newContext({ viewport: VIEWPORT, locale: 'en-US', timezoneId: 'Asia/Shanghai', reducedMotion: 'reduce' });
  page = await context.newPage();
  page.setDefaultTimeout(STEP_MS);
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
}, 300_000);

afterAll(async () => {
  if (failed && page) await screenshot(page, 'failure-portal').catch(() => undefined);
  if (failed && problems.length) console.error(problems.slice(-40).join('\n'));
  await context?.close().catch(() => undefined);
  await browser?.close().catch(() => undefined);
  await server?.close();
}, 120_000);

async function axe(name: string) {
  A11Y[name] = await seriousViolations(page);
  expect(A11Y[name], name).toEqual([]);
}

const heading = (L: Language, key: string, params: Record<string, string> = {}) => page.getByRole('heading', { level: 1, name: tr(L, key, params) });
const button = (L: Language, key: string) => page.getByRole('button', { name: exactly(tr(L, key)) });

/** The whole page, not only the viewport: the setup and profile pages are longer than one screen. */
async function fullScreenshot(name: string) {
  // screenshot() waits for the fonts first; the full-length picture replaces its viewport one.
  const file = await screenshot(page, name);
  await page.screenshot({ path: file, fullPage: true, caret: 'hide', animations: 'disabled' });
}

async function switchLanguage(to: Language) {
  // The switch reads as the language it switches to ("中文" on an English screen).
  const from: Language = to === 'zh-CN' ? 'en' : 'zh-CN';
  await page.getByRole('button', { name: exactly(tr(from, 'app.language.switch')) }).click();
  await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(to);
}

describe('arbitration portal', () => {
  it('serves the page with a strict CSP, no caching and a first route under 300 KB of gzipped JavaScript', async () => {
    const scripts: Promise<number>[] = [];
    page.on('response', (r) => {
      if (/\/portal\/assets\/.*\.js$/.test(r.url())) scripts.push(r.body().then((b) => zlib.gzipSync(b).length));
    });
    const res = await page.goto(`${server.url}/portal/`);
    expect(res?.status()).toBe(200);
    const headers = res!.headers();
    expect(headers['content-security-policy']).toContain("script-src 'self'");
    expect(headers['content-security-policy']).not.toContain("'unsafe-eval'");
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['cache-control']).toBe('no-store');
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['x-frame-options']).toBe('DENY');
    await expect.poll(() => heading('en', 'portal.signin.title').isVisible()).toBe(true);
    await page.waitForLoadState('networkidle');
    const total = (await Promise.all(scripts)).reduce((a, b) => a + b, 0);
    console.log(`[portal] first route: ${scripts.length} script(s), ${(total / 1024).toFixed(1)} KB gzipped`);
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(JS_BUDGET_GZIP);

    const asset = (await page.locator('script[type="module"]').first().getAttribute('src'))!;
    const assetRes = await page.request.get(`${server.url}${asset}`);
    expect(assetRes.headers()['cache-control']).toContain('immutable');
  });

  it('signs in: a wrong code is refused at the code field, the right one opens the inbox', async () => {
    await axe('sign-in (en)');
    await screenshot(page, 'portal-signin-en');
    await switchLanguage('zh-CN');
    await expect.poll(() => heading('zh-CN', 'portal.signin.title').isVisible()).toBe(true);
    await axe('sign-in (zh-CN)');
    await screenshot(page, 'portal-signin-zh-CN');
    await switchLanguage('en');

    const user = server.users.arbitrator;
    await page.getByLabel(tr('en', 'portal.signin.email'), { exact: true }).fill(user.email);
    await page.getByLabel(tr('en', 'portal.signin.password'), { exact: true }).fill(TEST_PASSWORD);
    const code = authenticator.generate(user.totpSecret!);
    const wrong = String((Number(code) + 500_000) % 1_000_000).padStart(6, '0');
    await page.getByLabel(tr('en', 'portal.signin.totp'), { exact: true }).fill(wrong);
    await button('en', 'portal.signin.submit').click();
    const codeItem = page.locator('.el-form-item', { has: page.getByLabel(tr('en', 'portal.signin.totp'), { exact: true }) });
    await expect.poll(() => codeItem.locator('.el-form-item__error').textContent()).toBe(tr('en', 'auth.totp_invalid'));
    await axe('sign-in with an error (en)');

    await page.getByLabel(tr('en', 'portal.signin.totp'), { exact: true }).fill(code);
    await button('en', 'portal.signin.submit').click();
    await expect.poll(() => heading('en', 'portal.inbox.title').isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('user-name').textContent()).toContain('Test arbitrator');
  });

  it('lists both seats, sortable with the keyboard, in either language', async () => {
    const rows = page.getByTestId('seat-row');
    await expect.poll(() => rows.count()).toBe(2);
    for (const s of [sole, panel]) await expect.poll(() => page.getByRole('link', { name: tr('en', 'portal.inbox.open_seat', { caseNumber: s.caseNumber }) }).isVisible()).toBe(true);
    await expect.poll(() => rows.first().getByTestId('seat-status').textContent()).toBe(tr('en', 'portal.status.awaiting_disclosure'));
    await axe('inbox (en)');
    await screenshot(page, 'portal-inbox-en');

    // On a fresh load the first Tab reaches the skip link, which moves focus to the page; the sort
    // buttons work from the keyboard, with a visible focus.
    await page.reload();
    await expect.poll(() => rows.count()).toBe(2);
    await page.keyboard.press('Tab');
    expect(await page.locator(':focus').textContent()).toBe(tr('en', 'portal.skip_to_content'));
    await page.keyboard.press('Enter');
    expect(await page.locator(':focus').getAttribute('id')).toBe('main');
    const sortByCase = page.getByTestId('sort-caseNumber');
    await sortByCase.focus();
    await page.keyboard.press('Enter');
    const caseHeader = page.locator('th', { has: sortByCase });
    await expect.poll(() => caseHeader.getAttribute('aria-sort')).toBe('ascending');
    // The focus ring: the page's :focus-visible outline, drawn by the browser (the test runs without the DOM's types).
    expect(await sortByCase.evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { outlineStyle: string } }).getComputedStyle(el).outlineStyle)).not.toBe('none');
    const ordered = [sole.caseNumber, panel.caseNumber].sort();
    await expect.poll(() => rows.first().locator('td').first().textContent()).toContain(ordered[0]!);
    await page.keyboard.press('Enter');
    await expect.poll(() => caseHeader.getAttribute('aria-sort')).toBe('descending');
    await expect.poll(() => rows.first().locator('td').first().textContent()).toContain(ordered[1]!);

    await switchLanguage('zh-CN');
    await expect.poll(() => heading('zh-CN', 'portal.inbox.title').isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('button', { name: tr('zh-CN', 'portal.signout.action') }).isVisible()).toBe(true);
    await axe('inbox (zh-CN)');
    await screenshot(page, 'portal-inbox-zh-CN');
  });

  it('on a seat before acceptance: only the pseudonymous summary, then the disclosure and the acceptance', async () => {
    await page.getByRole('link', { name: tr('zh-CN', 'portal.inbox.open_seat', { caseNumber: sole.caseNumber }) }).click();
    await expect.poll(() => heading('zh-CN', 'portal.seat.title', { caseNumber: sole.caseNumber }).isVisible()).toBe(true);
    const summary = await page.getByTestId('seat-summary').textContent();
    // The complainant's name, e-mail and phone (test/server/evidence/support.ts complaint()) are nowhere.
    for (const pii of ['陈静', '@mail.example.com', '8123 4567']) expect(summary).not.toContain(pii);
    expect(await page.getByTestId('answer-needs-disclosure').textContent()).toBe(tr('zh-CN', 'portal.answer.needs_disclosure'));
    await axe('seat before disclosure (zh-CN)');
    await screenshot(page, 'portal-seat-zh-CN');

    for (const q of ['exchange', 'holdings', 'appointments']) await page.getByTestId(`question-${q}`).getByText(tr('zh-CN', 'portal.common.no'), { exact: true }).click();
    await page.getByTestId('question-complainant').getByText(tr('zh-CN', 'portal.common.yes'), { exact: true }).click();
    await page.getByLabel(tr('zh-CN', 'portal.disclosure.details'), { exact: true }).fill('十年前曾与投诉人同在一家律所任职，此后无往来。');
    await page.getByLabel(tr('zh-CN', 'portal.disclosure.statement'), { exact: true }).fill('据我所知，不存在影响我公正性或独立性的其他情况。');
    await button('zh-CN', 'portal.disclosure.submit').click();
    await expect.poll(() => page.getByTestId('disclosure-recorded').isVisible()).toBe(true);

    await button('zh-CN', 'portal.answer.accept').click();
    await expect.poll(() => page.getByTestId('answer-recorded').isVisible()).toBe(true);
    await axe('seat accepted (zh-CN)');
    await screenshot(page, 'portal-seat-accepted-zh-CN');

    // What the server recorded, read by legal on the platform side.
    const member = (await legal.escalations.forCase.query({ caseId: sole.caseId })).flatMap((e) => e.members).find((m) => m.id === sole.memberId)!;
    expect(member.acceptedAt).not.toBeNull();
    expect(member.disclosure).toContain('十年前曾与投诉人同在一家律所任职');
    expect(member.disclosure).toContain('Relationship with the complainant / 与投诉人的关系: Yes / 是');

    await switchLanguage('en');
    await expect.poll(() => page.getByTestId('answer-recorded').textContent()).toContain(tr('en', 'portal.answer.accepted', { date: '§' }).split('§')[0]!);
    await axe('seat accepted (en)');
    await screenshot(page, 'portal-seat-accepted-en');
  });

  it('refuses an incomplete disclosure field by field, in the language on screen', async () => {
    await page.getByRole('link', { name: tr('en', 'portal.seat.back') }).click();
    await page.getByRole('link', { name: tr('en', 'portal.inbox.open_seat', { caseNumber: panel.caseNumber }) }).click();
    await expect.poll(() => heading('en', 'portal.seat.title', { caseNumber: panel.caseNumber }).isVisible()).toBe(true);
    await axe('seat before disclosure (en)');
    await screenshot(page, 'portal-seat-en');

    await button('en', 'portal.disclosure.submit').click();
    const errors = page.getByTestId('disclosure-form').locator('.el-form-item__error');
    await expect.poll(() => errors.count()).toBe(5);
    expect(await errors.first().textContent()).toBe(tr('en', 'portal.disclosure.answer_required'));
    await switchLanguage('zh-CN');
    await expect.poll(() => errors.first().textContent()).toBe(tr('zh-CN', 'portal.disclosure.answer_required'));
    await axe('seat with errors (zh-CN)');
    await screenshot(page, 'portal-seat-errors-zh-CN');
    // Nothing reached the server.
    const member = (await legal.escalations.forCase.query({ caseId: panel.caseId })).flatMap((e) => e.members).find((m) => m.id === panel.memberId)!;
    expect(member.disclosedAt).toBeNull();
  });

  it('signs out', async () => {
    await button('zh-CN', 'portal.signout.action').click();
    await expect.poll(() => heading('zh-CN', 'portal.signin.title').isVisible()).toBe(true);
    const csp = problems.filter((p) => /Content Security Policy|Refused to/i.test(p));
    expect(csp).toEqual([]);
  });

  it('a new arbitrator sets the account up from the mailed invitation, with TOTP, and reaches the inbox', async () => {
    const email = 'new.arbitrator@lawfirm.example';
    await legal.members.invite.mutate({ email, role: 'arbitrator', language: 'zh-CN' });
    const mail = outboxMails(server.dataDir).at(-1)!;
    expect(mail.headers.to).toBe(email);
    const token = setupToken(mail);
    // The mail's link points at the configured public address; the page is the same on this server.
    await page.goto(`${server.url}/portal/#/setup?token=${token}`);
    await expect.poll(() => heading('zh-CN', 'portal.setup.title').isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('invitation').textContent()).toContain(email);
    // Read once, then out of the address and the history entry.
    expect(page.url()).not.toContain(token);
    expect(page.url()).toMatch(/#\/setup$/);
    expect(JSON.stringify(await page.evaluate(() => (globalThis as unknown as { history: { state: unknown } }).history.state))).not.toContain(token);
    // The QR code is a data: image, which the page's CSP allows for images only.
    await expect.poll(() => page.getByTestId('qr-code').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
    await axe('setup (zh-CN)');
    await fullScreenshot('portal-setup-zh-CN');
    await switchLanguage('en');
    await expect.poll(() => heading('en', 'portal.setup.title').isVisible()).toBe(true);
    await axe('setup (en)');
    await fullScreenshot('portal-setup-en');

    const label = (key: string) => page.getByLabel(tr('en', key), { exact: true });
    await label('portal.setup.display_name').fill('Li Wen');
    await label('portal.setup.password').fill('Password2026!');
    await label('portal.setup.password_confirm').fill('Password2026!');
    const secret = (await page.getByTestId('totp-secret').textContent())!.replace(/\s/g, '');
    await label('portal.setup.totp_code').fill(authenticator.generate(secret));
    await button('en', 'portal.setup.submit').click();
    // Only the server knows the common passwords: its refusal lands at the password, translated.
    const passwordItem = page.locator('.el-form-item', { has: label('portal.setup.password') });
    await expect.poll(() => passwordItem.locator('.el-form-item__error').textContent()).toBe(tr('en', 'validation.password_common'));
    await axe('setup with an error (en)');
    await label('portal.setup.password').fill('paper lantern river seven');
    await label('portal.setup.password_confirm').fill('paper lantern river seven');
    await button('en', 'portal.setup.submit').click();

    const codes = page.getByTestId('recovery-code');
    await expect.poll(() => codes.count()).toBe(10);
    await axe('recovery codes (en)');
    await fullScreenshot('portal-setup-codes-en');
    const continueButton = button('en', 'portal.recovery.continue');
    expect(await continueButton.isDisabled()).toBe(true);
    // From the keyboard: the checkbox, then the button.
    await page.getByLabel(tr('en', 'portal.recovery.stored')).focus();
    await page.keyboard.press('Space');
    await expect.poll(() => continueButton.isDisabled()).toBe(false);
    await continueButton.click();
    await expect.poll(() => heading('en', 'portal.inbox.title').isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('user-name').textContent()).toContain('Li Wen');
    await expect.poll(() => page.getByTestId('inbox-empty').isVisible()).toBe(true);
  });

  it('keeps a profile the platform reads when it chooses a panel', async () => {
    await page.getByRole('link', { name: exactly(tr('en', 'portal.nav.profile')) }).click();
    await expect.poll(() => heading('en', 'portal.profile.title').isVisible()).toBe(true);
    // Element Plus draws its own radio and checkbox over the real input: they are clicked by their text.
    await page.getByTestId('availability').getByText(tr('en', 'members.availability.limited'), { exact: true }).click();
    await page.getByLabel(tr('en', 'portal.profile.availability_note'), { exact: true }).fill('Away until 15 January.');
    for (const area of ['custody', 'p2p'])
      await page
        .getByTestId('areas')
        .getByText(tr('en', `members.area.${area}`), { exact: true })
        .click();
    await expect.poll(() => page.getByLabel(tr('en', 'members.area.p2p'), { exact: true }).isChecked()).toBe(true);
    const company = page.getByLabel(tr('en', 'portal.profile.add_company'), { exact: true });
    await company.fill('Acme Capital Ltd');
    await company.press('Enter');
    const person = page.getByLabel(tr('en', 'portal.profile.add_person'), { exact: true });
    await person.fill('王小明');
    await person.press('Enter');
    await button('en', 'portal.profile.save').click();
    await expect.poll(() => page.getByTestId('profile-saved').isVisible()).toBe(true);
    await axe('profile (en)');
    await fullScreenshot('portal-profile-en');
    await switchLanguage('zh-CN');
    await expect.poll(() => heading('zh-CN', 'portal.profile.title').isVisible()).toBe(true);
    await axe('profile (zh-CN)');
    await fullScreenshot('portal-profile-zh-CN');

    const saved = (await legal.members.list.query({ area: 'p2p' })).find((m) => m.email === 'new.arbitrator@lawfirm.example');
    expect(saved).toMatchObject({
      availability: 'limited',
      availabilityNote: 'Away until 15 January.',
      areas: ['custody', 'p2p'],
      conflictCompanies: ['Acme Capital Ltd'],
      conflictPeople: ['王小明'],
    });
    const csp = problems.filter((p) => /Content Security Policy|Refused to/i.test(p));
    expect(csp).toEqual([]);
    failed = false;
  });
});
