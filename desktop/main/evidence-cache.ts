// "Make available offline": a case's evidence files, downloaded, checked against their SHA-256 and
// kept encrypted at rest (AES-256-GCM, one random nonce per file, the hash as associated data).
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { KeyProvider } from './key-provider';

const MAGIC = Buffer.from('ARBEV1');

export interface OfflineExhibit {
  id: string;
  sha256: string;
}

export class EvidenceCache {
  private readonly dir: string;
  constructor(
    dataDir: string,
    private readonly keys: KeyProvider,
  ) {
    this.dir = path.join(dataDir, 'evidence');
  }

  private fileOf(sha256: string) {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('not a SHA-256');
    return path.join(this.dir, `${sha256}.enc`);
  }

  has(sha256: string): boolean {
    return fs.existsSync(this.fileOf(sha256));
  }

  /** Encrypts and stores bytes that must hash to `sha256`; refuses anything else. */
  async put(sha256: string, bytes: Buffer): Promise<void> {
    const digest = createHash('sha256').update(bytes).digest('hex');
    if (digest !== sha256) throw new Error(`evidence hash mismatch: expected ${sha256}, got ${digest}`);
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.dataKey(), nonce);
    cipher.setAAD(Buffer.from(sha256));
    const sealed = Buffer.concat([MAGIC, nonce, cipher.update(bytes), cipher.final(), cipher.getAuthTag()]);
    await fsp.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const tmp = `${this.fileOf(sha256)}.tmp-${randomBytes(4).toString('hex')}`;
    const fh = await fsp.open(tmp, 'w', 0o600);
    try {
      await fh.writeFile(sealed);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fsp.rename(tmp, this.fileOf(sha256));
  }

  /** The plain bytes, decrypted and re-verified; tampering or a wrong key throws. */
  async get(sha256: string): Promise<Buffer> {
    const sealed = await fsp.readFile(this.fileOf(sha256));
    if (!sealed.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('not an Arbitra evidence file');
    const nonce = sealed.subarray(MAGIC.length, MAGIC.length + 12);
    const tag = sealed.subarray(sealed.length - 16);
    const body = sealed.subarray(MAGIC.length + 12, sealed.length - 16);
    const decipher = createDecipheriv('aes-256-gcm', this.keys.dataKey(), nonce);
    decipher.setAAD(Buffer.from(sha256));
    decipher.setAuthTag(tag);
    const plain = Buffer.concat([decipher.update(body), decipher.final()]);
    if (createHash('sha256').update(plain).digest('hex') !== sha256) throw new Error('cached evidence does not match its hash');
    return plain;
  }

  /**
   * Downloads every exhibit of a case that is not cached yet, verifying each against its hash
   * before it is kept. `download` fetches the original bytes (GET /api/v1/exhibits/:id/content).
   */
  async makeAvailableOffline(exhibits: OfflineExhibit[], download: (exhibitId: string) => Promise<Buffer>): Promise<{ downloaded: number; alreadyCached: number }> {
    let downloaded = 0;
    let alreadyCached = 0;
    for (const e of exhibits) {
      if (this.has(e.sha256)) {
        alreadyCached++;
        continue;
      }
      await this.put(e.sha256, await download(e.id));
      downloaded++;
    }
    return { downloaded, alreadyCached };
  }

  wipe(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
    this.keys.destroy();
  }
}

/** Fetches an exhibit's original bytes from the server with the device token. */
export function httpDownloader(serverUrl: string, token: string) {
  return async (exhibitId: string): Promise<Buffer> => {
    const res = await fetch(`${serverUrl.replace(/\/$/, '')}/api/v1/exhibits/${exhibitId}/content`, { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok) throw new Error(`download of exhibit ${exhibitId} failed: HTTP ${res.status}`);
    return Buffer.from(await res.arrayBuffer());
  };
}
