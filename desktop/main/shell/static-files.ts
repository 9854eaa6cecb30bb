// The built renderer (out/renderer) as files to serve, for the browser shell's loopback server and the
// Electron window's app:// protocol: a request path becomes a file inside the folder or nothing
// (never a path outside it), and any other page path is the single-page app's index.html.
import fs from 'node:fs';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.pdf': 'application/pdf',
};

export interface StaticFile {
  file: string;
  contentType: string;
  /** index.html: the page itself (gets the CSP and is never cached). */
  isPage: boolean;
}

export function contentType(file: string): string {
  return TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** The file for a URL path inside `root`, index.html for page routes, or null (not found, or outside root). */
export function resolveStatic(root: string, urlPath: string): StaticFile | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const base = path.resolve(root);
  const target = path.resolve(base, `.${path.posix.normalize(`/${decoded}`)}`);
  const relative = path.relative(base, target);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return null;
  const index = path.join(base, 'index.html');
  if (relative === '' || relative === 'index.html') return fs.existsSync(index) ? { file: index, contentType: TYPES['.html']!, isPage: true } : null;
  try {
    const stat = fs.statSync(target);
    if (stat.isFile()) return { file: target, contentType: contentType(target), isPage: false };
  } catch {
    /* not a file: maybe a page route */
  }
  // A page route of the app (no extension, e.g. /cases/…): the app's page; a missing asset is not found.
  if (path.extname(decoded) === '' && fs.existsSync(index)) return { file: index, contentType: TYPES['.html']!, isPage: true };
  return null;
}

/**
 * The page as served: with `<base href="/">` so relative asset URLs (the bundle is built with base './'
 * for the Electron app) resolve from the root on page routes too.
 */
export function pageHtml(file: string): string {
  const html = fs.readFileSync(file, 'utf8');
  if (/<base\s/i.test(html)) return html;
  return html.replace(/<head>/i, '<head>\n    <base href="/" />');
}
