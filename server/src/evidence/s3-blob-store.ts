// S3-compatible blobs (AWS S3, MinIO, Ceph, …) under `<prefix>blobs/<sha256>`.
import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client, NotFound, NoSuchKey } from '@aws-sdk/client-s3';
import { assertSha256, type BlobStore } from './blob-store';

export interface S3BlobStoreOptions {
  endpoint?: string;
  region: string;
  bucket: string;
  prefix?: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle?: boolean;
}

function missing(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return error instanceof NotFound || error instanceof NoSuchKey || e?.name === 'NotFound' || e?.name === 'NoSuchKey' || e?.$metadata?.httpStatusCode === 404;
}

export class S3BlobStore implements BlobStore {
  readonly kind = 's3' as const;
  private readonly client: S3Client;
  constructor(private readonly options: S3BlobStoreOptions) {
    this.client = new S3Client({
      endpoint: options.endpoint,
      region: options.region,
      forcePathStyle: options.forcePathStyle ?? true,
      credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
      // Only send checksums the service asks for: not every S3-compatible server knows the new ones.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  private key(sha256: string): string {
    assertSha256(sha256);
    return `${this.options.prefix ?? ''}blobs/${sha256}`;
  }

  async put(sha256: string, sourcePath: string, size: number): Promise<void> {
    if ((await this.size(sha256)) === size) return;
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.options.bucket,
        Key: this.key(sha256),
        Body: fs.createReadStream(sourcePath),
        ContentLength: size,
        ContentType: 'application/octet-stream',
        Metadata: { sha256 },
      }),
    );
  }

  async read(sha256: string, range?: { start: number; end: number }): Promise<Readable | null> {
    try {
      const res = await this.client.send(
        new GetObjectCommand({ Bucket: this.options.bucket, Key: this.key(sha256), Range: range ? `bytes=${range.start}-${range.end}` : undefined }),
      );
      return res.Body as Readable;
    } catch (error) {
      if (missing(error)) return null;
      throw error;
    }
  }

  async size(sha256: string): Promise<number | null> {
    try {
      const res = await this.client.send(new HeadObjectCommand({ Bucket: this.options.bucket, Key: this.key(sha256) }));
      return res.ContentLength ?? null;
    } catch (error) {
      if (missing(error)) return null;
      throw error;
    }
  }

  destroy(): void {
    this.client.destroy();
  }
}
