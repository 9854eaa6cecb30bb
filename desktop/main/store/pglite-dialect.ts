// A Kysely dialect for PGlite (Postgres in WASM, in-process). PGlite is one Postgres backend: one
// session, so the driver has one connection, and a mutex hands it to one Kysely caller at a time —
// from acquire to release, which for a transaction is BEGIN … COMMIT/ROLLBACK. Concurrent Kysely
// calls therefore never interleave inside someone else's transaction; they wait their turn.
//
// Consequence (as with Kysely's SQLite driver): inside `db.transaction().execute(async (trx) => …)`
// use `trx`, never `db` — a query on `db` would wait for the connection the transaction holds.
//
// Types: numeric and int8 arrive as exact strings (never floats), timestamptz as Date, jsonb as
// parsed JSON — whatever parsers the PGlite instance itself was created with.
import type { PGliteInterface, QueryOptions, Results } from '@electric-sql/pglite';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';

/** Postgres type ids whose text form is kept as a string: numeric (1700) and int8 (20). */
export const EXACT_PARSERS: NonNullable<QueryOptions['parsers']> = {
  1700: (v: string) => v,
  20: (v: string) => v,
};

export interface PGliteDialectConfig {
  pglite: PGliteInterface;
  /** Close the PGlite instance when the Kysely instance is destroyed. Default false: the owner closes it. */
  closeOnDestroy?: boolean;
}

export class PGliteDialect implements Dialect {
  constructor(private readonly config: PGliteDialectConfig) {}

  createAdapter(): DialectAdapter {
    return new PostgresAdapter();
  }

  createDriver(): Driver {
    return new PGliteDriver(this.config);
  }

  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }

  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }
}

/** A FIFO mutex: `lock()` resolves, in call order, to the function that releases it. */
export class Mutex {
  #tail: Promise<void> = Promise.resolve();

  lock(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const previous = this.#tail;
    this.#tail = previous.then(() => held);
    return previous.then(() => {
      let released = false;
      return () => {
        if (released) return;
        released = true;
        release();
      };
    });
  }
}

const quoteIdent = (name: string) => '"' + name.replace(/"/g, '""') + '"';
const WRITE_COMMANDS = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE']);

class PGliteConnection implements DatabaseConnection {
  constructor(private readonly pglite: PGliteInterface) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    let result: Results<R>;
    try {
      result = await this.pglite.query<R>(compiled.sql, [...compiled.parameters], { rowMode: 'object', parsers: EXACT_PARSERS });
    } catch (error) {
      throw withCallerStack(error);
    }
    const command = result.command?.toUpperCase();
    const count = result.rowCount ?? result.affectedRows;
    return {
      rows: result.rows ?? [],
      ...(command && WRITE_COMMANDS.has(command) && count !== undefined ? { numAffectedRows: BigInt(count) } : {}),
    };
  }

  async *streamQuery<R>(compiled: CompiledQuery, chunkSize = 100): AsyncIterableIterator<QueryResult<R>> {
    if (!Number.isInteger(chunkSize) || chunkSize <= 0) throw new Error('chunkSize must be a positive integer');
    // PGlite has no server-side cursor API here: run the query, then hand the rows out in chunks.
    const { rows } = await this.executeQuery<R>(compiled);
    for (let i = 0; i < rows.length; i += chunkSize) yield { rows: rows.slice(i, i + chunkSize) };
  }
}

/** PGlite's errors carry a stack from inside the WASM glue; add the caller's for debugging. */
function withCallerStack(error: unknown): unknown {
  if (error instanceof Error) {
    const here = new Error().stack?.split('\n').slice(2).join('\n');
    if (here) error.stack = `${error.stack ?? error.message}\n    --- called from ---\n${here}`;
  }
  return error;
}

class PGliteDriver implements Driver {
  readonly #mutex = new Mutex();
  readonly #connection: PGliteConnection;
  #release: (() => void) | null = null;

  constructor(private readonly config: PGliteDialectConfig) {
    this.#connection = new PGliteConnection(config.pglite);
  }

  async init(): Promise<void> {
    await this.config.pglite.waitReady;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const release = await this.#mutex.lock();
    this.#release = release;
    return this.#connection;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    let statement = 'begin';
    if (settings.isolationLevel || settings.accessMode) {
      statement = 'start transaction';
      if (settings.isolationLevel) statement += ` isolation level ${settings.isolationLevel}`;
      if (settings.accessMode) statement += ` ${settings.accessMode}`;
    }
    await connection.executeQuery(CompiledQuery.raw(statement));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${quoteIdent(name)}`));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`rollback to savepoint ${quoteIdent(name)}`));
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release savepoint ${quoteIdent(name)}`));
  }

  async releaseConnection(): Promise<void> {
    const release = this.#release;
    this.#release = null;
    release?.();
  }

  async destroy(): Promise<void> {
    if (this.config.closeOnDestroy && !this.config.pglite.closed) await this.config.pglite.close();
  }
}
