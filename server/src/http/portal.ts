// The arbitration portal's built files (portal/, built by Vite into out/portal) on the server's own
// origin under /portal/, so the portal's tRPC calls are same-origin and carry the SameSite=Strict
// session cookie. The page gets a strict Content-Security-Policy (scripts only from this origin, no
// inline script, no eval) and is never cached; the hashed assets are cached for a year. The folder
// is looked at per request: a server started before the portal was built serves it once it is.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { translate } from '../../../shared/i18n';
import { requestMeta } from './request';

export const PORTAL_PREFIX = '/portal/';
/** Where `npm run build` (and the on-demand build of `npm start`) puts the portal. */
export const DEFAULT_PORTAL_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../out/portal');

/**
 * Scripts and styles from this origin only; style attributes inline (Element Plus positions popups
 * and sizes columns with them) but no inline <style> or <script>; fonts, images and requests to this
 * origin only; no plugins, no framing, forms post only here.
 */
export const PORTAL_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "style-src-attr 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers of every portal response (x-content-type-options comes with every response of the app). */
export const PORTAL_SECURITY_HEADERS: Record<string, string> = {
  'x-frame-options': 'DENY',
  // same-origin, not no-referrer: under no-referrer Chromium sends `Origin: null` on the page's own
  // POSTs, which the CSRF check (csrf.ts) must refuse.
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.json', '.svg']);
/** Vite's hashed output: `name-<hash>.ext` under assets/; its content never changes under that name. */
const HASHED = /^assets\/[^/]+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;

/** The file under `root` for a path below /portal/, or null (unknown, outside root, not a regular file). */
export function portalFile(root: string, relative: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(relative);
  } catch {
    return null;
  }
  if (decoded === '' || decoded === 'index.html') decoded = 'index.html';
  if (decoded.includes('\0') || decoded.includes('\\') || decoded.split('/').some((part) => part === '..' || part.startsWith('.'))) return null;
  const base = path.resolve(root);
  const target = path.resolve(base, decoded);
  if (!target.startsWith(base + path.sep)) return null;
  try {
    return fs.statSync(target).isFile() ? target : null;
  } catch {
    return null;
  }
}

/** Gzipped hashed assets, kept once made (they never change under their name). */
const gzipped = new Map<string, Buffer>();

function send(req: FastifyRequest, reply: FastifyReply, file: string, relative: string) {
  const ext = path.extname(file).toLowerCase();
  const isPage = ext === '.html';
  const hashed = HASHED.test(relative);
  reply.headers(PORTAL_SECURITY_HEADERS);
  reply.header('content-type', TYPES[ext] ?? 'application/octet-stream');
  if (isPage) reply.header('content-security-policy', PORTAL_CSP);
  // The page names the current hashed files: never kept, so a new build is picked up at once.
  reply.header('cache-control', isPage ? 'no-store' : hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
  const gzip = COMPRESSIBLE.has(ext) && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  if (COMPRESSIBLE.has(ext)) reply.header('vary', 'accept-encoding');
  if (!gzip) return reply.send(fs.createReadStream(file));
  let body = hashed ? gzipped.get(file) : undefined;
  if (!body) {
    body = zlib.gzipSync(fs.readFileSync(file));
    if (hashed) gzipped.set(file, body);
  }
  reply.header('content-encoding', 'gzip');
  return reply.send(body);
}

/** The translated page a server without a built portal answers, so nobody stares at a bare 404. */
function notBuilt(req: FastifyRequest, reply: FastifyReply) {
  const { language } = requestMeta(req);
  const message = translate(language, 'portal.not_built');
  reply.headers(PORTAL_SECURITY_HEADERS);
  return reply
    .status(404)
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', "default-src 'none'; frame-ancestors 'none'")
    .header('cache-control', 'no-store')
    .send(`<!doctype html><html lang="${language}"><meta charset="utf-8"><title>Arbitra</title><p>${message.replace(/[<>&]/g, '')}</p></html>`);
}

export async function registerPortalRoutes(app: FastifyInstance, options: { dir?: string } = {}): Promise<void> {
  const root = options.dir ?? DEFAULT_PORTAL_DIR;
  app.get('/portal', async (_req, reply) => reply.redirect(PORTAL_PREFIX, 308));
  app.get('/portal/*', async (req, reply) => {
    const relative = (req.params as { '*': string })['*'] ?? '';
    const pathOnly = relative.split('?')[0] ?? '';
    const file = portalFile(root, pathOnly);
    if (file) return send(req, reply, file, pathOnly);
    if (!portalFile(root, 'index.html')) return notBuilt(req, reply);
    // The portal routes in the hash, so any other path is a missing file.
    return reply.callNotFound();
  });
}
