// Filesystem blobs under <dataDir>/evidence/blobs/ab/cd/<sha256>. Written to a temporary file in
// the same directory, fsync'd, renamed atomically and the directory fsync'd: a reader never sees
// half a file, and an acknowledged blob survives power loss.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { assertSha256, type BlobStore } from './blob-store';

export class FsBlobStore implements BlobStore {
  readonly kind = 'fs' as const;
  constructor(readonly root: string) {
    fs.mkdirSync(root, { recursive: true, mode: 0o700 });
  }

  pathOf(sha256: string): string {
    assertSha256(sha256);
    return path.join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async put(sha256: string, sourcePath: string, size: number): Promise<void> {
    const target = this.pathOf(sha256);
    const existing = await this.size(sha256);
    if (existing === size) return;
    const dir = path.dirname(target);
    await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
    const tmp = path.join(dir, `.tmp-${randomBytes(8).toString('hex')}`);
    try {
      // Same filesystem: a rename is enough; otherwise copy. Either way the bytes are fsync'd first.
      try {
        await fsp.link(sourcePath, tmp);
      } catch {
        await pipeline(fs.createReadStream(sourcePath), fs.createWriteStream(tmp, { mode: 0o600 }));
      }
      const fh = await fsp.open(tmp, 'r+');
      try {
        await fh.sync();
      } finally {
        await fh.close();
      }
      await fsp.chmod(tmp, 0o400);
      await fsp.rename(tmp, target);
      const dh = await fsp.open(dir, 'r');
      try {
        await dh.sync();
      } finally {
        await dh.close();
      }
    } finally {
      await fsp.rm(tmp, { force: true });
    }
  }

  async read(sha256: string, range?: { start: number; end: number }): Promise<Readable | null> {
    const file = this.pathOf(sha256);
    try {
      await fsp.access(file);
    } catch {
      return null;
    }
    return fs.createReadStream(file, range ? { start: range.start, end: range.end } : {});
  }

  async size(sha256: string): Promise<number | null> {
    const file = this.pathOf(sha256);
    try {
      return (await fsp.stat(file)).size;
    } catch {
      return null;
    }
  }
}
