// The Kysely dialect for PGlite: exact numbers, transactions that roll back, and one connection
// handed to one caller at a time so concurrent calls never run inside someone else's transaction.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { Mutex } from '../../desktop/main/store/pglite-dialect';
import { openTestStore, type TestStore } from './support';

interface Scratch {
  t_dialect: { id: number; amount: string | null; big: string | null; at: Date | null; doc: unknown };
}

let store: TestStore;
let db: Kysely<Scratch>;

beforeAll(async () => {
  store = await openTestStore();
  db = store.db as unknown as Kysely<Scratch>;
  await sql`create table t_dialect (id integer primary key, amount numeric(48,18), big bigint, at timestamptz, doc jsonb)`.execute(db);
});
afterAll(async () => store?.dispose());
beforeEach(async () => {
  await sql`truncate t_dialect`.execute(db);
});

describe('PGlite dialect', () => {
  it('keeps numeric with 18 fraction digits and int8 as exact strings, timestamptz as Date, jsonb parsed', async () => {
    const amount = '123456789012345678901234567890.123456789012345678';
    await db.insertInto('t_dialect').values({ id: 1, amount, big: '9007199254740993', at: new Date('2026-11-21T10:00:00.123Z'), doc: JSON.stringify({ note: '被盗' }) }).execute();
    const row = await db.selectFrom('t_dialect').selectAll().executeTakeFirstOrThrow();
    expect(row.amount).toBe(amount);
    expect(row.big).toBe('9007199254740993');
    expect(row.at).toBeInstanceOf(Date);
    expect(row.at!.toISOString()).toBe('2026-11-21T10:00:00.123Z');
    expect(row.doc).toEqual({ note: '被盗' });
    const sum = await sql<{ s: string }>`select sum(amount) + 0.000000000000000001 as s from t_dialect`.execute(db);
    expect(sum.rows[0]!.s).toBe('123456789012345678901234567890.123456789012345679');
  });

  it('reports the rows an update or delete touched', async () => {
    await db.insertInto('t_dialect').values([{ id: 1 }, { id: 2 }, { id: 3 }] as never).execute();
    const updated = await db.updateTable('t_dialect').set({ amount: '1' }).where('id', '<', 3).executeTakeFirst();
    expect(updated.numUpdatedRows).toBe(2n);
    const deleted = await db.deleteFrom('t_dialect').where('id', '=', 3).executeTakeFirst();
    expect(deleted.numDeletedRows).toBe(1n);
    const none = await db.deleteFrom('t_dialect').where('id', '=', 99).executeTakeFirst();
    expect(none.numDeletedRows).toBe(0n);
  });

  it('rolls a transaction back when its callback throws, and stays usable', async () => {
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('t_dialect').values({ id: 1 } as never).execute();
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await db.selectFrom('t_dialect').selectAll().execute()).toEqual([]);
    await db.insertInto('t_dialect').values({ id: 2 } as never).execute();
    expect((await db.selectFrom('t_dialect').select('id').execute()).map((r) => r.id)).toEqual([2]);
  });

  it('rolls back when a statement fails inside the transaction', async () => {
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('t_dialect').values({ id: 1 } as never).execute();
        await trx.insertInto('t_dialect').values({ id: 1 } as never).execute(); // duplicate key
      }),
    ).rejects.toThrow(/duplicate key/);
    expect(await db.selectFrom('t_dialect').selectAll().execute()).toEqual([]);
  });

  it('never runs a concurrent query inside another caller’s transaction', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const order: string[] = [];
    const tx = db
      .transaction()
      .execute(async (trx) => {
        await trx.insertInto('t_dialect').values({ id: 1 } as never).execute();
        order.push('tx inserted');
        await gate;
        order.push('tx failing');
        throw new Error('rolled back');
      })
      .catch((e: Error) => e.message);
    // Issued while the transaction is open: must wait for it, not join it.
    await new Promise((r) => setTimeout(r, 20));
    const outside = db
      .insertInto('t_dialect')
      .values({ id: 2 } as never)
      .execute()
      .then(() => order.push('outside inserted'));
    const seen = db
      .selectFrom('t_dialect')
      .select('id')
      .execute()
      .then((rows) => rows.map((r) => r.id));
    await new Promise((r) => setTimeout(r, 50));
    expect(order).toEqual(['tx inserted']);
    release();
    expect(await tx).toBe('rolled back');
    await outside;
    expect(order).toEqual(['tx inserted', 'tx failing', 'outside inserted']);
    // The outside insert survived the rollback; the select never saw the uncommitted row 1.
    expect(await seen).toEqual([2]);
    expect((await db.selectFrom('t_dialect').select('id').execute()).map((r) => r.id)).toEqual([2]);
  });

  it('serialises many concurrent transactions without losing an update', async () => {
    await db.insertInto('t_dialect').values({ id: 1, big: '0' } as never).execute();
    await Promise.all(
      Array.from({ length: 25 }, () =>
        db.transaction().execute(async (trx) => {
          const { big } = await trx.selectFrom('t_dialect').select('big').where('id', '=', 1).executeTakeFirstOrThrow();
          await new Promise((r) => setTimeout(r, 1));
          await trx.updateTable('t_dialect').set({ big: String(Number(big) + 1) }).where('id', '=', 1).execute();
        }),
      ),
    );
    expect((await db.selectFrom('t_dialect').select('big').executeTakeFirstOrThrow()).big).toBe('25');
  });

  it('supports savepoints in a controlled transaction', async () => {
    const trx = await db.startTransaction().execute();
    await trx.insertInto('t_dialect').values({ id: 1 } as never).execute();
    const sp = await trx.savepoint('before_two').execute();
    await sp.insertInto('t_dialect').values({ id: 2 } as never).execute();
    const back = await sp.rollbackToSavepoint('before_two').execute();
    await back.commit().execute();
    expect((await db.selectFrom('t_dialect').select('id').execute()).map((r) => r.id)).toEqual([1]);
  });

  it('streams rows in chunks', async () => {
    await db.insertInto('t_dialect').values(Array.from({ length: 7 }, (_, i) => ({ id: i + 1 })) as never).execute();
    const seen: number[] = [];
    for await (const row of db.selectFrom('t_dialect').select('id').orderBy('id').stream(3)) seen.push(row.id);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});

describe('Mutex', () => {
  it('hands the lock out in call order, one holder at a time', async () => {
    const m = new Mutex();
    const log: string[] = [];
    const run = async (name: string, ms: number) => {
      const release = await m.lock();
      log.push(`${name} in`);
      await new Promise((r) => setTimeout(r, ms));
      log.push(`${name} out`);
      release();
    };
    await Promise.all([run('a', 15), run('b', 1), run('c', 5)]);
    expect(log).toEqual(['a in', 'a out', 'b in', 'b out', 'c in', 'c out']);
  });
});
