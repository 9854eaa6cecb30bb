// Where audit checkpoints are kept: with the evidence blobs, outside the database. Filesystem:
// <dataDir>/evidence/audit-checkpoints/ beside <dataDir>/evidence/blobs/; S3: <prefix>audit-checkpoints/
// in the blob bucket. A checkpoint is written once under its own name (sequence number and hash)
// and never replaced, so a later checkpoint cannot erase the evidence of an earlier one.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { ServerConfig } from '../config';
import { checkpointName, parseCheckpoint, type AuditCheckpoint } from './checkpoint';

export type StoredCheckpoint = { name: string; checkpoint: AuditCheckpoint } | { name: string; error: string };

export interface CheckpointStore {
  /** Where the checkpoints are, for messages. */
  readonly location: string;
  put(cp: AuditCheckpoint): Promise<void>;
  /** Every stored checkpoint, by name (so by sequence number); unreadable ones with their reason. */
  list(): Promise<StoredCheckpoint[]>;
  /** The checkpoint with the highest sequence number, or null. */
  latest(): Promise<AuditCheckpoint | null>;
  destroy?(): void;
}

const NAME = /^\d{20}-[0-9a-f]{16}\.json$/;

function read(name: string, text: string): StoredCheckpoint {
  try {
    return { name, checkpoint: parseCheckpoint(text) };
  } catch (error) {
    return { name, error: (error as Error).message };
  }
}

export class FsCheckpointStore implements CheckpointStore {
  constructor(readonly root: string) {}

  get location(): string {
    return this.root;
  }

  async put(cp: AuditCheckpoint): Promise<void> {
    await fsp.mkdir(this.root, { recursive: true, mode: 0o700 });
    const target = path.join(this.root, checkpointName(cp));
    if (fs.existsSync(target)) return;
    const tmp = path.join(this.root, `.tmp-${randomBytes(8).toString('hex')}`);
    try {
      const fh = await fsp.open(tmp, 'wx', 0o400);
      try {
        await fh.writeFile(`${JSON.stringify(cp, null, 2)}\n`);
        await fh.sync();
      } finally {
        await fh.close();
      }
      // link() refuses an existing name: the first checkpoint of a head stays.
      try {
        await fsp.link(tmp, target);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const dh = await fsp.open(this.root, 'r');
      try {
        await dh.sync();
      } finally {
        await dh.close();
      }
    } finally {
      await fsp.rm(tmp, { force: true });
    }
  }

  private async names(): Promise<string[]> {
    try {
      return (await fsp.readdir(this.root)).filter((n) => NAME.test(n)).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  async list(): Promise<StoredCheckpoint[]> {
    const out: StoredCheckpoint[] = [];
    for (const name of await this.names()) out.push(read(name, await fsp.readFile(path.join(this.root, name), 'utf8')));
    return out;
  }

  async latest(): Promise<AuditCheckpoint | null> {
    const names = await this.names();
    for (let i = names.length - 1; i >= 0; i--) {
      const r = read(names[i]!, await fsp.readFile(path.join(this.root, names[i]!), 'utf8'));
      if ('checkpoint' in r) return r.checkpoint;
    }
    return null;
  }
}

type S3Options = Extract<ServerConfig['blobStore'], { kind: 's3' }>;

export class S3CheckpointStore implements CheckpointStore {
  private readonly client: S3Client;
  private readonly prefix: string;
  constructor(private readonly options: S3Options & { forcePathStyle?: boolean }) {
    this.client = new S3Client({
      endpoint: options.endpoint,
      region: options.region,
      forcePathStyle: options.forcePathStyle ?? true,
      credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    this.prefix = `${options.prefix ?? ''}audit-checkpoints/`;
  }

  get location(): string {
    return `s3://${this.options.bucket}/${this.prefix}`;
  }

  async put(cp: AuditCheckpoint): Promise<void> {
    const Key = this.prefix + checkpointName(cp);
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.options.bucket, Key }));
      return;
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status !== 404 && (error as { name?: string }).name !== 'NotFound') throw error;
    }
    await this.client.send(new PutObjectCommand({ Bucket: this.options.bucket, Key, Body: `${JSON.stringify(cp, null, 2)}\n`, ContentType: 'application/json' }));
  }

  private async names(): Promise<string[]> {
    const names: string[] = [];
    let token: string | undefined;
    do {
      const res = await this.client.send(new ListObjectsV2Command({ Bucket: this.options.bucket, Prefix: this.prefix, ContinuationToken: token }));
      for (const o of res.Contents ?? []) {
        const name = (o.Key ?? '').slice(this.prefix.length);
        if (NAME.test(name)) names.push(name);
      }
      token = res.IsTruncated ? res.NextContinuationToken : undefined;
    } while (token);
    return names.sort();
  }

  private async text(name: string): Promise<string> {
    const res = await this.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: this.prefix + name }));
    return (await res.Body?.transformToString('utf-8')) ?? '';
  }

  async list(): Promise<StoredCheckpoint[]> {
    const out: StoredCheckpoint[] = [];
    for (const name of await this.names()) out.push(read(name, await this.text(name)));
    return out;
  }

  async latest(): Promise<AuditCheckpoint | null> {
    const names = await this.names();
    for (let i = names.length - 1; i >= 0; i--) {
      const r = read(names[i]!, await this.text(names[i]!));
      if ('checkpoint' in r) return r.checkpoint;
    }
    return null;
  }

  destroy(): void {
    this.client.destroy();
  }
}

/** The checkpoint store beside the configured blob store. */
export function checkpointStoreFromConfig(config: ServerConfig): CheckpointStore {
  const c = config.blobStore;
  if (c.kind === 's3') return new S3CheckpointStore(c);
  return new FsCheckpointStore(path.join(config.dataDir, 'evidence', 'audit-checkpoints'));
}

/** The newest checkpoint beside the configured blob store, or null (for the transparency report). */
export async function latestAuditCheckpoint(config: ServerConfig): Promise<AuditCheckpoint | null> {
  const store = checkpointStoreFromConfig(config);
  try {
    return await store.latest();
  } finally {
    store.destroy?.();
  }
}
