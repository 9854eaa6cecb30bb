// The workstation renderer's Vite configuration, in one place: electron.vite.config.ts builds it with
// the Electron bundles (`npm run build`), and the browser shell builds it on demand when out/renderer
// is missing or older than its sources (desktop/main/shell/renderer-build.ts).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import type { UserConfig } from 'vite';

export const PROJECT_ROOT = path.dirname(fileURLToPath(import.meta.url));
export const RENDERER_ROOT = path.join(PROJECT_ROOT, 'desktop/renderer');
export const RENDERER_OUT_DIR = path.join(PROJECT_ROOT, 'out/renderer');

export function rendererViteConfig(outDir: string = RENDERER_OUT_DIR): UserConfig {
  return {
    root: RENDERER_ROOT,
    // Relative asset URLs: the same bundle loads from app:// in Electron and from the loopback server.
    base: './',
    plugins: [vue()],
    build: {
      outDir,
      emptyOutDir: true,
      // Element Plus and ECharts make one large vendor chunk; loaded once from disk, never over a network.
      chunkSizeWarningLimit: 4096,
      rollupOptions: { input: { index: path.join(RENDERER_ROOT, 'index.html') } },
    },
  };
}
