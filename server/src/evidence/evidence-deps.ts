import type { DB } from '../db/database';
import type { BlobStore } from './blob-store';

/** What evidence handling needs besides the database. */
export interface EvidenceDeps {
  db: DB;
  store: BlobStore;
  /** Where partial uploads are written before they are verified (under the data directory). */
  uploadsDir: string;
  maxUploadBytes: number;
}

export const DEFAULT_MAX_UPLOAD_BYTES = 2 * 1024 ** 3;
/** Text evidence larger than this is kept but not parsed into records. */
export const MAX_PARSE_BYTES = 64 * 1024 ** 2;
