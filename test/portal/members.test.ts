// The portal's account screens against the real server's router over real Postgres (support.ts):
// setting an account up from an invitation that legal sent to the outbox (the token taken out of the
// address at once, a weak password refused at the password field in the language on screen, the
// recovery codes shown once and gone after), an expired or missing link, signing in with a recovery
// code (how many are left, a warning when few are), and the profile saved as the platform then reads
// it, with a new set of recovery codes made against a current authenticator code.
// @vitest-environment happy-dom
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory } from 'vue-router';
import { getActivePinia } from 'pinia';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { startTestServer, type TestServer } from '../support/server';
import { authenticator } from '../support/totp';
import { outboxMails, setupToken } from '../support/mail';
import { portalTestClient, providePortal, staffClient } from './support';
import { i18n, setLanguage } from '../../portal/src/i18n';
import { createPortalRouter } from '../../portal/src/router';
import { useSessionStore } from '../../portal/src/stores/session';
import SetupScreen from '../../portal/src/screens/SetupScreen.vue';
import SignInScreen from '../../portal/src/screens/SignInScreen.vue';
import ProfileScreen from '../../portal/src/screens/ProfileScreen.vue';
import { translate } from '../../shared/i18n';

let server: TestServer;
let legal: ReturnType<TestServer['client']>;
const mounted: VueWrapper[] = [];
const PASSWORD = 'paper lantern river seven';
/** The member set up in the first test, used by the later ones. */
const member = { email: 'helen.zhang@lawfirm.example', secret: '', codes: [] as string[], id: '' };

beforeAll(async () => {
  server = await startTestServer();
  legal = await staffClient(server, server.users.legal.id);
}, 240_000);

afterAll(async () => {
  for (const w of mounted) w.unmount();
  setLanguage('en');
  await server?.close();
});

async function mountScreen(component: Parameters<typeof mount>[0], path: string) {
  const router = createPortalRouter(createMemoryHistory());
  await router.push(path);
  const wrapper = mount(component, { global: { plugins: [getActivePinia()!, i18n, router] }, attachTo: document.body });
  mounted.push(wrapper);
  await flushPromises();
  return { wrapper, router };
}

/** Legal invites someone; the link's token as the outbox's mail carries it. */
async function invite(email: string) {
  const invitation = await legal.members.invite.mutate({ email, role: 'arbitrator', language: 'en' });
  return { invitation, token: setupToken(outboxMails(server.dataDir).at(-1)!) };
}

const en = (key: string, params: Record<string, string | number> = {}) => translate('en', key, params);
const zh = (key: string, params: Record<string, string | number> = {}) => translate('zh-CN', key, params);
/** The message under the form item holding this field. */
const fieldError = (w: VueWrapper, testId: string) => w.find(`[data-test="${testId}"]`).element.closest('.el-form-item')?.querySelector('.el-form-item__error')?.textContent?.trim() ?? '';

describe('account setup from the invitation link', () => {
  it('takes the token out of the address, refuses a weak password at its field, shows the codes once, then the inbox', async () => {
    setLanguage('en');
    const api = await providePortal(server, null);
    const { token } = await invite(member.email);
    const { wrapper, router } = await mountScreen(SetupScreen, `/setup?token=${token}`);
    await vi.waitFor(() => expect(wrapper.find('[data-test="setup-form"]').exists()).toBe(true));
    // Read once, then gone from the address (and so from the history entry).
    expect(router.currentRoute.value.fullPath).toBe('/setup');
    expect(wrapper.find('[data-test="invitation"]').text()).toContain(member.email);
    expect(wrapper.find('[data-test="invited-role"]').text()).toBe(en('members.role.arbitrator'));
    const qr = wrapper.find('[data-test="qr-code"]');
    expect(qr.attributes('src')).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(qr.attributes('alt')).toBe(en('portal.setup.qr_alt'));
    member.secret = wrapper.find('[data-test="totp-secret"]').text().replace(/\s/g, '');
    expect(member.secret).toMatch(/^[A-Z2-7]{16,}$/);

    // Checked before sending: the name, the same password twice, a 6-digit code.
    await wrapper.find('[data-test="setup-form"]').trigger('submit');
    await vi.waitFor(() => expect(fieldError(wrapper, 'display-name')).toBe(en('validation.required')));
    expect(fieldError(wrapper, 'password')).toBe(en('validation.password_too_weak'));
    expect(fieldError(wrapper, 'totp')).toBe(en('validation.totp_code_format'));

    // Long enough, so only the server can tell it is a common password: its answer lands at the field.
    await wrapper.find('[data-test="display-name"]').setValue('Helen Zhang');
    await wrapper.find('[data-test="password"]').setValue('Password2026!');
    expect(wrapper.find('[data-test="password-length"]').text()).toBe(en('portal.setup.password_length', { count: 13, min: 12 }));
    await wrapper.find('[data-test="password-confirm"]').setValue('Password2026?');
    await wrapper.find('[data-test="totp"]').setValue(authenticator.generate(member.secret, new Date(Date.now() - 30_000)));
    await wrapper.find('[data-test="setup-form"]').trigger('submit');
    await vi.waitFor(() => expect(fieldError(wrapper, 'password-confirm')).toBe(en('portal.setup.password_mismatch')));
    await wrapper.find('[data-test="password-confirm"]').setValue('Password2026!');
    await wrapper.find('[data-test="setup-form"]').trigger('submit');
    await vi.waitFor(() => expect(fieldError(wrapper, 'password')).toBe(en('validation.password_common')));
    expect(fieldError(wrapper, 'password-confirm')).toBe('');
    setLanguage('zh-CN');
    await vi.waitFor(() => expect(fieldError(wrapper, 'password')).toBe(zh('validation.password_common')));
    setLanguage('en');
    expect(api.jar.token).toBeNull();

    await wrapper.find('[data-test="language-zh-CN"] input').setValue(true);
    await wrapper.find('[data-test="password"]').setValue(PASSWORD);
    await wrapper.find('[data-test="password-confirm"]').setValue(PASSWORD);
    await wrapper.find('[data-test="setup-form"]').trigger('submit');
    await vi.waitFor(() => expect(wrapper.findAll('[data-test="recovery-code"]')).toHaveLength(10), { timeout: 20_000 });
    member.codes = wrapper.findAll('[data-test="recovery-code"]').map((c) => c.text());
    for (const code of member.codes) expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(wrapper.find('h1').text()).toBe(en('portal.setup.done_title'));
    // The session began with the account (the cookie), and the portal knows who is signed in.
    expect(api.jar.token).toBeTruthy();
    expect(useSessionStore().user).toMatchObject({ email: member.email, displayName: 'Helen Zhang', role: 'arbitrator' });
    member.id = useSessionStore().user!.id;

    // Downloadable as a text file with every code.
    const blobs: Blob[] = [];
    const createObjectURL = vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => (blobs.push(b as Blob), 'blob:codes'));
    await wrapper.find('[data-test="download-codes"]').trigger('click');
    createObjectURL.mockRestore();
    const file = await blobs[0]!.text();
    for (const code of member.codes) expect(file).toContain(code);
    expect(file).toContain(member.email);

    // Not before the member says they stored them.
    expect(wrapper.find('[data-test="codes-continue"]').attributes('disabled')).toBeDefined();
    await wrapper.find('[data-test="codes-stored"] input').setValue(true);
    expect(wrapper.find('[data-test="codes-continue"]').attributes('disabled')).toBeUndefined();
    await wrapper.find('[data-test="codes-continue"]').trigger('click');
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('inbox'));
    expect(wrapper.findAll('[data-test="recovery-code"]')).toHaveLength(0);
    expect(wrapper.text()).not.toContain(member.codes[0]);

    // What the server made: the languages chosen, the language on screen.
    const [made] = (await legal.members.list.query({})).filter((m) => m.email === member.email);
    expect(made).toMatchObject({ displayName: 'Helen Zhang', language: 'en', languages: ['en', 'zh-CN'], totpEnabled: true });
  });

  it('the same link again shows why it cannot be used, and the way to sign in; the codes are not shown again', async () => {
    await providePortal(server, null);
    const { token } = await invite('second.look@lawfirm.example');
    // Used up by setting it up (straight through the server, as another tab would).
    const start = await portalTestClient(server).client.members.beginSetup.mutate({ token });
    await portalTestClient(server).client.members.completeSetup.mutate({
      token,
      displayName: 'Second Look',
      language: 'en',
      languages: ['en'],
      password: PASSWORD,
      totpCode: authenticator.generate(start.totp.secret),
    });
    const { wrapper, router } = await mountScreen(SetupScreen, `/setup?token=${token}`);
    await vi.waitFor(() => expect(wrapper.find('[data-test="setup-refused"]').text()).toContain(en('members.invitation_used')));
    expect(router.currentRoute.value.fullPath).toBe('/setup');
    expect(wrapper.findAll('[data-test="recovery-code"]')).toHaveLength(0);
    expect(wrapper.find('[data-test="setup-form"]').exists()).toBe(false);
    await wrapper.find('[data-test="to-signin"]').trigger('click');
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('sign-in'));
  });

  it('an expired link says so in the language on screen; a page without a token says to open the link again', async () => {
    await providePortal(server, null);
    const { invitation, token } = await invite('too.late@lawfirm.example');
    await server.t.ownerDb
      .updateTable('member_invitations')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', invitation.id)
      .execute();
    setLanguage('zh-CN');
    const { wrapper } = await mountScreen(SetupScreen, `/setup?token=${token}`);
    await vi.waitFor(() => expect(wrapper.find('[data-test="setup-refused"]').text()).toContain(zh('members.invitation_expired')));
    expect(wrapper.find('[data-test="to-signin"]').text()).toBe(zh('portal.setup.to_signin'));
    setLanguage('en');
    await vi.waitFor(() => expect(wrapper.find('[data-test="setup-refused"]').text()).toContain(en('members.invitation_expired')));

    const bare = await mountScreen(SetupScreen, '/setup');
    await vi.waitFor(() => expect(bare.wrapper.find('[data-test="setup-refused"]').text()).toContain(en('portal.setup.no_token')));
  });
});

describe('sign-in with a recovery code', () => {
  async function signInWith(code: string) {
    await providePortal(server, null);
    const { wrapper, router } = await mountScreen(SignInScreen, '/sign-in');
    await wrapper.find('[data-test="email"]').setValue(member.email);
    await wrapper.find('[data-test="password"]').setValue(PASSWORD);
    await wrapper.find('[data-test="switch-factor"]').trigger('click');
    expect(wrapper.find('[data-test="totp"]').exists()).toBe(false);
    await wrapper.find('[data-test="recovery-code"]').setValue(code);
    await wrapper.find('form').trigger('submit');
    return { wrapper, router };
  }

  it('signs in with one instead of the authenticator code and says how many are left; a used one is refused at its field', async () => {
    await server.t.ownerDb.deleteFrom('login_attempts').execute();
    const { wrapper, router } = await signInWith(member.codes[0]!.toLowerCase());
    await vi.waitFor(() => expect(wrapper.find('[data-test="recovery-left"]').text()).toContain(en('portal.signin.recovery_left', { count: 9 })), { timeout: 20_000 });
    expect(wrapper.find('[data-test="recovery-left"] .el-alert--success').exists()).toBe(true);
    expect(useSessionStore().signedIn).toBe(true);
    await wrapper.find('[data-test="continue"]').trigger('click');
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('inbox'));

    const again = await signInWith(member.codes[0]!);
    await vi.waitFor(() => expect(fieldError(again.wrapper, 'recovery-code')).toBe(en('auth.recovery_code_invalid')), { timeout: 20_000 });
    expect(useSessionStore().signedIn).toBe(false);
  });

  it('warns when few are left and offers to make new ones', async () => {
    await server.t.ownerDb.deleteFrom('login_attempts').execute();
    // Six more used up elsewhere: three left after the next.
    const client = portalTestClient(server).client;
    for (const code of member.codes.slice(1, 7)) await client.auth.login.mutate({ email: member.email, password: PASSWORD, recoveryCode: code, kind: 'browser' });
    const { wrapper, router } = await signInWith(member.codes[7]!);
    await vi.waitFor(() => expect(wrapper.find('[data-test="recovery-left"]').text()).toContain(en('portal.signin.recovery_few', { count: 2 })), { timeout: 20_000 });
    expect(wrapper.find('[data-test="recovery-left"] .el-alert--warning').exists()).toBe(true);
    await wrapper.find('[data-test="to-profile"]').trigger('click');
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('profile'));
  });
});

describe('profile', () => {
  it('saves availability, languages, areas and the standing conflicts as the platform then reads them', async () => {
    await providePortal(server, member.id);
    const { wrapper } = await mountScreen(ProfileScreen, '/profile');
    await vi.waitFor(() => expect(wrapper.find('[data-test="profile-form"]').exists()).toBe(true));
    expect(wrapper.findAll('[data-test="languages"] input:checked').map((i) => (i.element as HTMLInputElement).value)).toEqual(['zh-CN', 'en']);

    await wrapper.find('[data-test="availability"] input[value="limited"]').setValue(true);
    await wrapper.find('[data-test="availability-note"]').setValue('Away until 15 January.');
    await wrapper.find('[data-test="areas"] input[value="trading"]').setValue(true);
    await wrapper.find('[data-test="areas"] input[value="kyc_aml"]').setValue(true);
    await wrapper.find('[data-test="languages"] input[value="en"]').setValue(false);
    for (const name of ['Acme Capital Ltd', 'Harbour Custody AG']) {
      await wrapper.find('[data-test="add-conflictCompanies"]').setValue(name);
      await wrapper.find('[data-test="add-conflictCompanies-button"]').trigger('click');
    }
    // The same company twice is refused where it is typed.
    await wrapper.find('[data-test="add-conflictCompanies"]').setValue('acme capital ltd');
    await wrapper.find('[data-test="add-conflictCompanies"]').trigger('keydown', { key: 'Enter' });
    await vi.waitFor(() => expect(fieldError(wrapper, 'add-conflictCompanies')).toBe(en('validation.duplicate_item')));
    await wrapper.find('[data-test="add-conflictPeople"]').setValue('王小明');
    await wrapper.find('[data-test="add-conflictPeople"]').trigger('keydown', { key: 'Enter' });
    expect(wrapper.findAll('[data-test="list-conflictCompanies"] [data-test="list-item"]')).toHaveLength(2);
    await wrapper.findAll('[data-test="list-conflictCompanies"] [data-test="remove-item"]')[1]!.trigger('click');

    await wrapper.find('[data-test="profile-form"]').trigger('submit');
    await vi.waitFor(() => expect(wrapper.find('[data-test="profile-saved"]').exists()).toBe(true));
    const [saved] = (await legal.members.list.query({ area: 'kyc_aml' })).filter((m) => m.id === member.id);
    expect(saved).toMatchObject({
      availability: 'limited',
      availabilityNote: 'Away until 15 January.',
      languages: ['zh-CN'],
      areas: ['trading', 'kyc_aml'],
      conflictCompanies: ['Acme Capital Ltd'],
      conflictPeople: ['王小明'],
    });

    // No language at all is refused before anything is sent.
    await wrapper.find('[data-test="languages"] input[value="zh-CN"]').setValue(false);
    await wrapper.find('[data-test="profile-form"]').trigger('submit');
    await vi.waitFor(() => expect(wrapper.find('[data-test="languages"]').element.closest('.el-form-item')!.querySelector('.el-form-item__error')?.textContent?.trim()).toBeTruthy());
    expect((await legal.members.list.query({})).find((m) => m.id === member.id)?.languages).toEqual(['zh-CN']);
  });

  it('makes a new set of recovery codes against a current authenticator code, shown once', async () => {
    await server.t.ownerDb.deleteFrom('login_attempts').execute();
    await providePortal(server, member.id);
    const { wrapper } = await mountScreen(ProfileScreen, '/profile');
    await vi.waitFor(() => expect(wrapper.find('[data-test="recovery-form"]').exists()).toBe(true));
    const code = authenticator.generate(member.secret, new Date(Date.now() + 30_000));
    await wrapper.find('[data-test="recovery-totp"]').setValue(String((Number(code) + 1) % 1_000_000).padStart(6, '0'));
    await wrapper.find('[data-test="recovery-form"]').trigger('submit');
    await vi.waitFor(() => expect(fieldError(wrapper, 'recovery-totp')).toBe(en('auth.totp_invalid')));
    await wrapper.find('[data-test="recovery-totp"]').setValue(code);
    await wrapper.find('[data-test="recovery-form"]').trigger('submit');
    await vi.waitFor(() => expect(wrapper.findAll('[data-test="recovery-code"]')).toHaveLength(10), { timeout: 20_000 });
    const fresh = wrapper.findAll('[data-test="recovery-code"]').map((c) => c.text());
    expect(fresh).not.toContain(member.codes[9]);
    await wrapper.find('[data-test="codes-stored"] input').setValue(true);
    await wrapper.find('[data-test="codes-continue"]').trigger('click');
    await vi.waitFor(() => expect(wrapper.findAll('[data-test="recovery-code"]')).toHaveLength(0));
    expect(wrapper.find('[data-test="recovery-form"]').exists()).toBe(true);

    // The new codes work, the old ones no longer.
    const client = portalTestClient(server).client;
    await expect(client.auth.login.mutate({ email: member.email, password: PASSWORD, recoveryCode: member.codes[9]!, kind: 'browser' })).rejects.toThrow();
    const signedIn = await client.auth.login.mutate({ email: member.email, password: PASSWORD, recoveryCode: fresh[0]!, kind: 'browser' });
    expect(signedIn.recoveryCodesLeft).toBe(9);
  });
});
