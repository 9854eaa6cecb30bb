// The portal's files at /portal/ (server/src/http/portal.ts), over a built folder made here: the page
// with its strict CSP, security headers and no caching; hashed assets cached for good and gzipped on
// request; nothing outside the folder, no hidden file, no directory listing, however the path is
// spelled; and, with nothing built, a translated page that says how to build it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PORTAL_CSP, registerPortalRoutes } from '../../server/src/http/portal';
import { translate } from '../../shared/i18n';

let root: string;
let built: FastifyInstance;
let empty: FastifyInstance;
const SCRIPT = 'console.log("portal");'.repeat(50);

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'arbitra-portal-static-'));
  const dir = path.join(root, 'portal');
  fs.mkdirSync(path.join(dir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><script type="module" src="/portal/assets/index-AbCd1234.js"></script>');
  fs.writeFileSync(path.join(dir, 'assets/index-AbCd1234.js'), SCRIPT);
  fs.writeFileSync(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  fs.writeFileSync(path.join(dir, '.build-files.json'), '["index-AbCd1234.js"]');
  fs.writeFileSync(path.join(root, 'secret.txt'), 'outside the portal');
  built = Fastify();
  await registerPortalRoutes(built, { dir });
  empty = Fastify();
  await registerPortalRoutes(empty, { dir: path.join(root, 'missing') });
});

afterAll(async () => {
  await built?.close();
  await empty?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('the portal’s files', () => {
  it('serves the page with a strict CSP and security headers, never cached', async () => {
    for (const url of ['/portal/', '/portal/index.html']) {
      const res = await built.inject({ url });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['content-security-policy']).toBe(PORTAL_CSP);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['referrer-policy']).toBe('same-origin');
      expect(res.body).toContain('/portal/assets/index-AbCd1234.js');
    }
    expect(PORTAL_CSP).toContain("script-src 'self'");
    expect(PORTAL_CSP).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline|style-src [^;]*unsafe-inline/);
    const bare = await built.inject({ url: '/portal' });
    expect([bare.statusCode, bare.headers.location]).toEqual([308, '/portal/']);
  });

  it('caches hashed assets for a year and gzips them when asked', async () => {
    const plain = await built.inject({ url: '/portal/assets/index-AbCd1234.js' });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(plain.body).toBe(SCRIPT);
    const gz = await built.inject({ url: '/portal/assets/index-AbCd1234.js', headers: { 'accept-encoding': 'gzip, br' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gz.rawPayload).toString()).toBe(SCRIPT);
    // A file without a hash in its name is revalidated each time.
    expect((await built.inject({ url: '/portal/favicon.svg' })).headers['cache-control']).toBe('no-cache');
  });

  it('serves nothing outside the folder, no hidden file and no listing, however the path is spelled', async () => {
    const attempts = [
      '/portal/../secret.txt',
      '/portal/..%2fsecret.txt',
      '/portal/%2e%2e/secret.txt',
      '/portal/%2e%2e%2fsecret.txt',
      '/portal/assets/..%2f..%2fsecret.txt',
      '/portal/..%5csecret.txt',
      '/portal/.build-files.json',
      '/portal/assets/',
      '/portal/assets',
      '/portal/index.html%00.js',
      '/portal/%E0%A4%A',
      '/portal/missing-AbCd1234.js',
    ];
    for (const url of attempts) {
      const res = await built.inject({ url });
      expect(res.statusCode, url).toBeGreaterThanOrEqual(300);
      expect(res.statusCode, url).toBeLessThan(500);
      expect(res.body, url).not.toContain('outside the portal');
      expect(res.body, url).not.toContain('index-AbCd1234.js"]');
    }
  });

  it('says how to build the portal when there is none, in the reader’s language', async () => {
    for (const [language, header] of [
      ['en', 'en-US'],
      ['zh-CN', 'zh-CN,zh;q=0.9'],
    ] as const) {
      const res = await empty.inject({ url: '/portal/', headers: { 'accept-language': header } });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-security-policy']).toContain("default-src 'none'");
      expect(res.body).toContain(translate(language, 'portal.not_built').replace(/[<>&]/g, ''));
    }
  });
});
