// The workstation contract over loopback HTTP + SSE (browser mode): the built renderer and the
// contract router at /contract, on 127.0.0.1 only. Other local pages and processes are kept out by
// - a per-launch random key, handed to the person in the printed URL (/?key=…) and exchanged for an
//   httpOnly, SameSite=Strict cookie (then redirected away so the key leaves the address bar);
//   every page, asset and contract request needs that cookie;
// - the Host header: only this server's loopback name and port (no DNS rebinding);
// - for requests that change state (anything but GET/HEAD): the Origin must be exactly this server's
//   origin and the `x-arbitra-workstation` header present (a cross-origin page cannot send it without
//   a CORS preflight, which is never granted); a browser's Sec-Fetch-Site, when sent, must say
//   same-origin for every contract request.
// Refusals answer with the contract's translated error shape (401/403), never a 500.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import fs from 'node:fs';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { AppError } from '../../../shared/errors';
import { languageFromHeader, translate } from '../../../shared/i18n';
import type { Language } from '../../../shared/domain';
import type { WorkstationPort } from '../../contract/types';
import { CONTRACT_HEADER, CONTRACT_PATH } from '../../contract/http-constants';
import { workstationRouter } from './router';
import { createContractRuntime, type ContractErrorShape, type ContractRuntime, type ContractRuntimeOptions } from './runtime';
import { PAGE_SECURITY_HEADERS } from '../shell/csp';
import { pageHtml, resolveStatic } from '../shell/static-files';

/** The loopback addresses the server may bind; anything else is refused before listening. */
export const LOOPBACK_HOSTS = ['127.0.0.1', '::1'] as const;
export type LoopbackHost = (typeof LOOPBACK_HOSTS)[number];

export interface ContractServerOptions extends ContractRuntimeOptions {
  port: WorkstationPort;
  /** The built renderer (out/renderer); null serves the contract only (tests). */
  rendererDir: string | null;
  /** The TCP port; 0 picks a free one. */
  listenPort: number;
  /** Loopback only: 127.0.0.1 (default) or ::1. */
  host?: LoopbackHost;
  /** Largest contract request body, in bytes (drafts are up to 100,000 characters). */
  maxBodySize?: number;
}

export interface ContractServer {
  /** http://127.0.0.1:<port> */
  origin: string;
  /** The address to open: the origin with this launch's key. */
  launchUrl: string;
  /** The cookie's name (per port: cookies do not tell ports apart). */
  cookieName: string;
  /** Stops accepting, ends open event streams and closes every connection; the engine stays open. */
  close(): Promise<void>;
}

export class NonLoopbackBindError extends Error {
  constructor(host: string) {
    super(`The workstation serves only the loopback interface (127.0.0.1 or ::1), not ${host}`);
    this.name = 'NonLoopbackBindError';
  }
}

export function isLoopbackHost(host: string): host is LoopbackHost {
  return (LOOPBACK_HOSTS as readonly string[]).includes(host);
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieValue(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export async function startContractServer(options: ContractServerOptions): Promise<ContractServer> {
  const host = options.host ?? '127.0.0.1';
  // Checked at run time too: a JavaScript caller (or a misread setting) must not get a wider bind.
  if (!isLoopbackHost(host)) throw new NonLoopbackBindError(String(host));

  const launchKey = randomBytes(32).toString('base64url');
  const sessionToken = randomBytes(32).toString('base64url');
  const runtime: ContractRuntime = createContractRuntime(options.port, options);
  const sockets = new Set<Socket>();
  let listenPort = 0;
  let cookieName = 'arbitra_ws';
  const allowedHosts = () => (host === '::1' ? [`[::1]:${listenPort}`, `localhost:${listenPort}`] : [`127.0.0.1:${listenPort}`, `localhost:${listenPort}`]);

  const trpc = createHTTPHandler({
    router: workstationRouter,
    basePath: `${CONTRACT_PATH}/`,
    maxBodySize: options.maxBodySize ?? 4 * 1024 * 1024,
    createContext: ({ req }) => runtime.context(languageFromHeader(req.headers['accept-language'])),
    responseMeta: () => ({ headers: { 'cache-control': 'no-store' } }),
  });

  const baseHeaders = (res: http.ServerResponse) => {
    res.setHeader('x-content-type-options', 'nosniff');
    // same-origin, not no-referrer: under no-referrer Chromium sends `Origin: null` on our own POSTs.
    res.setHeader('referrer-policy', 'same-origin');
    res.setHeader('x-frame-options', 'DENY');
    res.setHeader('cross-origin-resource-policy', 'same-origin');
  };

  const contractRefusal = (res: http.ServerResponse, error: AppError, language: Language) => {
    const shape: ContractErrorShape = runtime.refusal(error, language);
    res.statusCode = shape.data.httpStatus;
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.setHeader('cache-control', 'no-store');
    res.end(JSON.stringify({ error: shape }));
  };

  /** A plain translated page (no script): how to open the workstation, or why not. */
  const plainPage = (res: http.ServerResponse, status: number, messageKey: string, language: Language) => {
    const title = translate(language, 'workstation.shell.title');
    const other: Language = language === 'en' ? 'zh-CN' : 'en';
    res.statusCode = status;
    for (const [name, value] of Object.entries(PAGE_SECURITY_HEADERS)) res.setHeader(name, value);
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.setHeader('cache-control', 'no-store');
    res.end(
      `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
        `<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(translate(language, messageKey))}</p>` +
        `<p lang="${other}">${escapeHtml(translate(other, messageKey))}</p></body></html>`,
    );
  };

  const handle = (req: http.IncomingMessage, res: http.ServerResponse) => {
    baseHeaders(res);
    const language = languageFromHeader(req.headers['accept-language']);
    const url = new URL(req.url ?? '/', 'http://workstation.invalid');
    const isContract = url.pathname === CONTRACT_PATH || url.pathname.startsWith(`${CONTRACT_PATH}/`);
    const refuse = (status: 401 | 403 | 404 | 405, messageKey: string) => {
      if (isContract) contractRefusal(res, new AppError(status === 401 ? 'unauthenticated' : status === 403 ? 'forbidden' : status === 404 ? 'not_found' : 'bad_input', messageKey), language);
      else plainPage(res, status, messageKey, language);
    };

    // Only this server's own loopback name: a rebinding DNS name pointing here is refused.
    const hostHeader = (req.headers.host ?? '').toLowerCase();
    if (!allowedHosts().includes(hostHeader)) return refuse(403, 'workstation.shell.request_refused');
    const origin = `http://${hostHeader}`;
    const hasSession = (() => {
      const given = cookieValue(req.headers.cookie, cookieName);
      return given !== null && sameSecret(given, sessionToken);
    })();

    // The launch key: exchanged for the session cookie, then off the address bar.
    const key = url.searchParams.get('key');
    if (!isContract && key !== null && (req.method === 'GET' || req.method === 'HEAD')) {
      if (!sameSecret(key, launchKey)) return plainPage(res, 401, 'workstation.shell.key_invalid', language);
      url.searchParams.delete('key');
      res.statusCode = 303;
      res.setHeader('set-cookie', `${cookieName}=${sessionToken}; HttpOnly; SameSite=Strict; Path=/`);
      res.setHeader('cache-control', 'no-store');
      res.setHeader('location', `${url.pathname}${url.search}`);
      return res.end();
    }

    if (!hasSession) return refuse(401, 'workstation.shell.key_required');
    const fetchSite = req.headers['sec-fetch-site'];
    if (isContract && fetchSite !== undefined && fetchSite !== 'same-origin') return refuse(403, 'workstation.shell.request_refused');

    if (isContract) {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        // Chromium leaves Origin off some same-origin fetches; then its own Sec-Fetch-Site (which no
        // page can set) must say same-origin. An `Origin: null` or another origin is refused.
        const sameOrigin = req.headers.origin === undefined ? fetchSite === 'same-origin' : req.headers.origin === origin;
        if (!sameOrigin || req.headers[CONTRACT_HEADER] !== '1') return refuse(403, 'workstation.shell.request_refused');
      }
      res.setHeader('cache-control', 'no-store');
      return trpc(req, res);
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(405, 'error.bad_request');
    if (!options.rendererDir || !fs.existsSync(options.rendererDir)) return plainPage(res, 503, 'workstation.shell.renderer_missing', language);
    const found = resolveStatic(options.rendererDir, url.pathname);
    if (!found) return plainPage(res, 404, 'workstation.shell.not_found', language);
    res.statusCode = 200;
    res.setHeader('content-type', found.contentType);
    if (found.isPage) {
      for (const [name, value] of Object.entries(PAGE_SECURITY_HEADERS)) res.setHeader(name, value);
      res.setHeader('cache-control', 'no-store');
      return res.end(req.method === 'HEAD' ? undefined : pageHtml(found.file));
    }
    res.setHeader('cache-control', 'no-cache');
    if (req.method === 'HEAD') return res.end();
    fs.createReadStream(found.file)
      .on('error', () => res.destroy())
      .pipe(res);
  };

  const server = http.createServer((req, res) => {
    try {
      handle(req, res);
    } catch (error) {
      // Nothing above should throw; if it does, the contract's internal-error shape, never a stack.
      const ctx = runtime.context(languageFromHeader(req.headers['accept-language']));
      ctx.logError(error, ctx.requestId);
      if (!res.headersSent) {
        res.statusCode = 500;
        res.setHeader('content-type', 'application/json; charset=utf-8');
        res.end(JSON.stringify({ error: runtime.errorShape(error, { ctx }) }));
      } else res.destroy();
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port: options.listenPort, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  if (!isLoopbackHost(address.address)) {
    server.close();
    throw new NonLoopbackBindError(address.address);
  }
  listenPort = address.port;
  cookieName = `arbitra_ws_${listenPort}`;
  const originUrl = host === '::1' ? `http://[::1]:${listenPort}` : `http://127.0.0.1:${listenPort}`;

  let closing: Promise<void> | null = null;
  return {
    origin: originUrl,
    launchUrl: `${originUrl}/?key=${launchKey}`,
    cookieName,
    close() {
      closing ??= new Promise<void>((resolve) => {
        runtime.close();
        server.close(() => resolve());
        // Open event streams (SSE) never end by themselves: end them so close() returns.
        server.closeIdleConnections();
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
