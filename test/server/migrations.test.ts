import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../support/db';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => t.drop());

describe('core schema', () => {
  it('gives every synced row a rising change version on insert and update', async () => {
    const a = await t.db.insertInto('teams').values({ name: 'Trade disputes' }).returning(['id', 'version']).executeTakeFirstOrThrow();
    const b = await t.db.insertInto('teams').values({ name: 'Security' }).returning(['id', 'version']).executeTakeFirstOrThrow();
    expect(BigInt(b.version)).toBeGreaterThan(BigInt(a.version));
    const updated = await t.db.updateTable('teams').set({ name: 'Trade disputes L2' }).where('id', '=', a.id).returning('version').executeTakeFirstOrThrow();
    expect(BigInt(updated.version)).toBeGreaterThan(BigInt(b.version));
  });

  it('refuses UPDATE, DELETE and TRUNCATE on the audit log: to the service by privilege, to the owner by trigger', async () => {
    await sql`insert into audit_log (seq, at, actor_label, action, details, prev_hash, hash) values (1, now(), 'test', 'test', '{}', 'x', 'y')`.execute(t.db);
    await expect(sql`update audit_log set action = 'edited'`.execute(t.db)).rejects.toThrow(/permission denied for table audit_log/);
    await expect(sql`delete from audit_log`.execute(t.db)).rejects.toThrow(/permission denied for table audit_log/);
    await expect(sql`truncate audit_log`.execute(t.db)).rejects.toThrow(/permission denied for table audit_log/);
    await expect(sql`update audit_log set action = 'edited'`.execute(t.ownerDb)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log`.execute(t.ownerDb)).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_log`.execute(t.ownerDb)).rejects.toThrow(/append-only/);
  });

  it('refuses fault shares that do not sum to 100', async () => {
    await expect(
      sql`insert into assessments (case_id, platform_share, user_share, third_party_share, findings, author_id) values (gen_random_uuid(), 50, 30, 10, 'x', gen_random_uuid())`.execute(t.db),
    ).rejects.toThrow(/assessments_shares_sum|foreign key/);
  });
});
