// The loopback HTTP carrier's own defences (desktop/main/contract/http.ts), before any engine work:
// the launch key and its cookie, the Origin and header on state-changing requests, the Host header,
// Sec-Fetch-Site, loopback-only binding, the page's CSP, no-store, and bad requests answered with
// the contract's translated error shape (never a 500).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRPCClientError } from '@trpc/client';
import { startContractServer, NonLoopbackBindError, type ContractServer } from '../../desktop/main/contract/http';
import { CONTRACT_HEADER } from '../../desktop/contract/http-constants';
import { CONTENT_SECURITY_POLICY } from '../../desktop/main/shell/csp';
import { translate } from '../../shared/i18n';
import { httpClient, sessionCookie } from './contract-carriers';
import { stubPort } from './contract-stub-port';

let server: ContractServer;
let stub: ReturnType<typeof stubPort>;
let cookie: string;
let rendererDir: string;

beforeAll(async () => {
  rendererDir = fs.mkdtempSync(path.join(os.tmpdir(), 'arbitra-renderer-'));
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><html><head><title>t</title></head><body><script type="module" src="./assets/app.js"></script></body></html>');
  fs.mkdirSync(path.join(rendererDir, 'assets'));
  fs.writeFileSync(path.join(rendererDir, 'assets/app.js'), 'console.log(1)');
  stub = stubPort();
  server = await startContractServer({ port: stub.port, rendererDir, listenPort: 0, logError: () => undefined });
  cookie = await sessionCookie(server);
});
afterAll(async () => {
  await server?.close();
  fs.rmSync(rendererDir, { recursive: true, force: true });
});

const contractUrl = (p: string) => `${server.origin}/contract/${p}`;
const goodPostHeaders = () => ({ cookie, origin: server.origin, [CONTRACT_HEADER]: '1', 'content-type': 'application/json' });

/** A raw request with a chosen Host header (fetch does not let one set it). */
function rawRequest(pathname: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const url = new URL(server.origin);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: pathname, method: 'GET', headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the launch key', () => {
  it('is printed in the launch URL and exchanged for an httpOnly SameSite=Strict cookie, then redirected off the address bar', async () => {
    expect(server.launchUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?key=[A-Za-z0-9_-]{43}$/);
    const res = await fetch(server.launchUrl, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    const setCookie = res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(new RegExp(`^${server.cookieName}=[A-Za-z0-9_-]{43}; `));
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/');
    // The cookie is not the key: the key in a leaked terminal scrollback is not a session by itself.
    expect(setCookie).not.toContain(new URL(server.launchUrl).searchParams.get('key')!);
    expect(res.headers.get('referrer-policy')).toBe('same-origin');
  });

  it('a wrong key gets a translated page, no cookie', async () => {
    const res = await fetch(`${server.origin}/?key=not-the-key`, { redirect: 'manual', headers: { 'accept-language': 'zh-CN' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('set-cookie')).toBeNull();
    const body = await res.text();
    expect(body).toContain(translate('zh-CN', 'workstation.shell.key_invalid'));
    expect(body).not.toMatch(/<script/i);
  });

  it('the cookie name carries the port (cookies do not tell ports apart: two workstations on one machine keep theirs)', () => {
    expect(server.cookieName).toBe(`arbitra_ws_${new URL(server.origin).port}`);
  });
});

describe('without the cookie', () => {
  it('a contract call answers 401 with the contract error shape, translated', async () => {
    const res = await fetch(contractUrl('session.status'), { headers: { 'accept-language': 'zh-CN' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as { error: { message: string; data: { messageKey: string; httpStatus: number; code: string } } };
    expect(body.error.data).toMatchObject({ messageKey: 'workstation.shell.key_required', httpStatus: 401, code: 'UNAUTHORIZED' });
    expect(body.error.message).toBe(translate('zh-CN', 'workstation.shell.key_required'));
  });

  it('the tRPC client sees a TRPCClientError with that shape, for queries, mutations and the subscription', async () => {
    const client = httpClient(server, { origin: server.origin, [CONTRACT_HEADER]: '1' });
    const error = await client.session.status.query().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCClientError);
    expect((error as TRPCClientError<never>).data).toMatchObject({ httpStatus: 401, messageKey: 'workstation.shell.key_required' });
    const mutation = await client.session.signOut.mutate().catch((e: unknown) => e);
    expect((mutation as TRPCClientError<never>).data).toMatchObject({ httpStatus: 401 });
    const sse = await fetch(contractUrl('sync.events'), { headers: { accept: 'text/event-stream' } });
    expect(sse.status).toBe(401);
    expect(stub.calls.filter((c) => c === 'session.signOut')).toEqual([]);
  });

  it('a wrong cookie is no cookie', async () => {
    const res = await fetch(contractUrl('session.status'), { headers: { cookie: `${server.cookieName}=AAAA` } });
    expect(res.status).toBe(401);
  });

  it('pages and assets need it too: a translated plain page (no script) says to open the printed link', async () => {
    for (const p of ['/', '/index.html', '/assets/app.js']) {
      const res = await fetch(`${server.origin}${p}`, { headers: { 'accept-language': 'en' } });
      expect(res.status).toBe(401);
      const body = await res.text();
      expect(body).toContain(translate('en', 'workstation.shell.key_required'));
      expect(body).toContain(translate('zh-CN', 'workstation.shell.key_required'));
      expect(body).not.toMatch(/<script/i);
      expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    }
  });
});

describe('state-changing requests', () => {
  it('need the exact Origin: a foreign one, a look-alike, null or none (from a non-browser) answers 403 and nothing reaches the engine', async () => {
    const before = stub.calls.length;
    for (const origin of ['http://evil.example', 'http://127.0.0.1:1', `${server.origin}.evil.example`, 'null', undefined]) {
      const headers: Record<string, string> = { ...goodPostHeaders() };
      if (origin === undefined) delete headers.origin;
      else headers.origin = origin;
      const res = await fetch(contractUrl('session.signOut'), { method: 'POST', headers, body: '{}' });
      expect(res.status, String(origin)).toBe(403);
      const body = (await res.json()) as { error: { data: { messageKey: string; code: string } } };
      expect(body.error.data).toMatchObject({ messageKey: 'workstation.shell.request_refused', code: 'FORBIDDEN' });
    }
    expect(stub.calls.length).toBe(before);
  });

  it('without an Origin, only a browser attesting same-origin (Sec-Fetch-Site, which no page can set) gets through', async () => {
    const headers: Record<string, string> = { ...goodPostHeaders() };
    delete headers.origin;
    for (const site of ['cross-site', 'same-site', 'none']) {
      const res = await fetch(contractUrl('session.signOut'), { method: 'POST', headers: { ...headers, 'sec-fetch-site': site }, body: '{}' });
      expect(res.status, site).toBe(403);
    }
    const nullOrigin = await fetch(contractUrl('session.signOut'), { method: 'POST', headers: { ...headers, origin: 'null', 'sec-fetch-site': 'same-origin' }, body: '{}' });
    expect(nullOrigin.status).toBe(403);
    const res = await fetch(contractUrl('session.signOut'), { method: 'POST', headers: { ...headers, 'sec-fetch-site': 'same-origin' }, body: '{}' });
    expect(res.status).toBe(200);
  });

  it('need the x-arbitra-workstation header', async () => {
    const headers: Record<string, string> = goodPostHeaders();
    delete headers[CONTRACT_HEADER];
    const res = await fetch(contractUrl('session.signOut'), { method: 'POST', headers, body: '{}' });
    expect(res.status).toBe(403);
    const wrong = await fetch(contractUrl('session.signOut'), { method: 'POST', headers: { ...headers, [CONTRACT_HEADER]: '0' }, body: '{}' });
    expect(wrong.status).toBe(403);
  });

  it('with the cookie, the Origin and the header they reach the router', async () => {
    const res = await fetch(contractUrl('session.signOut'), { method: 'POST', headers: goodPostHeaders(), body: '{}' });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(stub.calls).toContain('session.signOut');
  });

  it('a browser saying the request is cross-site (Sec-Fetch-Site) is refused even for a query', async () => {
    const res = await fetch(contractUrl('session.status'), { headers: { cookie, 'sec-fetch-site': 'same-site' } });
    expect(res.status).toBe(403);
    const ok = await fetch(contractUrl('session.status'), { headers: { cookie, 'sec-fetch-site': 'same-origin' } });
    expect(ok.status).toBe(200);
  });
});

describe('the Host header', () => {
  it('only this server’s loopback name: a DNS-rebinding name is refused even with the cookie', async () => {
    const port = new URL(server.origin).port;
    const rebound = await rawRequest('/contract/session.status', { host: `attacker.example:${port}`, cookie });
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body).error.data.messageKey).toBe('workstation.shell.request_refused');
    expect((await rawRequest('/contract/session.status', { host: `127.0.0.1:${port}`, cookie })).status).toBe(200);
    expect((await rawRequest('/contract/session.status', { host: `localhost:${port}`, cookie })).status).toBe(200);
    expect((await rawRequest('/contract/session.status', { host: `127.0.0.1:1`, cookie })).status).toBe(403);
  });
});

describe('bad requests answer the contract’s translated error shape, never 500', () => {
  it('malformed JSON, an unknown procedure, a mutation over GET, a query over POST', async () => {
    const cases: { url: string; init: RequestInit; status: number; key: string }[] = [
      { url: contractUrl('session.signIn'), init: { method: 'POST', headers: goodPostHeaders(), body: '{not json' }, status: 400, key: 'error.body_not_json' },
      { url: contractUrl('no.such'), init: { headers: { cookie } }, status: 404, key: 'error.route_not_found' },
      { url: contractUrl('session.signOut'), init: { headers: { cookie } }, status: 405, key: 'error.bad_request' },
      { url: contractUrl('session.status'), init: { method: 'POST', headers: goodPostHeaders(), body: '{}' }, status: 405, key: 'error.bad_request' },
      { url: contractUrl('session.setLanguage'), init: { method: 'POST', headers: goodPostHeaders(), body: '[' }, status: 400, key: 'error.body_not_json' },
    ];
    for (const c of cases) {
      const res = await fetch(c.url, { ...c.init, headers: { ...(c.init.headers as Record<string, string>), 'accept-language': 'zh-CN' } });
      expect(res.status, c.url).toBe(c.status);
      const body = (await res.json()) as { error: { message: string; data: { messageKey: string } } };
      expect(body.error.data.messageKey, c.url).toBe(c.key);
      expect(body.error.message).toBe(translate('zh-CN', c.key, { requestId: (body.error.data as unknown as { requestId: string }).requestId }));
    }
  });

  it('a body over the limit is refused as too large', async () => {
    const res = await fetch(contractUrl('session.signIn'), { method: 'POST', headers: goodPostHeaders(), body: JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(5 * 1024 * 1024) }) });
    expect(res.status).toBe(413);
    const body = (await res.json()) as { error: { data: { messageKey: string } } };
    expect(body.error.data.messageKey).toBe('error.payload_too_large');
  });

  it('a page request other than GET is refused with a page, not a 500', async () => {
    const res = await fetch(`${server.origin}/`, { method: 'POST', headers: { cookie, origin: server.origin } });
    expect(res.status).toBe(405);
  });
});

describe('pages', () => {
  it('the page carries the strict CSP, no-store and a base for page routes; assets are served; nothing outside the folder', async () => {
    const res = await fetch(`${server.origin}/`, { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/script-src[^;]*unsafe-(inline|eval)/);
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.text()).toContain('<base href="/" />');
    const asset = await fetch(`${server.origin}/assets/app.js`, { headers: { cookie } });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('text/javascript');
    const route = await fetch(`${server.origin}/cases/123`, { headers: { cookie } });
    expect(route.status).toBe(200);
    // Paths climbing out stay inside the folder: a missing file is not found, a page route is the app's page.
    for (const p of ['/../../../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2fetc%2fpasswd', '/assets/../../../etc/hosts.txt', '/assets/missing.js', '/%00', '/%E0%A4%A']) {
      const r = await rawRequest(p, { host: new URL(server.origin).host, cookie });
      expect([200, 404], p).toContain(r.status);
      if (r.status === 200) expect(r.body, p).toContain('<base href="/" />');
      expect(r.body).not.toMatch(/root:|localhost/);
    }
    expect((await rawRequest('/assets/missing.js', { host: new URL(server.origin).host, cookie })).status).toBe(404);
  });
});

describe('binding', () => {
  it('listens on 127.0.0.1 only', async () => {
    expect(new URL(server.origin).hostname).toBe('127.0.0.1');
  });

  it('a non-loopback address is impossible: refused before listening', async () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.10', 'localhost', 'example.com', '']) {
      await expect(startContractServer({ port: stubPort().port, rendererDir: null, listenPort: 0, host: host as never })).rejects.toBeInstanceOf(NonLoopbackBindError);
    }
  });
});

describe('shutdown', () => {
  it('close() ends open event streams and returns', async () => {
    const s = stubPort();
    const other = await startContractServer({ port: s.port, rendererDir: null, listenPort: 0, logError: () => undefined });
    const c = await sessionCookie(other);
    const stream = await fetch(`${other.origin}/contract/sync.events`, { headers: { cookie: c, accept: 'text/event-stream' } });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('cache-control')).toContain('no-store');
    const reader = stream.body!.getReader();
    await reader.read();
    const started = Date.now();
    await other.close();
    expect(Date.now() - started).toBeLessThan(5_000);
    // The router's generator ended: its engine listener is gone.
    await new Promise((r) => setTimeout(r, 50));
    expect(s.listeners.size).toBe(0);
  });
});
