// Cross-site request forgery: a page on another site can make the browser post a form to the
// server with the user's session cookie, in any of the three content types a form can send. Every
// such post is refused with a translated error before anything runs: the session, the TOTP secret
// and the audit log are as they were. Arbitra's own clients send `x-arbitra-csrf: 1` and pass.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSRF_HEADERS, startTestServer, TEST_PASSWORD, type TestServer } from '../support/server';
import { postComplaint, validComplaint } from '../support/intake';
import { createIntakeKey } from '../../server/src/intake/intake-keys.repository';

let server: TestServer;
const EVIL = 'https://evil.example';

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server?.close());

/** A portal session: the cookie a browser would hold after signing in. */
async function browserSession(email = server.users.specialist.email): Promise<string> {
  const res = await fetch(`${server.url}/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.url, ...CSRF_HEADERS },
    body: JSON.stringify({ email, password: TEST_PASSWORD }),
  });
  expect(res.status).toBe(200);
  return res.headers.getSetCookie().find((c) => c.startsWith('arbitra_session='))!.split(';')[0]!;
}

/** The bodies a cross-site <form> can post, each with its content type. */
const FORMS: { type: string; body: () => URLSearchParams | FormData | string }[] = [
  { type: 'application/x-www-form-urlencoded', body: () => new URLSearchParams({ a: '1' }) },
  {
    type: 'multipart/form-data',
    body: () => {
      const f = new FormData();
      f.set('a', '1');
      return f;
    },
  },
  { type: 'text/plain', body: () => '{}' },
];

async function forged(path: string, cookie: string, form: (typeof FORMS)[number], extra: Record<string, string> = { origin: EVIL }, language = 'en') {
  const body = form.body();
  const headers: Record<string, string> = { cookie, 'accept-language': language, ...extra };
  // fetch sets multipart's boundary itself.
  if (!(body instanceof FormData)) headers['content-type'] = form.type;
  const res = await fetch(`${server.url}${path}`, { method: 'POST', headers, body });
  return { status: res.status, json: (await res.json()) as any };
}

async function stillSignedIn(cookie: string) {
  const res = await fetch(`${server.url}/trpc/auth.me?input=${encodeURIComponent('{}')}`, { headers: { cookie } });
  return res.status === 200;
}

const auditCount = async () => Number((await server.t.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

describe('a cross-site form post carrying the session cookie', () => {
  for (const form of FORMS) {
    it(`is refused for ${form.type}: logout, logoutEverywhere and totpEnroll do not run`, async () => {
      const cookie = await browserSession();
      const audits = await auditCount();
      for (const path of ['auth.logout', 'auth.logoutEverywhere', 'auth.totpEnroll']) {
        const res = await forged(`/trpc/${path}`, cookie, form);
        expect(res.status, path).toBe(403);
        expect(res.json.error.data).toMatchObject({ code: 'FORBIDDEN', messageKey: 'error.cross_origin_refused' });
        expect(res.json.error.message).toContain(EVIL);
      }
      expect(await stillSignedIn(cookie)).toBe(true);
      const user = await server.t.db.selectFrom('users').select('totp_secret').where('id', '=', server.users.specialist.id).executeTakeFirstOrThrow();
      expect(user.totp_secret).toBeNull();
      expect(await auditCount()).toBe(audits);
    });

    it(`is refused for ${form.type} without an Origin header too, for lack of the custom header`, async () => {
      const cookie = await browserSession();
      for (const path of ['auth.logout', 'auth.logoutEverywhere', 'auth.totpEnroll']) {
        const res = await forged(`/trpc/${path}`, cookie, form, {}, 'zh-CN');
        expect(res.status, path).toBe(403);
        expect(res.json.error.data).toMatchObject({ messageKey: 'error.csrf_header_missing', field: 'x-arbitra-csrf' });
        expect(res.json.error.message).toContain('请求头');
      }
      // A browser that says the request is cross-site is refused whatever the headers.
      const site = await forged('/trpc/auth.logout', cookie, form, { 'sec-fetch-site': 'cross-site', ...CSRF_HEADERS });
      expect(site.json.error.data.messageKey).toBe('error.cross_origin_refused');
      expect(await stillSignedIn(cookie)).toBe(true);
    });

    it(`is refused for ${form.type} on the REST routes that use the cookie (uploads)`, async () => {
      const cookie = await browserSession();
      const before = await server.t.db.selectFrom('uploads').select('id').execute();
      for (const extra of [{ origin: EVIL }, {}] as Record<string, string>[]) {
        const res = await forged('/api/v1/uploads', cookie, form, extra);
        expect(res.status).toBe(403);
        expect(res.json.error.messageKey).toMatch(/^error\.(cross_origin_refused|csrf_header_missing)$/);
      }
      expect(await server.t.db.selectFrom('uploads').select('id').execute()).toEqual(before);
    });
  }

  it('still lets the same origin and Arbitra clients through, and a same-origin page with the header', async () => {
    const cookie = await browserSession();
    const res = await fetch(`${server.url}/trpc/auth.logout`, { method: 'POST', headers: { cookie, origin: server.url, 'content-type': 'application/json', ...CSRF_HEADERS }, body: '{}' });
    expect(res.status).toBe(200);
    expect(await stillSignedIn(cookie)).toBe(false);
  });

  it('leaves reads alone (GET, no header needed) and refuses a mutation sent with an opaque origin', async () => {
    const cookie = await browserSession();
    expect(await stillSignedIn(cookie)).toBe(true);
    const opaque = await forged('/trpc/auth.logout', cookie, FORMS[2]!, { origin: 'null', ...CSRF_HEADERS });
    expect(opaque.json.error.data.messageKey).toBe('error.cross_origin_refused');
  });

  it('exempts the intake API, which is authenticated by its key alone and never reads the cookie', async () => {
    const key = await createIntakeKey(server.t.db, { name: 'Helpdesk', defaultTeamId: server.teamId });
    const res = await postComplaint(server.url, key.key, validComplaint());
    expect(res.status).toBe(201);
  });
});
