// Where evidence bytes live, behind one interface: a filesystem store under the data directory by
// default, an S3-compatible bucket when configured. Blobs are named by their SHA-256 and never
// change once written.
import type { Readable } from 'node:stream';

export interface BlobStore {
  readonly kind: 'fs' | 's3';
  /** Stores the file at `sourcePath` (already hashed to `sha256`) under that name; a no-op if present. */
  put(sha256: string, sourcePath: string, size: number): Promise<void>;
  /** The bytes of a blob, or null when it is missing. */
  read(sha256: string, range?: { start: number; end: number }): Promise<Readable | null>;
  /** Size of a stored blob, or null when it is missing. */
  size(sha256: string): Promise<number | null>;
}

export const SHA256_HEX = /^[0-9a-f]{64}$/;

export function assertSha256(sha256: string): void {
  if (!SHA256_HEX.test(sha256)) throw new Error(`not a SHA-256 hex digest: ${sha256}`);
}
