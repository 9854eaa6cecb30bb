// Every transaction the server opens starts here: `transact` for a unit of work that may join the
// caller's, and a named helper for each kind that must be a transaction of its own.
import type { DB } from './database';

/**
 * Runs `fn` in a transaction: a new one, or the caller's when `db` already is one, so a service
 * can be composed into a larger unit of work (a pushed mutation applies in the same transaction
 * that records the device's sequence number).
 */
export function transact<T>(db: DB, fn: (trx: DB) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}

/**
 * Runs `fn` in a new transaction that commits on its own, never inside the caller's (Kysely refuses
 * a `db` that already is one): each pushed mutation with its sequence number, or a refusal (sign-in,
 * upload) that must stay recorded though an error follows.
 */
export function transactIndependently<T>(db: DB, fn: (trx: DB) => Promise<T>): Promise<T> {
  return db.transaction().execute(fn);
}

/**
 * Runs `fn` in a new repeatable-read transaction, so every read in it sees one snapshot (an
 * isolation level is set only when a transaction begins, so never the caller's).
 */
export function transactOnSnapshot<T>(db: DB, fn: (trx: DB) => Promise<T>): Promise<T> {
  return db.transaction().setIsolationLevel('repeatable read').execute(fn);
}
