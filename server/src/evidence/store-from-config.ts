import path from 'node:path';
import type { ServerConfig } from '../config';
import type { DB } from '../db/database';
import type { BlobStore } from './blob-store';
import { FsBlobStore } from './fs-blob-store';
import { S3BlobStore } from './s3-blob-store';
import type { EvidenceDeps } from './evidence-deps';

export function blobStoreFromConfig(config: ServerConfig): BlobStore {
  const c = config.blobStore;
  if (c.kind === 's3') return new S3BlobStore(c);
  return new FsBlobStore(path.join(config.dataDir, 'evidence', 'blobs'));
}

export function evidenceDeps(db: DB, config: ServerConfig, store: BlobStore = blobStoreFromConfig(config)): EvidenceDeps {
  return { db, store, uploadsDir: path.join(config.dataDir, 'evidence', 'uploads'), maxUploadBytes: config.maxUploadBytes };
}
