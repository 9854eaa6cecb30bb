import type { DB } from './database';

/**
 * Runs `fn` in a transaction: a new one, or the caller's when `db` already is one, so a service
 * can be composed into a larger unit of work (a pushed mutation applies in the same transaction
 * that records the device's sequence number).
 */
export function transact<T>(db: DB, fn: (trx: DB) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}
