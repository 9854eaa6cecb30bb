// The import boundaries of DESIGN.md, as eslint.config.js enforces them: each forbidden import below
// is reported by the boundary rule, and the imports each part does need pass without a word.
// Snippets are linted at made-up paths with the project's own config; nothing is written to disk.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RULE = '@typescript-eslint/no-restricted-imports';

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: ROOT });
});

async function lint(file: string, code: string) {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return result!.messages;
}

type Case = [file: string, code: string, because: string];

const forbidden: Case[] = [
  // The renderer, the portal and the renderer↔engine contract run in a browser.
  ['desktop/renderer/src/x.ts', "import { SyncEngine } from '../../main/sync-engine';\nexport const e = SyncEngine;", 'desktop/main is the Node engine'],
  ['desktop/renderer/src/views/x.ts', "import { openLocalStore } from '../../../main/store/local-db';\nexport const o = openLocalStore;", 'desktop/main is the Node engine'],
  ['desktop/renderer/src/x.ts', "import '../../preload/index';", 'desktop/main is the Node engine'],
  ['desktop/renderer/src/x.ts', "import { ipcRenderer } from 'electron';\nexport const i = ipcRenderer;", 'Electron is for desktop/main'],
  ['desktop/renderer/src/x.ts', "import { readFile } from 'fs/promises';\nexport const r = readFile;", 'Node built-in'],
  ['desktop/renderer/src/CaseList.vue', '<script setup lang="ts">\nimport fs from \'node:fs\';\nconsole.log(fs);\n</script>\n<template><p>x</p></template>\n', 'Node built-in'],
  ['portal/src/x.ts', "import fs from 'node:fs';\nexport const f = fs;", 'Node built-in'],
  ['portal/src/x.ts', "import path from 'path';\nexport const p = path;", 'Node built-in'],
  ['portal/src/x.ts', "import { Buffer } from 'buffer';\nexport const b = Buffer;", 'Node built-in'],
  ['portal/src/x.ts', "import { appRouter } from '../../server/src/trpc/app-router';\nexport const a = appRouter;", 'server/ is Node-only'],
  ['portal/src/x.ts', "import type { AppRouter } from '../../server/src/trpc/app-router';\nexport type A = AppRouter;", 'server/ is Node-only'],
  ['portal/src/api/x.ts', "import { appRouter } from '#app-router';\nexport const a = appRouter;", "Only `import type { AppRouter } from '#app-router'`"],
  ['portal/src/x.ts', "import { renderDossier } from '../../shared/pdf/dossier/render';\nexport const r = renderDossier;", 'shared/pdf is Node-only'],
  ['portal/src/x.ts', "import { SyncEngine } from '../../desktop/main/sync-engine';\nexport const e = SyncEngine;", 'desktop/main is the Node engine'],
  ['desktop/renderer/src/contract/x.ts', "import { workstationRouter } from '../../../main/contract/router';\nexport const r = workstationRouter;", 'Only `import type { WorkstationRouter }`'],
  ['desktop/renderer/src/contract/x.ts', "import type { SyncEngine } from '../../../main/sync-engine';\nexport type E = SyncEngine;", 'desktop/main is the Node engine'],
  ['desktop/main/contract/router.ts', "import { SyncEngine } from '../sync-engine';\nimport fs from 'node:fs';\nexport const e = [SyncEngine, fs];", 'Node built-in'],
  ['desktop/contract/x.ts', "import type { LocalDb } from '../main/store/local-db';\nexport type L = LocalDb;", 'desktop/main is the Node engine'],
  // Pure shared code: no server, no desktop, no shared/pdf, no Node.
  ['shared/x.ts', "import { receiveComplaint } from '../server/src/cases/cases.service';\nexport const r = receiveComplaint;", 'server/ is Node-only'],
  ['shared/x.ts', "export { loadConfig } from '../server/src/config';", 'server/ is Node-only'],
  ['shared/x.ts', "import { SyncEngine } from '../desktop/main/sync-engine';\nexport const e = SyncEngine;", 'must not depend on desktop/'],
  ['shared/x.ts', "import type { WorkstationPort } from '../desktop/contract/types';\nexport type W = WorkstationPort;", 'must not depend on desktop/'],
  ['shared/money2.ts', "import { PDF_FONT_FILES } from './pdf/fonts';\nexport const f = PDF_FONT_FILES;", 'shared/pdf is Node-only'],
  ['shared/dossier/x.ts', "import { PDF_FONT_FILES } from '../pdf/fonts';\nexport const f = PDF_FONT_FILES;", 'shared/pdf is Node-only'],
  ['shared/dossier/x.ts', "import { PDF_FONT_FILES } from '../../shared/pdf/fonts';\nexport const f = PDF_FONT_FILES;", 'shared/pdf is Node-only'],
  ['shared/x.ts', "import { createHash } from 'node:crypto';\nexport const h = createHash;", 'Node built-in'],
  ['shared/evidence/x.ts', "import zlib from 'zlib';\nexport const z = zlib;", 'Node built-in'],
  // shared/pdf may use Node, but is still shared.
  ['shared/pdf/x.ts', "import type { DB } from '../../server/src/db/database';\nexport type D = DB;", 'server/ is Node-only'],
  ['shared/pdf/dossier/x.ts', "import { SyncEngine } from '../../../desktop/main/sync-engine';\nexport const e = SyncEngine;", 'must not depend on desktop/'],
  // Repositories never call services.
  ['server/src/cases/x.repository.ts', "import { receiveComplaint } from './cases.service';\nexport const r = receiveComplaint;", 'never call services'],
  ['server/src/cases/x.repository.ts', "import { audit } from '../audit/audit.service';\nexport const a = audit;", 'never call services'],
  // The workstation engine reaches the server over HTTP; only the router's type may be imported.
  ['desktop/main/x.ts', "import { buildApp } from '../../server/src/http/app';\nexport const b = buildApp;", 'server/ is Node-only'],
  ['desktop/main/store/x.ts', "import type { DB } from '../../../server/src/db/database';\nexport type D = DB;", 'server/ is Node-only'],
  ['desktop/main/x.ts', "import { appRouter } from '../../server/src/trpc/app-router';\nexport const a = appRouter;", 'Only `import type { AppRouter }`'],
  ['desktop/preload/x.ts', "import { loadConfig } from '../../server/src/config';\nexport const c = loadConfig;", 'server/ is Node-only'],
];

const allowed: Case[] = [
  ['desktop/renderer/src/x.ts', "import type { WorkstationPort } from '../../contract/types';\nexport type W = WorkstationPort;", 'the contract'],
  ['desktop/renderer/src/views/x.ts', "import { translate } from '../../../../shared/i18n';\nimport { ref } from 'vue';\nexport const t = [translate, ref];", 'pure shared code and packages'],
  [
    'desktop/renderer/src/x.ts',
    "import { createTRPCClient } from '@trpc/client';\nimport { initTRPC } from '@trpc/server';\nexport const c = [createTRPCClient, initTRPC];",
    "packages whose names contain 'server'",
  ],
  [
    'desktop/renderer/src/CaseList.vue',
    "<script setup lang=\"ts\">\nimport { ref } from 'vue';\nimport { translate } from '../../../shared/i18n';\nconst n = ref(translate('en', 'app.portal.title'));\n</script>\n<template><p>{{ n }}</p></template>\n",
    'a component',
  ],
  ['portal/src/x.ts', "import { money } from '../../shared/schemas';\nimport { defineStore } from 'pinia';\nexport const m = [money, defineStore];", 'pure shared code and packages'],
  ['portal/src/api/x.ts', "import type { AppRouter } from '#app-router';\nexport type A = AppRouter;", "the portal's client is typed by the server's router, through its alias"],
  ['portal/vite.config.ts', "import { resolve } from 'node:path';\nexport default resolve('.');", 'a build config runs in Node'],
  [
    'desktop/contract/x.ts',
    "import { z } from 'zod';\nimport type { Language } from '../../shared/domain';\nexport const s = z.string();\nexport type L = Language;",
    'the contract uses pure shared code',
  ],
  ['shared/x.ts', "import { parseMoney } from './money';\nimport Decimal from 'decimal.js';\nexport const p = [parseMoney, Decimal];", 'shared code and packages'],
  ['shared/i18n/x.ts', "import { desktopMessages } from './desktop.messages';\nexport const d = desktopMessages;", "a shared file whose name starts with 'desktop'"],
  ['shared/pdf/x.ts', "import fs from 'node:fs';\nimport { parseMoney } from '../money';\nexport const f = [fs, parseMoney];", 'shared/pdf is the Node-only part'],
  ['server/src/cases/x.repository.ts', "import type { DB } from '../db/database';\nimport { sql } from 'kysely';\nexport type D = DB;\nexport const s = sql;", 'a repository uses the database'],
  [
    'server/src/cases/x.service.ts',
    "import { insertCase } from './cases.repository';\nimport { audit } from '../audit/audit.service';\nexport const s = [insertCase, audit];",
    'a service calls repositories and services',
  ],
  ['desktop/main/x.ts', "import type { AppRouter } from '../../server/src/trpc/app-router';\nexport type A = AppRouter;", 'the tRPC client is typed by the router'],
  ['desktop/renderer/src/contract/x.ts', "import type { WorkstationRouter } from '../../../main/contract/router';\nexport type R = WorkstationRouter;", "the renderer's client is typed by the contract router"],
  ['desktop/main/store/x.ts', "import { type AppRouter } from '../../../server/src/trpc/app-router';\nexport type A = AppRouter;", 'the same, as an inline type import'],
  ['desktop/main/x.ts', "import fs from 'node:fs';\nimport { renderDossier } from '../../shared/pdf/dossier/render';\nexport const r = [fs, renderDossier];", 'the engine renders dossiers offline'],
  ['test/server/x.test.ts', "import { buildApp } from '../../server/src/http/app';\nexport const b = buildApp;", 'tests reach every part'],
];

describe('import boundaries', () => {
  it.each(forbidden)('%s: refuses %j', async (file, code, because) => {
    const messages = await lint(file, code);
    const refusals = messages.filter((m) => m.ruleId === RULE);
    expect(refusals, JSON.stringify(messages)).toHaveLength(1);
    expect(refusals[0]!.message).toContain(because);
  });

  it.each(allowed)('%s: allows %j (%s)', async (file, code) => {
    const messages = await lint(file, code);
    expect(messages).toEqual([]);
  });
});
