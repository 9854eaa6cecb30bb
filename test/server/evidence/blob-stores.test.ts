// Both blob stores against real engines: the filesystem, and an S3-compatible server (s3rver) on
// loopback driven through the AWS SDK.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import S3rver from 's3rver';
import { FsBlobStore } from '../../../server/src/evidence/fs-blob-store';
import { S3BlobStore } from '../../../server/src/evidence/s3-blob-store';
import type { BlobStore } from '../../../server/src/evidence/blob-store';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'arbitra-blobs-'));
let s3server: S3rver;
let s3: S3BlobStore;

async function readAll(store: BlobStore, sha: string, range?: { start: number; end: number }) {
  const stream = await store.read(sha, range);
  if (!stream) return null;
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

function sourceFile(bytes: Buffer) {
  const file = path.join(work, `src-${randomBytes(4).toString('hex')}`);
  fs.writeFileSync(file, bytes);
  return { file, sha: createHash('sha256').update(bytes).digest('hex') };
}

beforeAll(async () => {
  s3server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: path.join(work, 's3'), configureBuckets: [{ name: 'evidence', configs: [] }] });
  const address = (await s3server.run()) as AddressInfo;
  s3 = new S3BlobStore({
    endpoint: `http://127.0.0.1:${address.port}`,
    region: 'us-east-1',
    bucket: 'evidence',
    prefix: 'arbitra/',
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    forcePathStyle: true,
  });
});
afterAll(async () => {
  s3.destroy();
  await s3server.close();
  fs.rmSync(work, { recursive: true, force: true });
});

describe.each([
  ['filesystem', () => new FsBlobStore(path.join(work, 'fs'))],
  ['S3-compatible', () => s3],
])('%s blob store', (_name, make) => {
  it('stores bytes under their hash and reads them back whole and by range', async () => {
    const store = make();
    const bytes = Buffer.concat([Buffer.from('交易记录 trade export\n'), randomBytes(300_000)]);
    const { file, sha } = sourceFile(bytes);
    expect(await store.size(sha)).toBeNull();
    expect(await store.read(sha)).toBeNull();
    await store.put(sha, file, bytes.length);
    expect(await store.size(sha)).toBe(bytes.length);
    expect((await readAll(store, sha))!.equals(bytes)).toBe(true);
    expect((await readAll(store, sha, { start: 5, end: 104 }))!.equals(bytes.subarray(5, 105))).toBe(true);
  });

  it('keeps one copy when the same bytes are put twice', async () => {
    const store = make();
    const bytes = randomBytes(1000);
    const { file, sha } = sourceFile(bytes);
    await store.put(sha, file, bytes.length);
    await store.put(sha, file, bytes.length);
    expect((await readAll(store, sha))!.equals(bytes)).toBe(true);
  });

  it('refuses a name that is not a SHA-256', async () => {
    const store = make();
    await expect(store.size('../../etc/passwd')).rejects.toThrow(/SHA-256/);
  });
});

describe('filesystem store durability', () => {
  it('never leaves a temporary file behind and makes stored files read-only', async () => {
    const root = path.join(work, 'fs2');
    const store = new FsBlobStore(root);
    const bytes = randomBytes(4096);
    const { file, sha } = sourceFile(bytes);
    await store.put(sha, file, bytes.length);
    const dir = path.dirname(store.pathOf(sha));
    expect(fs.readdirSync(dir)).toEqual([sha]);
    expect(fs.statSync(store.pathOf(sha)).mode & 0o777).toBe(0o400);
  });
});
