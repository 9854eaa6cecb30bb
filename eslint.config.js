// ESLint flat config: typescript-eslint's recommended rules without type information (fast on two
// cores; `npm run typecheck` does the type checking), eslint-plugin-vue for the .vue files, and the
// import boundaries of DESIGN.md ("Architecture", "The two apps") as zones of
// `@typescript-eslint/no-restricted-imports` (core `no-restricted-imports` plus `allowTypeImports`).
//
// Boundary zones. ESLint gives a rule one set of options per file (a later config object replaces an
// earlier one's options, it does not merge them), so every file sits in at most one zone below and
// each zone lists everything it may not import. The patterns match relative specifiers by path
// segment (they start with './' or '../'), so packages such as '@trpc/server' never match. They do
// not see dynamic import() or require(); in browser code tsconfig.web.json (no Node types) does.
// test/lint/boundaries.test.ts proves each zone fires.
import { builtinModules } from 'node:module';
import { defineConfig } from 'eslint/config';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import pluginVue from 'eslint-plugin-vue';
import vueParser from 'vue-eslint-parser';
import globals from 'globals';

// ---- what may not be imported, one building block each ----------------------------------------

const NODE_MESSAGE = 'Node built-in: this code runs in a browser or must stay pure. Node code belongs in server/, desktop/main or shared/pdf.';
/** Node built-ins, with or without the `node:` prefix ('fs', 'fs/promises', 'node:path', …). */
const nodeBuiltins = {
  paths: builtinModules.filter((m) => !m.startsWith('_')).map((name) => ({ name, message: NODE_MESSAGE })),
  patterns: [{ regex: '^node:', message: NODE_MESSAGE }],
};
const electron = {
  paths: [{ name: 'electron', message: 'Electron is for desktop/main and desktop/preload; the renderer reaches the engine through desktop/contract.' }],
  patterns: [],
};
// server/ sits at the root, so a relative import into it climbs out ('../')+ and then names 'server/'.
const SERVER = '^(\\./)?(\\.\\./)+server/';
const SERVER_MESSAGE = 'server/ is Node-only and talks to clients over tRPC and REST; import shared/ (schemas, types, rules) instead.';
const server = { paths: [], patterns: [{ regex: SERVER, message: SERVER_MESSAGE }] };
// The engine's tRPC client needs the router's type, and only its type: `import type { AppRouter }`
// is erased from the bundle. Anything else from server/, or a value import of it, is refused.
const serverExceptRouterType = {
  paths: [],
  patterns: [
    { regex: `${SERVER}(?!src/trpc/app-router$)`, message: SERVER_MESSAGE },
    { regex: `${SERVER}src/trpc/app-router$`, allowTypeImports: true, message: `${SERVER_MESSAGE} Only \`import type { AppRouter }\` is allowed.` },
  ],
};
// desktop/main (and the preload) is '../../desktop/main/…' from portal/ and '../../main' or '../../main/…'
// from the renderer or desktop/contract (which would also flag a renderer file importing its own entry
// src/main.ts from a subfolder; nothing does).
// The one exception: the type of the contract router (desktop/main/contract/router.ts, itself
// browser-safe), which types the renderer's tRPC client; `import type` only.
const DESKTOP_NODE_MESSAGE = 'desktop/main is the Node engine (and desktop/preload its Electron bridge): the renderer reaches it only through desktop/contract (IPC or loopback HTTP).';
const desktopNode = {
  paths: [],
  patterns: [
    { regex: '^(\\./)?(\\.\\./)+(desktop/)?(main|preload)(/|$)(?!contract/router$)', message: DESKTOP_NODE_MESSAGE },
    { regex: '^(\\./)?(\\.\\./)+(desktop/)?main/contract/router$', allowTypeImports: true, message: `${DESKTOP_NODE_MESSAGE} Only \`import type { WorkstationRouter }\` is allowed.` },
  ],
};
// The portal's tRPC client is typed by the server's AppRouter through the `#app-router` alias (the real
// router in tsconfig.portal.json, a stand-in in tsconfig.web.json); `import type` only, so nothing of
// the server reaches the bundle.
const appRouterAlias = {
  paths: [],
  patterns: [{ regex: '^#app-router$', allowTypeImports: true, message: `${SERVER_MESSAGE} Only \`import type { AppRouter } from '#app-router'\` is allowed.` }],
};
const desktopAny = { paths: [], patterns: [{ regex: '^(\\./)?(\\.\\./)+desktop/', message: 'shared/ is used by every part and must not depend on desktop/.' }] };
// shared/pdf is a folder without an index, so an import into it always names 'pdf/'. From the browser
// apps it is '(../)+shared/pdf/…'; from inside shared/ also './pdf/…' or '../pdf/…'.
const PDF_MESSAGE = 'shared/pdf is Node-only (pdfkit, fonts from node_modules, worker threads): not for browser code or pure shared code.';
const sharedPdfFromOutside = { paths: [], patterns: [{ regex: '^(\\./)?(\\.\\./)+shared/pdf/', message: PDF_MESSAGE }] };
const sharedPdfFromShared = { paths: [], patterns: [{ regex: '^(\\./|(\\.\\./)+)(shared/)?pdf/', message: PDF_MESSAGE }] };
const serviceModule = {
  paths: [],
  patterns: [{ regex: '\\.service(\\.[cm]?[jt]s)?$', message: 'Repositories hold SQL only and never call services (router → service → repository).' }],
};

/** One `no-restricted-imports` setting made of several building blocks. */
function restrict(...blocks) {
  return ['error', { paths: blocks.flatMap((b) => b.paths), patterns: blocks.flatMap((b) => b.patterns) }];
}

// ---- the zones ----------------------------------------------------------------------------------

/** Browser code: the two Vue apps and the renderer↔engine contract the renderer imports. */
const WEB = ['desktop/renderer/**', 'portal/**', 'desktop/contract/**', 'desktop/main/contract/router.ts'];
/** Node files that live beside browser code (build configs). */
const WEB_BUILD_CONFIGS = ['portal/*.config.*', 'desktop/renderer/*.config.*'];
const SHARED = ['shared/**'];
const SHARED_PDF = ['shared/pdf/**'];
const REPOSITORIES = ['server/src/**/*.repository.ts'];
const DESKTOP_NODE = ['desktop/main/**', 'desktop/preload/**'];

const CODE = ['**/*.{ts,mts,cts,js,mjs,cjs,vue}'];

export default defineConfig(
  { ignores: ['**/node_modules/**', 'out/**', 'dist/**', '**/.data/**', '.scratch*/**', 'test-artifacts/**', 'coverage/**'] },

  js.configs.recommended,
  tseslint.configs.recommended,
  pluginVue.configs['flat/recommended'],
  // Prettier lays out templates; the plugin's layout rules would fight it.
  pluginVue.configs['no-layout-rules'],

  // Node everywhere except the browser zone.
  { files: CODE, languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } } },
  { files: WEB, ignores: WEB_BUILD_CONFIGS, languageOptions: { globals: { ...globals.browser } } },

  // .vue single-file components: <script setup lang="ts"> through typescript-eslint's parser.
  {
    files: ['**/*.vue'],
    languageOptions: { parser: vueParser, parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'], sourceType: 'module' } },
  },

  // The project's deliberate style.
  {
    files: CODE,
    rules: {
      // tsc and vue-tsc resolve names; no-undef only misfires on types and ambient globals.
      'no-undef': 'off',
      // `_`-prefixed parameters, variables and caught errors are deliberately unused.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // `Kysely<any>` is the convention for schema-agnostic database code (migrations, the PGlite
      // dialect, row readers) and tests read untyped JSON; strict tsc still refuses implicit any.
      '@typescript-eslint/no-explicit-any': 'off',
      // Character classes of combining marks and joiners, written as \u escapes on purpose.
      'no-misleading-character-class': ['error', { allowEscape: true }],
      // `let x = fallback; try { x = … } catch { … }` is the house style for fallible reads.
      'no-useless-assignment': 'off',
      // A described @ts-ignore is allowed (an untyped package such as pdfkit); a bare one is not.
      '@typescript-eslint/ban-ts-comment': ['error', { 'ts-ignore': 'allow-with-description', 'ts-expect-error': 'allow-with-description' }],
    },
  },

  // ---- import boundaries (one zone per file; see the top of this file) --------------------------
  {
    // Browser apps: no engine, no server, no Node-only shared code, no Node built-ins, no Electron.
    files: WEB,
    ignores: WEB_BUILD_CONFIGS,
    rules: { '@typescript-eslint/no-restricted-imports': restrict(desktopNode, server, appRouterAlias, sharedPdfFromOutside, nodeBuiltins, electron) },
  },
  {
    // Pure shared code (all of shared/ but shared/pdf) runs in Node and in browsers alike.
    files: SHARED,
    ignores: SHARED_PDF,
    rules: { '@typescript-eslint/no-restricted-imports': restrict(server, desktopAny, sharedPdfFromShared, nodeBuiltins) },
  },
  {
    // shared/pdf is Node-only, but still shared: no server/, no desktop/.
    files: SHARED_PDF,
    rules: { '@typescript-eslint/no-restricted-imports': restrict(server, desktopAny) },
  },
  {
    // Repositories hold SQL; services call repositories, never the other way round.
    files: REPOSITORIES,
    rules: { '@typescript-eslint/no-restricted-imports': restrict(serviceModule) },
  },
  {
    // The workstation engine and preload reach the server over HTTP only (tRPC client typed by AppRouter).
    files: DESKTOP_NODE,
    ignores: ['desktop/main/contract/router.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': restrict(serverExceptRouterType) },
  },
);
