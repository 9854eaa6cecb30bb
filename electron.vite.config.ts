// Builds the workstation: Electron main process, preload bridge and the Vue renderer.
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import vue from '@vitejs/plugin-vue';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'desktop/main/index.ts'),
          // The PDF worker thread (offline dossier export): its own entry, out/main/pdf-worker.js, which
          // shared/pdf/worker/run-in-worker.ts starts when it runs bundled in out/main/.
          'pdf-worker': resolve(__dirname, 'shared/pdf/worker/worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload must be CommonJS.
      rollupOptions: { input: { index: resolve(__dirname, 'desktop/preload/index.ts') }, output: { format: 'cjs', entryFileNames: '[name].cjs' } },
    },
  },
  renderer: {
    root: resolve(__dirname, 'desktop/renderer'),
    plugins: [vue()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      rollupOptions: { input: { index: resolve(__dirname, 'desktop/renderer/index.html') } },
    },
  },
});
