// Who connects to the database as what. Migrations run as the schema's owner; the service (the
// server, the CLIs) connects as a login role that is a member of `arbitra_service` and nothing more:
// no superuser, no replication, no BYPASSRLS, owner of nothing. The grants of `arbitra_service`
// (migration 2026-11-22T0900-service-role) leave it SELECT and INSERT on the audit log only, so
// UPDATE, DELETE and TRUNCATE of audit entries are refused by privilege, before any trigger, and
// `set session_replication_role` (superuser only) is refused too.
import pg from 'pg';

/** The group role holding the service's privileges (created by migration or bootstrap, NOLOGIN). */
export const SERVICE_GROUP = 'arbitra_service';
/** The login role an embedded or derived deployment creates for the service. */
export const SERVICE_LOGIN = 'arbitra_app';

const SAFE_PASSWORD = /^[A-Za-z0-9_-]{16,200}$/;
const SAFE_ROLE = /^[a-z_][a-z0-9_]{0,62}$/;

export class DatabaseRoleError extends Error {
  override name = 'DatabaseRoleError';
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `url` with its user name and password replaced. */
export function withCredentials(url: string, user: string, password: string): string {
  const u = new URL(url);
  u.username = encodeURIComponent(user);
  u.password = encodeURIComponent(password);
  return u.toString();
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Creates the NOLOGIN group role if missing; harmless when another process creates it at the same time. */
export async function ensureServiceGroup(client: pg.Client): Promise<void> {
  await client.query(`
    do $$ begin
      if not exists (select from pg_roles where rolname = '${SERVICE_GROUP}') then
        create role ${SERVICE_GROUP} nologin;
      end if;
    exception when duplicate_object or unique_violation then null;
    end $$`);
}

/**
 * As the owner (a role that may create roles): makes `login` a LOGIN role with `password` and no
 * powers beyond membership of `arbitra_service`. Run at every start: it also takes back any power
 * granted to the role by hand.
 */
export async function ensureServiceLogin(ownerUrl: string, login: string, password: string): Promise<void> {
  if (!SAFE_ROLE.test(login)) throw new DatabaseRoleError(`not a usable role name: ${login}`);
  if (!SAFE_PASSWORD.test(password)) throw new DatabaseRoleError('the service role password must be 16+ characters of [A-Za-z0-9_-]');
  await withClient(ownerUrl, async (c) => {
    await ensureServiceGroup(c);
    await c.query(`
      do $$ begin
        if not exists (select from pg_roles where rolname = '${login}') then
          create role ${quoteIdent(login)} login;
        end if;
      exception when duplicate_object or unique_violation then null;
      end $$`);
    await c.query(`alter role ${quoteIdent(login)} with login nosuperuser nocreatedb nocreaterole noreplication nobypassrls inherit connection limit -1 password '${password}'`);
    await c.query(`grant ${SERVICE_GROUP} to ${quoteIdent(login)}`);
  });
}

/**
 * As the owner: makes the role the service connects as (`serviceUrl`'s user) a member of
 * `arbitra_service`, for deployments whose operator created that login role themselves.
 */
export async function grantServiceGroupTo(ownerUrl: string, serviceUrl: string): Promise<void> {
  const user = await withClient(serviceUrl, async (c) => (await c.query<{ u: string }>('select current_user as u')).rows[0]!.u);
  await withClient(ownerUrl, async (c) => {
    await ensureServiceGroup(c);
    const member = await c.query(`select pg_has_role($1, '${SERVICE_GROUP}', 'usage') as ok`, [user]);
    if (member.rows[0]?.ok) return;
    try {
      await c.query(`grant ${SERVICE_GROUP} to ${quoteIdent(user)}`);
    } catch (error) {
      throw new DatabaseRoleError(
        `Could not make the DATABASE_URL role "${user}" a member of ${SERVICE_GROUP} (${(error as Error).message}): run \`grant ${SERVICE_GROUP} to "${user}"\` as a superuser, or give ARBITRA_DATABASE_OWNER_URL a role with CREATEROLE.`,
      );
    }
  });
}

export interface ServiceRoleFacts {
  user: string;
  superuser: boolean;
  replication: boolean;
  bypassRls: boolean;
  createRole: boolean;
  ownsAuditLog: boolean;
  memberOfServiceGroup: boolean;
}

/** What the role behind `url` may do, as far as the audit log's safety is concerned. */
export async function serviceRoleFacts(url: string): Promise<ServiceRoleFacts> {
  const { rows } = await withClient(url, (client) =>
    client.query(`
    select r.rolname as user, r.rolsuper as superuser, r.rolreplication as replication, r.rolbypassrls as bypass_rls,
           r.rolcreaterole as create_role,
           coalesce((select pg_has_role(current_user, c.relowner, 'member') from pg_class c
                      where c.oid = to_regclass('public.audit_log')), false) as owns_audit_log,
           exists (select from pg_roles g where g.rolname = '${SERVICE_GROUP}' and pg_has_role(current_user, g.oid, 'usage')) as member
      from pg_roles r where r.rolname = current_user`),
  );
  const r = rows[0];
  return {
    user: r.user,
    superuser: r.superuser,
    replication: r.replication,
    bypassRls: r.bypass_rls,
    createRole: r.create_role,
    ownsAuditLog: r.owns_audit_log,
    memberOfServiceGroup: r.member,
  };
}

/** Refuses a service connection that could rewrite the audit log: one line naming the role and the fix. */
export function assertRestricted(facts: ServiceRoleFacts): void {
  const powers = [
    facts.superuser && 'SUPERUSER',
    facts.replication && 'REPLICATION',
    facts.bypassRls && 'BYPASSRLS',
    facts.createRole && 'CREATEROLE',
    facts.ownsAuditLog && 'ownership of audit_log',
  ].filter(Boolean);
  if (powers.length === 0) {
    if (!facts.memberOfServiceGroup)
      throw new DatabaseRoleError(
        `DATABASE_URL connects as "${facts.user}", which is not a member of ${SERVICE_GROUP}: run \`grant ${SERVICE_GROUP} to "${facts.user}"\` as the schema owner, or set ARBITRA_DATABASE_OWNER_URL so Arbitra does it.`,
      );
    return;
  }
  throw new DatabaseRoleError(
    `DATABASE_URL connects as "${facts.user}", which has ${powers.join(', ')}: with it the audit log could be rewritten. Set ARBITRA_DATABASE_OWNER_URL to that URL (migrations run as the owner) and DATABASE_URL to a login role without those powers, or leave DATABASE_URL unset to let Arbitra derive one (docs/database.md).`,
  );
}
