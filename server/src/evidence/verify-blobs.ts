// Re-hashes every stored evidence file and compares it with the hash it is stored under.
import { createHash } from 'node:crypto';
import type { DB } from '../db/database';
import type { BlobStore } from './blob-store';
import { allBlobs, exhibitsCitingBlob, markBlobVerified } from './evidence.repository';

export interface BlobProblem {
  sha256: string;
  problem: 'missing' | 'hash_mismatch' | 'size_mismatch';
  found?: string;
  cases: string[];
}

export async function verifyBlobs(db: DB, store: BlobStore): Promise<{ checked: number; bytes: number; problems: BlobProblem[] }> {
  const problems: BlobProblem[] = [];
  let checked = 0;
  let bytes = 0;
  for await (const blob of allBlobs(db)) {
    checked++;
    const stream = await store.read(blob.sha256);
    let problem: Omit<BlobProblem, 'cases'> | null = null;
    if (!stream) problem = { sha256: blob.sha256, problem: 'missing' };
    else {
      const hash = createHash('sha256');
      let size = 0;
      for await (const chunk of stream) {
        hash.update(chunk as Buffer);
        size += (chunk as Buffer).length;
      }
      bytes += size;
      const digest = hash.digest('hex');
      if (digest !== blob.sha256) problem = { sha256: blob.sha256, problem: 'hash_mismatch', found: digest };
      else if (size !== Number(blob.size)) problem = { sha256: blob.sha256, problem: 'size_mismatch', found: String(size) };
    }
    if (problem) {
      const cases = await exhibitsCitingBlob(db, blob.sha256);
      problems.push({ ...problem, cases: cases.map((c) => `${c.case_number} ${c.exhibit_number}`) });
    } else await markBlobVerified(db, blob.sha256, new Date());
  }
  return { checked, bytes, problems };
}
