// The arbitrator portal: a Vite app the server serves in production.
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

export default defineConfig({
  root: resolve(__dirname),
  plugins: [vue()],
  build: { outDir: resolve(__dirname, '../out/portal'), emptyOutDir: true },
});
