// The fonts every Arbitra PDF embeds, read from the npm packages the project ships (never the
// OS's): Noto Sans for Latin text, Noto Sans SC for Chinese, Noto Sans Mono for hashes and ids.
// Node only (the server's worker and the workstation's main process); the renderer takes bytes.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export interface PdfFonts {
  sansRegular: Uint8Array;
  sansBold: Uint8Array;
  cjkRegular: Uint8Array;
  cjkBold: Uint8Array;
  mono: Uint8Array;
}

// Not named `require`: electron-vite's ESM shim declares a module-level `require` in the bundled
// PDF worker (out/main/pdf-worker.js), and a second declaration there is a SyntaxError.
const requireHere = createRequire(import.meta.url);

function fontFile(pkg: string, weight: string, file: string): string {
  return path.join(path.dirname(requireHere.resolve(`${pkg}/package.json`)), weight, file);
}

export const PDF_FONT_FILES = {
  sansRegular: fontFile('@expo-google-fonts/noto-sans', '400Regular', 'NotoSans_400Regular.ttf'),
  sansBold: fontFile('@expo-google-fonts/noto-sans', '700Bold', 'NotoSans_700Bold.ttf'),
  cjkRegular: fontFile('@expo-google-fonts/noto-sans-sc', '400Regular', 'NotoSansSC_400Regular.ttf'),
  cjkBold: fontFile('@expo-google-fonts/noto-sans-sc', '700Bold', 'NotoSansSC_700Bold.ttf'),
  mono: fontFile('@expo-google-fonts/noto-sans-mono', '400Regular', 'NotoSansMono_400Regular.ttf'),
} as const satisfies Record<keyof PdfFonts, string>;

let cached: PdfFonts | null = null;

/** Reads the font files once per process (about 22 MB; the CJK faces are most of it). */
export function loadPdfFonts(): PdfFonts {
  cached ??= Object.fromEntries(Object.entries(PDF_FONT_FILES).map(([k, f]) => [k, new Uint8Array(fs.readFileSync(f))])) as unknown as PdfFonts;
  return cached;
}
