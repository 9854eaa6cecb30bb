// The demo organisation a new database starts with (`npm start` with demo on): teams, one user per
// role (three arbitrators, for a panel), an intake key, and 44 cases worked through the same
// services the apps call, so every case has a coherent timeline and audit trail. A three-member
// arbitration runs its course (exhibits of every kind taken in through the evidence service, seats
// disclosed and accepted, an award signed by the panel, a dissent and an addendum) and a mediation
// ends in a settlement the mediator records and signs: their dossiers have real content. Runs only
// on a database without users; a second run is a no-op that answers `{ cases: 0, alreadySeeded: true }`
// and leaves the credentials file alone.
//
// What is seeded is data: the organisation in data/organisation.ts, the cases in cases/*.ts (written
// with case-script.ts), the arbitration's files in data/exhibits.ts; runner.ts plays a case through
// the services. Content is fixed (no randomness): names, texts, amounts and the order of work. Only
// the secrets (passwords, TOTP secrets, the intake key) are random, and they are shown once: through
// `options.log` and in `<dataDir>/demo-credentials.txt` (mode 0600).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { DB } from '../db/database';
import { systemContext, type IntakeActor, type ServiceContext, type UserActor } from '../context';
import { audit } from '../audit/audit.service';
import { hashPassword } from '../auth/password';
import { authenticator } from '../auth/totp';
import { createIntakeKey, createTeam, createUser } from '../admin/admin.service';
import { DEFAULT_MAX_UPLOAD_BYTES, type EvidenceDeps } from '../evidence/evidence-deps';
import { FsBlobStore } from '../evidence/fs-blob-store';
import { TOTP_REQUIRED_ROLES, type Role } from '../../../shared/domain';
import { DEMO_CASES } from './cases';
import { credentialLines } from './credentials';
import { INTAKE_DESK_NAME, STAFF, TEAMS, type StaffKey, type StaffMember, type TeamKey } from './data/organisation';
import { inSeedingOrder, metaFor, runCase, userContext, type CreatedUser } from './runner';

export { demoArbitrationExhibits, demoPng } from './data/exhibits';
export type { DemoExhibitFile } from './case-script';

export const DEMO_CREDENTIALS_FILE = 'demo-credentials.txt';
export const DEMO_CASE_COUNT = DEMO_CASES.length;

export interface DemoCredential {
  email: string;
  role: Role;
  password: string;
  /** Base32 TOTP secret, already enrolled, for the roles that must use TOTP. */
  totpSecret?: string;
}

export interface SeedDemoResult {
  /** Where the credentials are (written by the run that seeded; untouched by later runs). */
  credentialsFile: string;
  /** Empty when the database was already seeded. */
  users: DemoCredential[];
  /** The demo intake key in full; '' when the database was already seeded. */
  intakeKey: string;
  /** Cases created by this run: 0 when the database already had users. */
  cases: number;
  /** True when the database already had users and nothing was done. */
  alreadySeeded: boolean;
}

// Any constant: serialises concurrent demo seeders so only one creates the organisation.
const DEMO_SEED_LOCK = 0x4152_4253;

function newPassword(): string {
  return randomBytes(18).toString('base64url'); // 24 characters
}

export async function seedDemo(
  db: DB,
  options: {
    dataDir: string;
    log?: (line: string) => void;
    now?: Date;
    /** Where demo exhibits are stored; by default the filesystem store under the data directory (as the server's default). */
    evidence?: EvidenceDeps;
  },
): Promise<SeedDemoResult> {
  const log = options.log ?? (() => {});
  const now = options.now ?? new Date();
  const credentialsFile = path.join(options.dataDir, DEMO_CREDENTIALS_FILE);
  const skipped: SeedDemoResult = { credentialsFile, users: [], intakeKey: '', cases: 0, alreadySeeded: true };

  if (await db.selectFrom('users').select('id').limit(1).executeTakeFirst()) {
    log('Arbitra demo: the database already has users; demo data not created.');
    return skipped;
  }

  // 1. The admin, created directly (there is nobody to create them), under a lock that makes a
  //    concurrent seeder see a user and stop.
  const adminSpec = STAFF[0]!;
  const adminPassword = newPassword();
  const adminHash = await hashPassword(adminPassword);
  const system = systemContext('demo-seed');
  const adminId = await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${DEMO_SEED_LOCK})`.execute(trx);
    if (await trx.selectFrom('users').select('id').limit(1).executeTakeFirst()) return null;
    const row = await trx
      .insertInto('users')
      .values({ email: adminSpec.email, display_name: adminSpec.displayName, role: adminSpec.role, language: adminSpec.language, password_hash: adminHash })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(trx, system, {
      action: 'user.created',
      entity: 'user',
      entityId: row.id,
      details: { email: adminSpec.email, displayName: adminSpec.displayName, role: adminSpec.role, language: adminSpec.language, teamIds: [], demo: true },
    });
    return row.id;
  });
  if (adminId === null) {
    log('Arbitra demo: the database already has users; demo data not created.');
    return skipped;
  }

  const users = new Map<StaffKey, CreatedUser>();
  const actorOf = (spec: StaffMember, id: string, teamIds: string[]): UserActor => ({
    kind: 'user',
    userId: id,
    role: spec.role,
    email: spec.email,
    displayName: spec.displayName,
    language: spec.language,
    teamIds,
    sessionId: 'demo-seed',
    totpSatisfied: true,
  });
  users.set('admin', { spec: adminSpec, id: adminId, password: adminPassword, actor: actorOf(adminSpec, adminId, []) });
  const adminCtx = () => userContext(users.get('admin')!);

  // 2. Teams, the other users and the intake key, through the admin service (audited as the admin).
  const teamIds = new Map<TeamKey, string>();
  for (const t of TEAMS) teamIds.set(t.key, (await createTeam(db, adminCtx(), { name: t.name })).id);
  for (const spec of STAFF.slice(1)) {
    const password = newPassword();
    const memberOf = spec.teams.map((k) => teamIds.get(k)!);
    const view = await createUser(db, adminCtx(), { email: spec.email, displayName: spec.displayName, role: spec.role, language: spec.language, password, teamIds: memberOf });
    users.set(spec.key, { spec, id: view.id, password, actor: actorOf(spec, view.id, memberOf) });
  }
  // TOTP already enrolled for the roles that must use it, so they can sign in straight away.
  for (const u of users.values()) {
    if (!TOTP_REQUIRED_ROLES.includes(u.spec.role)) continue;
    u.totpSecret = authenticator.generateSecret();
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('users').set({ totp_secret: u.totpSecret!, totp_enabled_at: now, totp_last_step: null }).where('id', '=', u.id).execute();
      await audit(trx, system, { action: 'totp.enabled', entity: 'user', entityId: u.id, details: { demo: true } });
    });
  }
  const { key: intakeKey, intakeKey: intakeKeyRow } = await createIntakeKey(db, adminCtx(), { name: INTAKE_DESK_NAME, defaultTeamId: teamIds.get('trade')! });

  // 3. Credentials: printed once, and kept in a file only the owner can read.
  const credentials: DemoCredential[] = STAFF.map((spec) => {
    const u = users.get(spec.key)!;
    return { email: spec.email, role: spec.role, password: u.password, ...(u.totpSecret ? { totpSecret: u.totpSecret } : {}) };
  });
  const lines = credentialLines(users, intakeKey, credentialsFile);
  for (const line of lines.log) log(line);
  fs.mkdirSync(options.dataDir, { recursive: true });
  fs.writeFileSync(credentialsFile, lines.file.join('\n') + '\n', { mode: 0o600 });
  fs.chmodSync(credentialsFile, 0o600);

  // 4. The cases, oldest first so case numbers follow the order they were received in.
  const intakeCtx = (): ServiceContext => {
    const actor: IntakeActor = { kind: 'intake', intakeKeyId: intakeKeyRow.id, name: intakeKeyRow.name, defaultTeamId: intakeKeyRow.defaultTeamId };
    return { actor, meta: metaFor('en') };
  };
  const ordered = inSeedingOrder(DEMO_CASES);
  const started = Date.now();
  const evidence = options.evidence ?? {
    db,
    store: new FsBlobStore(path.join(options.dataDir, 'evidence', 'blobs')),
    uploadsDir: path.join(options.dataDir, 'evidence', 'uploads'),
    maxUploadBytes: DEFAULT_MAX_UPLOAD_BYTES,
  };
  for (const demoCase of ordered) await runCase(db, demoCase, { now, users, teamIds, intakeKeyId: intakeKeyRow.id, intakeCtx, evidence });
  log(`Arbitra demo: ${ordered.length} cases created in ${((Date.now() - started) / 1000).toFixed(1)} s.`);

  return { credentialsFile, users: credentials, intakeKey, cases: ordered.length, alreadySeeded: false };
}
