// The Content-Security-Policy of the workstation's page, in the Electron window and in browser mode
// alike: scripts only from the app itself (no inline script, no eval), styles from the app plus the
// inline style attributes Element Plus sets, fonts and images from the app (and data:/blob: URLs the
// bundle and pdf.js make), network only back to where the page came from, no plugins, no framing.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers every page response carries besides the CSP. */
export const PAGE_SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  // The launch key travels in the first URL: never let it leave in a Referer to another site.
  // same-origin, not no-referrer: under no-referrer Chromium sends `Origin: null` on the page's own
  // POSTs, which the contract's Origin check must refuse.
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};
