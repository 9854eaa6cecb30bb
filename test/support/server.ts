// A real server for tests: Fastify on loopback over a fresh real-Postgres database, with one user
// per role and typed tRPC clients logged in as each.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import type { FastifyInstance } from 'fastify';
import { authenticator } from './totp';
import { buildApp } from '../../server/src/http/app';
import { CSRF_HEADER, CSRF_HEADER_VALUE } from '../../server/src/http/csrf';
import { ChangeNotifier } from '../../server/src/sync/change-notifier';
import { evidenceDeps } from '../../server/src/evidence/store-from-config';
import { createDossierJobs } from '../../server/src/dossiers/start-dossier-jobs';
import type { DossierJobs } from '../../server/src/dossiers/dossier-jobs';
import type { AppRouter } from '../../server/src/trpc/app-router';
import { loadConfig, type ServerConfig } from '../../server/src/config';
import { hashPassword } from '../../server/src/auth/password';
import { createTestDatabase, type TestDatabase } from './db';
import { ROLES, TOTP_REQUIRED_ROLES, type Role } from '../../shared/domain';

export const TEST_PASSWORD = 'correct horse battery staple';

export interface TestUser {
  id: string;
  email: string;
  role: Role;
  totpSecret: string | null;
}

export interface TestServer {
  t: TestDatabase;
  app: FastifyInstance;
  url: string;
  config: ServerConfig;
  /** This server's own data directory (evidence blobs and partial uploads), removed by close(). */
  dataDir: string;
  /** The dossier render queue (pg-boss on this database), started with the server. */
  dossierJobs: DossierJobs;
  teamId: string;
  otherTeamId: string;
  users: Record<Role, TestUser>;
  client(token?: string | null, language?: 'en' | 'zh-CN'): ReturnType<typeof createTRPCClient<AppRouter>>;
  /** Logs in (with a TOTP code where the role needs one) and returns the session token. */
  login(role: Role): Promise<string>;
  close(): Promise<void>;
}

/** What every first-party client sends on state-changing requests (server/src/http/csrf.ts). */
export const CSRF_HEADERS = { [CSRF_HEADER]: CSRF_HEADER_VALUE };

export function makeClient(url: string, token?: string | null, language: 'en' | 'zh-CN' = 'en') {
  return createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${url}/trpc`,
        headers: () => ({ ...(token ? { authorization: `Bearer ${token}` } : {}), 'accept-language': language, ...CSRF_HEADERS }),
      }),
    ],
  });
}

/** Users of every role; the TOTP roles already enrolled so tests can log in with a code. */
export async function seedRoleUsers(t: TestDatabase, teamId: string): Promise<Record<Role, TestUser>> {
  const passwordHash = await hashPassword(TEST_PASSWORD);
  const users = {} as Record<Role, TestUser>;
  for (const role of ROLES) {
    const totpSecret = TOTP_REQUIRED_ROLES.includes(role) ? authenticator.generateSecret() : null;
    const row = await t.db
      .insertInto('users')
      .values({
        email: `${role}@example.test`,
        display_name: `Test ${role}`,
        role,
        password_hash: passwordHash,
        totp_secret: totpSecret,
        totp_enabled_at: totpSecret ? new Date() : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (role === 'specialist' || role === 'supervisor') await t.db.insertInto('team_members').values({ team_id: teamId, user_id: row.id }).execute();
    users[role] = { id: row.id, email: `${role}@example.test`, role, totpSecret };
  }
  return users;
}

export async function startTestServer(overrides: Partial<ServerConfig> = {}): Promise<TestServer> {
  const t = await createTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'arbitra-test-data-'));
  const config = { ...loadConfig({ ARBITRA_LOG_LEVEL: 'silent', ARBITRA_DATA_DIR: dataDir }), port: 0, ...overrides };
  const team = await t.db.insertInto('teams').values({ name: 'Trade disputes' }).returning('id').executeTakeFirstOrThrow();
  const other = await t.db.insertInto('teams').values({ name: 'Security incidents' }).returning('id').executeTakeFirstOrThrow();
  const users = await seedRoleUsers(t, team.id);
  const changes = new ChangeNotifier(t.url);
  await changes.start();
  const evidence = evidenceDeps(t.db, config);
  // pg-boss's tables come with the template database (the dossiers migration): starting is a check.
  const dossierJobs = createDossierJobs({
    db: t.db,
    store: evidence.store,
    connectionString: t.url,
    dataDir,
    supervise: false,
    pollingIntervalSeconds: 1,
    retryDelaySeconds: 1,
    stopTimeoutMs: 5_000,
    log: process.env.ARBITRA_TEST_LOG ? { info: (o, m) => console.log(m, o), error: (o, m) => console.error(m, o) } : undefined,
  });
  const app = await buildApp({ db: t.db, config, changes, evidence, dossierQueue: dossierJobs });
  await dossierJobs.start();
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const server: TestServer = {
    t,
    app,
    url,
    config,
    dataDir: config.dataDir,
    dossierJobs,
    teamId: team.id,
    otherTeamId: other.id,
    users,
    client: (token, language) => makeClient(url, token, language),
    async login(role) {
      const user = users[role];
      // A token-holding session (as the CLI's): browser logins keep theirs in the cookie only.
      const res = await makeClient(url).auth.login.mutate({
        email: user.email,
        password: TEST_PASSWORD,
        kind: 'cli',
        ...(user.totpSecret ? { totpCode: authenticator.generate(user.totpSecret) } : {}),
      });
      return res.token!;
    },
    async close() {
      await app.close();
      await dossierJobs.stop();
      await changes.stop();
      await t.drop();
      // Blobs are stored read-only (0400) in 0700 directories: removable by their owner.
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return server;
}

export function errorData(error: unknown): { code: string; messageKey: string; field: string | null; httpStatus: number; message: string } {
  if (!(error instanceof TRPCClientError)) throw error;
  const data = error.data as { code: string; messageKey: string; field: string | null; httpStatus: number };
  return { ...data, message: error.message };
}

/** Runs a call expected to fail and returns its error data; fails the test if it succeeds. */
export async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return errorData(error);
  }
  throw new Error('expected the call to fail, it succeeded');
}
