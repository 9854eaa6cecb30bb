// The little of PouchDB 9 the sync bench's baseline uses (bench/lib/pouchdb-*.ts), typed here:
// PouchDB ships no types, and @types/pouchdb-core declares a global Buffer and pulls in the DOM
// library, which would break the Node-only type check of the whole program.
declare module 'pouchdb-core' {
  namespace PouchDB {
    type Doc = { _id: string; _rev?: string } & Record<string, unknown>;
    interface DocResult {
      ok?: boolean;
      id?: string;
      rev?: string;
      error?: string | boolean;
      reason?: string;
      status?: number;
    }
    interface ChangesOptions {
      since?: number | string;
      limit?: number;
      style?: 'all_docs' | 'main_only';
      include_docs?: boolean;
      conflicts?: boolean;
      descending?: boolean;
      return_docs?: boolean;
    }
    interface ChangesResult {
      results: { id: string; seq: number | string; changes: { rev: string }[]; deleted?: boolean; doc?: Doc }[];
      last_seq: number | string;
    }
    interface BulkGetOptions {
      docs: { id: string; rev?: string }[];
      revs?: boolean;
      latest?: boolean;
      attachments?: boolean;
    }
    interface BulkGetResult {
      results: { id: string; docs: ({ ok: Doc } | { error: DocResult })[] }[];
    }
    interface Info {
      db_name: string;
      doc_count: number;
      update_seq: number | string;
    }
    interface ReplicateOptions {
      batch_size?: number;
      batches_limit?: number;
      retry?: boolean;
    }
    interface ReplicationResult {
      ok: boolean;
      status: string;
      docs_read: number;
      docs_written: number;
      doc_write_failures: number;
      errors: unknown[];
    }
    /** A replication in progress: a promise of its result that can be cancelled. */
    interface Replication extends Promise<ReplicationResult> {
      cancel(): void;
    }
    interface Database {
      info(): Promise<Info>;
      get(id: string): Promise<Doc>;
      put(doc: Doc): Promise<DocResult>;
      bulkDocs(docs: Doc[], options?: { new_edits?: boolean }): Promise<DocResult[]>;
      bulkGet(options: BulkGetOptions): Promise<BulkGetResult>;
      revsDiff(diff: Record<string, string[]>): Promise<Record<string, { missing: string[] }>>;
      changes(options: ChangesOptions): Promise<ChangesResult>;
      destroy(): Promise<unknown>;
    }
    interface Static {
      new (name: string, options?: { adapter?: string }): Database;
      plugin(plugin: unknown): Static;
      replicate(source: string | Database, target: string | Database, options?: ReplicateOptions): Replication;
    }
  }
  const PouchDB: PouchDB.Static;
  export default PouchDB;
}

declare module 'pouchdb-adapter-memory' {
  const plugin: unknown;
  export default plugin;
}

declare module 'pouchdb-adapter-http' {
  const plugin: unknown;
  export default plugin;
}

declare module 'pouchdb-replication' {
  const plugin: unknown;
  export default plugin;
}
