// What decides a dossier's bytes besides its snapshot and evidence files: the renderer's version,
// the pdfkit version and the font files (SHA-256 of each). Stored with each dossier the server
// issues (dossiers.renderer): two processes with the same fingerprint render the same bytes.
// Node only (reads pdfkit's package.json and the font files); computed once per process.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PDF_FONT_FILES } from './fonts';
import { DOSSIER_RENDERER_VERSION } from '../dossier/version';

// Not named `require`: bundlers (electron-vite's ESM shim) may declare one at module level.
const requireHere = createRequire(import.meta.url);
const sha256 = (data: string | Uint8Array) => crypto.createHash('sha256').update(data).digest('hex');

export interface DossierRendererInputs {
  version: number;
  pdfkit: string;
  /** SHA-256 of each font file, by its role (PdfFonts' keys). */
  fonts: Record<string, string>;
}

let cachedInputs: DossierRendererInputs | null = null;
let cachedFingerprint: string | null = null;

/** The pdfkit version installed (its package.json is not exported: found next to its entry point). */
function pdfkitVersion(): string {
  let dir = path.dirname(requireHere.resolve('pdfkit'));
  for (let i = 0; i < 4; i++) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'pdfkit' && pkg.version) return pkg.version;
    }
    dir = path.dirname(dir);
  }
  return 'unknown';
}

export function dossierRendererInputs(): DossierRendererInputs {
  cachedInputs ??= {
    version: DOSSIER_RENDERER_VERSION,
    pdfkit: pdfkitVersion(),
    fonts: Object.fromEntries(
      Object.entries(PDF_FONT_FILES)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([role, file]) => [role, sha256(fs.readFileSync(file))]),
    ),
  };
  return cachedInputs;
}

/**
 * One line naming the renderer: `2 (pdfkit 0.20.2; fonts 1a2b3c4d5e6f7a8b)`, the fonts part the
 * first 16 hex digits of the SHA-256 of every font's role and SHA-256.
 */
export function dossierRendererFingerprint(): string {
  if (cachedFingerprint) return cachedFingerprint;
  const inputs = dossierRendererInputs();
  const fonts = sha256(Object.entries(inputs.fonts).map(([role, hash]) => `${role}=${hash}`).join('\n')).slice(0, 16);
  cachedFingerprint = `${inputs.version} (pdfkit ${inputs.pdfkit}; fonts ${fonts})`;
  return cachedFingerprint;
}
