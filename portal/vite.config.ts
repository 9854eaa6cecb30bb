// The arbitration portal: a Vite app the server serves under /portal/ (server/src/http/portal.ts).
// `npm run build` builds it with this file; scripts/lib/portal-build.ts builds it on demand with the
// same configuration when out/portal is missing or older than its sources.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type UserConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

export const PORTAL_ROOT = dirname(fileURLToPath(import.meta.url));
export const PORTAL_OUT_DIR = resolve(PORTAL_ROOT, '../out/portal');

export function portalViteConfig(outDir: string = PORTAL_OUT_DIR): UserConfig {
  return {
    root: PORTAL_ROOT,
    // Absolute asset URLs under the path the server serves the portal from.
    base: '/portal/',
    plugins: [vue()],
    resolve: {
      // The messages are compiled by our own messageCompiler (src/i18n.ts): vue-i18n's runtime build
      // leaves its message compiler (and any eval) out of the bundle.
      alias: { 'vue-i18n': 'vue-i18n/dist/vue-i18n.runtime.esm-bundler.js' },
    },
    // The first route's JavaScript is held to 300 KB gzipped by test/e2e/portal.e2e.test.ts; Rollup's
    // warning counts unzipped bytes.
    // Every asset a file of its own: inlined data: URLs (small font subsets) would need `data:` in the
    // page's Content-Security-Policy.
    build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 1024, assetsInlineLimit: 0 },
  };
}

export default defineConfig(portalViteConfig());
