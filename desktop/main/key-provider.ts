// Where the key that encrypts the workstation's secrets and cached evidence comes from. In the
// Electron app it is sealed with safeStorage (the OS keychain); in browser mode and tests it is a
// key file in the data directory (mode 0600).
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

export interface KeyProvider {
  /** The 32-byte data key, created on first use. */
  dataKey(): Buffer;
  /** Forgets the key (a revoked or wiped device): what it encrypted can no longer be read. */
  destroy(): void;
}

export class FileKeyProvider implements KeyProvider {
  private readonly file: string;
  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'data.key');
  }
  dataKey(): Buffer {
    const stored = readIfExists(this.file);
    if (stored) return checked(Buffer.from(stored.toString('utf8').trim(), 'base64'), this.file);
    return createKey(this.file, (key) => Buffer.from(key.toString('base64')), (bytes) => Buffer.from(bytes.toString('utf8').trim(), 'base64'));
  }
  destroy(): void {
    fs.rmSync(this.file, { force: true });
  }
}

/** The part of Electron's safeStorage the workstation uses (injected, so this file needs no Electron). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(sealed: Buffer): string;
}

export class SafeStorageKeyProvider implements KeyProvider {
  private readonly file: string;
  constructor(
    dataDir: string,
    private readonly safeStorage: SafeStorageLike,
  ) {
    this.file = path.join(dataDir, 'data.key.sealed');
  }
  dataKey(): Buffer {
    if (!this.safeStorage.isEncryptionAvailable()) throw new Error('safeStorage is not available on this system');
    const unseal = (sealed: Buffer) => Buffer.from(this.safeStorage.decryptString(sealed), 'base64');
    const stored = readIfExists(this.file);
    if (stored) return checked(unseal(stored), this.file);
    return createKey(this.file, (key) => this.safeStorage.encryptString(key.toString('base64')), unseal);
  }
  destroy(): void {
    fs.rmSync(this.file, { force: true });
  }
}

/** The key file's bytes, or null when there is none yet. */
function readIfExists(file: string): Buffer | null {
  try {
    const bytes = fs.readFileSync(file);
    if (bytes.length > 0) return bytes;
    // Empty: a first use cut short between creating the file and writing it. That key was never
    // handed out (it is only after the fsync), so nothing was sealed with it: start again.
    fs.rmSync(file, { force: true });
    return null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * A key file that is there but cannot be read as a key is an error, never a reason to make a new
 * key: that would silently and for good lose what the old one sealed (the device token, cached
 * evidence), where the problem may be passing (a locked keychain) or repairable.
 */
function checked(key: Buffer, file: string): Buffer {
  if (key.length !== 32) throw new Error(`The data key in ${file} is damaged (expected 32 bytes, found ${key.length})`);
  return key;
}

/** First use: a new random key, written only if no other writer got there first (then theirs is used). */
function createKey(file: string, seal: (key: Buffer) => Buffer, unseal: (bytes: Buffer) => Buffer): Buffer {
  const key = randomBytes(32);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  let fd: number;
  try {
    fd = fs.openSync(file, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return checked(unseal(fs.readFileSync(file)), file);
  }
  try {
    fs.writeSync(fd, seal(key));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return key;
}
