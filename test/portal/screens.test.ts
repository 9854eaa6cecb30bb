// The portal's screens, mounted with their stores, router and translations, against the real server's
// router over real Postgres (test/portal/support.ts): sign-in errors at their fields, translated and
// re-translated on a language switch; the inbox's rows, sorting and empty state; a seat before
// acceptance showing only its summary, a disclosure refused field by field before anything is sent,
// then recorded, then the seat accepted (another declined with a reason) — as the server records it.
// @vitest-environment happy-dom
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory } from 'vue-router';
import { getActivePinia } from 'pinia';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../support/server';
import { authenticator } from '../support/totp';
import { escalateCase } from '../support/arbitration-case';
import { providePortal, staffClient } from './support';
import { i18n, setLanguage } from '../../portal/src/i18n';
import { createPortalRouter } from '../../portal/src/router';
import { useSessionStore } from '../../portal/src/stores/session';
import SignInScreen from '../../portal/src/screens/SignInScreen.vue';
import InboxScreen from '../../portal/src/screens/InboxScreen.vue';
import SeatScreen from '../../portal/src/screens/SeatScreen.vue';
import { translate } from '../../shared/i18n';

let server: TestServer;
let legal: ReturnType<TestServer['client']>;
const seats: { caseId: string; caseNumber: string; memberId: string }[] = [];
const mounted: VueWrapper[] = [];

beforeAll(async () => {
  server = await startTestServer();
  // Over the in-process link: happy-dom's fetch would treat the test server as another origin.
  const specialist = await staffClient(server, server.users.specialist.id);
  legal = await staffClient(server, server.users.legal.id);
  for (const [uid, panelSize] of [
    ['portal-screens-a', 1],
    ['portal-screens-b', 3],
  ] as const) {
    const { caseId, escalationId } = await escalateCase({ specialist, legal }, uid, 'arbitration', panelSize);
    const { id: memberId } = await legal.escalations.assignMember.mutate({ escalationId, userId: server.users.arbitrator.id, seat: panelSize === 3 ? 'accountant' : null });
    seats.push({ caseId, caseNumber: (await specialist.cases.get.query({ caseId })).caseNumber, memberId });
  }
}, 240_000);

afterAll(async () => {
  for (const w of mounted) w.unmount();
  setLanguage('en');
  await server?.close();
});

async function mountScreen(component: Parameters<typeof mount>[0], path: string, props: Record<string, unknown> = {}) {
  const router = createPortalRouter(createMemoryHistory());
  await router.push(path);
  const wrapper = mount(component, { props, global: { plugins: [getActivePinia()!, i18n, router] }, attachTo: document.body });
  mounted.push(wrapper);
  await flushPromises();
  return { wrapper, router };
}

const errors = (w: VueWrapper) => w.findAll('.el-form-item__error').map((e) => e.text());
const en = (key: string, params: Record<string, string | number> = {}) => translate('en', key, params);
const zh = (key: string, params: Record<string, string | number> = {}) => translate('zh-CN', key, params);

describe('sign-in screen', () => {
  it('shows the messages at their fields, in the language on screen, and follows a switch', async () => {
    setLanguage('en');
    await providePortal(server, null);
    const { wrapper } = await mountScreen(SignInScreen, '/sign-in');
    await wrapper.find('form').trigger('submit');
    // Element Plus shows a field's message after a short debounce.
    await vi.waitFor(() => expect(errors(wrapper)).toEqual([en('validation.format.email'), en('validation.required')]));
    setLanguage('zh-CN');
    await vi.waitFor(() => expect(errors(wrapper)).toEqual([zh('validation.format.email'), zh('validation.required')]));
    setLanguage('en');
  });

  it('puts the server’s refusal at the field it names', async () => {
    await providePortal(server, null);
    const { wrapper } = await mountScreen(SignInScreen, '/sign-in');
    await wrapper.find('[data-test="email"]').setValue(server.users.arbitrator.email);
    await wrapper.find('[data-test="password"]').setValue('not the password');
    await wrapper.find('[data-test="totp"]').setValue('123456');
    await wrapper.find('form').trigger('submit');
    await vi.waitFor(() => expect(errors(wrapper)).toEqual([en('auth.invalid_credentials')]));
    // At the password, not the email or the code.
    expect(wrapper.find('[data-test="password"]').element.closest('.el-form-item')!.querySelector('.el-form-item__error')?.textContent?.trim()).toBe(en('auth.invalid_credentials'));
  });

  it('refuses a staff account: the portal is for arbitrators and mediators', async () => {
    const api = await providePortal(server, null);
    const { wrapper } = await mountScreen(SignInScreen, '/sign-in');
    await wrapper.find('[data-test="email"]').setValue(server.users.specialist.email);
    await wrapper.find('[data-test="password"]').setValue(TEST_PASSWORD);
    await wrapper.find('form').trigger('submit');
    await vi.waitFor(() => expect(wrapper.find('[data-test="signin-refused"]').text()).toContain(en('portal.signin.staff_account')));
    expect(useSessionStore().signedIn).toBe(false);
    // The session the server opened was closed again.
    expect(api.jar.token).toBeNull();
  });

  it('signs an arbitrator in with the authenticator code and goes to the page asked for', async () => {
    const api = await providePortal(server, null);
    const { wrapper, router } = await mountScreen(SignInScreen, `/sign-in?redirect=/seats/${seats[0]!.memberId}`);
    const user = server.users.arbitrator;
    await wrapper.find('[data-test="email"]').setValue(`  ${user.email.toUpperCase()} `);
    await wrapper.find('[data-test="password"]').setValue(TEST_PASSWORD);
    await wrapper.find('[data-test="totp"]').setValue(authenticator.generate(user.totpSecret!));
    await wrapper.find('form').trigger('submit');
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe(`/seats/${seats[0]!.memberId}`));
    expect(useSessionStore().user?.displayName).toBe('Test arbitrator');
    expect(api.jar.token).toBeTruthy();
  });
});

describe('inbox', () => {
  it('lists the member’s seats and sorts them by the column headers', async () => {
    await providePortal(server, server.users.arbitrator.id);
    const { wrapper } = await mountScreen(InboxScreen, '/seats');
    await vi.waitFor(() => expect(wrapper.findAll('[data-test="seat-row"]')).toHaveLength(2));
    const firstCase = () => wrapper.find('[data-test="seat-row"] td').text();
    expect(wrapper.findAll('[data-test="seat-status"]').map((s) => s.text())).toEqual([en('portal.status.awaiting_disclosure'), en('portal.status.awaiting_disclosure')]);
    const numbers = seats.map((s) => s.caseNumber).sort();
    await wrapper.find('[data-test="sort-caseNumber"]').trigger('click');
    expect(wrapper.find('[data-test="sort-caseNumber"]').element.closest('th')!.getAttribute('aria-sort')).toBe('ascending');
    expect(firstCase()).toBe(numbers[0]);
    await wrapper.find('[data-test="sort-caseNumber"]').trigger('click');
    expect(wrapper.find('[data-test="sort-caseNumber"]').element.closest('th')!.getAttribute('aria-sort')).toBe('descending');
    expect(firstCase()).toBe(numbers[1]);
    // The seat on the panel names its seat; the sole arbitrator's has none.
    expect(wrapper.text()).toContain(en('portal.role_with_seat', { role: en('ui.role.arbitrator'), seat: en('portal.seat.accountant') }));
  });

  it('says so when the member holds no seat', async () => {
    await providePortal(server, server.users.mediator.id);
    const { wrapper } = await mountScreen(InboxScreen, '/seats');
    await vi.waitFor(() => expect(wrapper.find('[data-test="inbox-empty"]').text()).toBe(en('portal.inbox.empty')));
  });
});

describe('seat page', () => {
  it('shows the summary only, refuses an incomplete disclosure locally, records a full one, then the acceptance', async () => {
    const seat = seats[0]!;
    await providePortal(server, server.users.arbitrator.id);
    const { wrapper } = await mountScreen(SeatScreen, `/seats/${seat.memberId}`, { memberId: seat.memberId });
    await vi.waitFor(() => expect(wrapper.find('h1').text()).toBe(en('portal.seat.title', { caseNumber: seat.caseNumber })));
    expect(wrapper.find('[data-test="answer-needs-disclosure"]').exists()).toBe(true);
    expect(wrapper.find('[data-test="accept"]').exists()).toBe(false);

    await wrapper.find('[data-test="disclosure-form"]').trigger('submit');
    await vi.waitFor(() => expect(errors(wrapper)).toEqual([...Array(4).fill(en('portal.disclosure.answer_required')), en('validation.required')]));
    const member = async () => (await legal.escalations.forCase.query({ caseId: seat.caseId })).flatMap((e) => e.members).find((m) => m.id === seat.memberId)!;
    expect((await member()).disclosedAt).toBeNull();

    // A "yes" needs its details.
    await wrapper.find('[data-test="question-holdings"] input[value="yes"]').setValue(true);
    for (const q of ['exchange', 'complainant', 'appointments']) await wrapper.find(`[data-test="question-${q}"] input[value="no"]`).setValue(true);
    await wrapper.find('[data-test="statement"]').setValue('I know of no circumstance that could give rise to justifiable doubts.');
    await wrapper.find('[data-test="disclosure-form"]').trigger('submit');
    await vi.waitFor(() => expect(errors(wrapper)).toEqual([en('portal.disclosure.details_required')]));
    await wrapper.find('[data-test="holdings-details"]').setValue('0.5 BTC held on this exchange.');
    await wrapper.find('[data-test="disclosure-form"]').trigger('submit');
    await vi.waitFor(() => expect(wrapper.find('[data-test="disclosure-recorded"]').exists()).toBe(true));
    const disclosed = await member();
    expect(disclosed.disclosure).toContain('3. Holdings affected by the dispute / 受争议影响的持有: Yes / 是\n   0.5 BTC held on this exchange.');
    expect(disclosed.disclosure).toContain('I know of no circumstance');

    await wrapper.find('[data-test="accept"]').trigger('click');
    await vi.waitFor(() => expect(wrapper.find('[data-test="answer-recorded"]').exists()).toBe(true));
    expect((await member()).acceptedAt).not.toBeNull();
    expect(wrapper.find('[data-test="seat-status"]').text()).toBe(en('portal.status.accepted'));
  });

  it('declines a seat with a reason, once disclosed', async () => {
    const seat = seats[1]!;
    await providePortal(server, server.users.arbitrator.id);
    const { wrapper } = await mountScreen(SeatScreen, `/seats/${seat.memberId}`, { memberId: seat.memberId });
    await vi.waitFor(() => expect(wrapper.find('[data-test="disclosure-form"]').exists()).toBe(true));
    for (const q of ['exchange', 'complainant', 'holdings', 'appointments']) await wrapper.find(`[data-test="question-${q}"] input[value="no"]`).setValue(true);
    await wrapper.find('[data-test="statement"]').setValue('No conflicts.');
    await wrapper.find('[data-test="disclosure-form"]').trigger('submit');
    await vi.waitFor(() => expect(wrapper.find('[data-test="decline"]').exists()).toBe(true));
    await wrapper.find('[data-test="decline-reason"]').setValue('Travelling until the end of the month.');
    await wrapper.find('[data-test="decline"]').trigger('click');
    await vi.waitFor(() => expect(wrapper.find('[data-test="answer-recorded"]').text()).toContain(en('portal.answer.declined', { date: '§' }).split('§')[0]!));
    const member = (await legal.escalations.forCase.query({ caseId: seat.caseId })).flatMap((e) => e.members).find((m) => m.id === seat.memberId)!;
    expect(member.declinedAt).not.toBeNull();
    expect(member.acceptedAt).toBeNull();
  });

  it('does not show another member’s seat', async () => {
    await providePortal(server, server.users.mediator.id);
    const { wrapper } = await mountScreen(SeatScreen, `/seats/${seats[1]!.memberId}`, { memberId: seats[1]!.memberId });
    await vi.waitFor(() => expect(wrapper.find('[data-test="seat-not-found"]').text()).toContain(en('portal.seat.not_found')));
    expect(wrapper.text()).not.toContain(seats[1]!.caseNumber);
  });
});
