// Builds the workstation: Electron main process, preload bridge and the Vue renderer.
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { PROJECT_ROOT, rendererViteConfig } from './renderer.vite.config';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(PROJECT_ROOT, 'desktop/main/index.ts'),
          // The PDF worker thread (offline dossier export): its own entry, out/main/pdf-worker.js, which
          // shared/pdf/worker/run-in-worker.ts starts when it runs bundled in out/main/.
          'pdf-worker': resolve(PROJECT_ROOT, 'shared/pdf/worker/worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload must be CommonJS.
      rollupOptions: { input: { index: resolve(PROJECT_ROOT, 'desktop/preload/index.ts') }, output: { format: 'cjs', entryFileNames: '[name].cjs' } },
    },
  },
  // The same renderer configuration the browser shell builds with (renderer.vite.config.ts).
  renderer: rendererViteConfig(),
});
