// Audit checkpoints: the chain's head (sequence number and hash) at a moment, signed with an
// Ed25519 key kept in the data directory, and stored with the evidence blobs (checkpoint-store.ts),
// outside the database. Someone who can rewrite the database but not the blob store cannot hide a
// truncation: `npm run verify` finds the chain shorter than a checkpoint, or a checkpointed entry
// with another hash. What a checkpoint cannot see is a deletion of entries newer than the last one;
// they are written often (checkpointer.ts) to keep that window small.
import fs from 'node:fs';
import path from 'node:path';
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from './audit-hash';

export const CHECKPOINT_FORMAT = 'arbitra.audit-checkpoint/1';
export const CHECKPOINT_KEY_FILE = 'audit-checkpoint-key.pem';

const checkpointSchema = z.strictObject({
  format: z.literal(CHECKPOINT_FORMAT),
  seq: z.string().regex(/^[1-9][0-9]{0,18}$/),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  at: z.iso.datetime(),
  /** The signer's Ed25519 public key, SPKI DER in base64. */
  publicKey: z.string().min(1),
  /** SHA-256 of the public key's DER, hex, first 16 characters: how people name the key. */
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  /** Ed25519 over the canonical JSON of every other field, base64. */
  signature: z.string().min(1),
});

export type AuditCheckpoint = z.infer<typeof checkpointSchema>;
export type CheckpointBody = Omit<AuditCheckpoint, 'signature'>;

export interface CheckpointKey {
  privateKey: KeyObject;
  publicKey: string;
  keyId: string;
}

function describeKey(privateKey: KeyObject): CheckpointKey {
  const der = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  return { privateKey, publicKey: der.toString('base64'), keyId: keyIdOf(der) };
}

export function keyIdOf(spkiDer: Buffer): string {
  return createHash('sha256').update(spkiDer).digest('hex').slice(0, 16);
}

/** The data directory's signing key, made on first use (mode 0600; a racing process's key wins). */
export function loadOrCreateCheckpointKey(dataDir: string): CheckpointKey {
  const file = path.join(dataDir, CHECKPOINT_KEY_FILE);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (!fs.existsSync(file)) {
    const { privateKey } = generateKeyPairSync('ed25519');
    try {
      fs.writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return describeKey(createPrivateKey(fs.readFileSync(file)));
}

/** The data directory's key id, or null when it has none (verify never makes one). */
export function localCheckpointKeyId(dataDir: string): string | null {
  const file = path.join(dataDir, CHECKPOINT_KEY_FILE);
  try {
    return describeKey(createPrivateKey(fs.readFileSync(file))).keyId;
  } catch {
    return null;
  }
}

export function signCheckpoint(key: CheckpointKey, head: { seq: string; hash: string }, at = new Date()): AuditCheckpoint {
  const body: CheckpointBody = { format: CHECKPOINT_FORMAT, seq: head.seq, hash: head.hash, at: at.toISOString(), publicKey: key.publicKey, keyId: key.keyId };
  const signature = sign(null, Buffer.from(canonicalJson(body)), key.privateKey).toString('base64');
  return { ...body, signature };
}

/** Parses a stored checkpoint; throws with the reason when it is not one. */
export function parseCheckpoint(text: string): AuditCheckpoint {
  const parsed = checkpointSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`not an audit checkpoint: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

/** True when the signature holds for the key the checkpoint names, and the key id is that key's. */
export function checkpointSignatureValid(cp: AuditCheckpoint): boolean {
  try {
    const der = Buffer.from(cp.publicKey, 'base64');
    if (keyIdOf(der) !== cp.keyId) return false;
    const key = createPublicKey({ key: der, format: 'der', type: 'spki' });
    const { signature, ...body } = cp;
    return verify(null, Buffer.from(canonicalJson(body)), key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/** The file name a checkpoint is stored under: sorts by sequence number, never overwrites another head. */
export function checkpointName(cp: { seq: string; hash: string }): string {
  return `${cp.seq.padStart(20, '0')}-${cp.hash.slice(0, 16)}.json`;
}
