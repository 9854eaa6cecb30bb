// "Make available offline" against the real server: a case's evidence files downloaded with the
// device's own token, checked against their SHA-256, and kept encrypted at rest (AES-256-GCM, key
// from the key provider). What is on disk is not the evidence; what comes back is exactly it; a
// tampered file, a wrong key or a download that does not match its hash is refused; the server's
// custody trail records each download once.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import { complaint, makePng, sha256, stopServer, uploadOk } from '../server/evidence/support';
import { EvidenceCache, httpDownloader, type OfflineExhibit } from '../../desktop/main/evidence-cache';
import { FileKeyProvider } from '../../desktop/main/key-provider';
import { tempDir } from './support';

let server: TestServer;
let specialistToken: string;
let deviceToken: string;
let specialist: ReturnType<TestServer['client']>;
const dirs: string[] = [];
const newDir = () => {
  const d = tempDir('arbitra-evidence-cache-');
  dirs.push(d);
  return d;
};

// Two exhibits whose text is easy to look for: a chat transcript and a trade export.
const CHAT = [
  '[2026-03-01 12:00:05] 客服 小李: 您好,请问有什么可以帮您?',
  '[2026-03-01 12:00:41] 张伟: 我的提币 0.5 BTC 三天了还没到账, wallet bc1qplaintextmarker0000000000000000000000',
  '[2026-03-01 12:01:10] 客服 小李：已为您查询,请稍候。',
  '',
].join('\n');
const TRADES = [
  'Date(UTC),Pair,Side,Price,Executed,Amount,Fee',
  '2026-03-01 12:00:00,BTCUSDT,BUY,"65,000.50",0.00100000BTC,65.00050000USDT,0.00000100BTC',
  '2026-03-01 12:05:31,ETHBTC,SELL,0.05123,0.50000000ETH,0.02561500BTC,0.00002561BTC',
  '',
].join('\n');
const PNG = makePng(64, 48);

let caseId: string;
let exhibits: (OfflineExhibit & { bytes: Buffer; label: string })[];

beforeAll(async () => {
  server = await startTestServer();
  specialistToken = await server.login('specialist');
  specialist = server.client(specialistToken);
  // The workstation's own credential, as registering the device gives it.
  deviceToken = (await specialist.sync.registerDevice.mutate({ name: 'Evidence laptop', platform: 'linux' })).token;
  const c = await specialist.cases.create.mutate(complaint('uid-offline-evidence') as never);
  caseId = c.id;
  const chat = await uploadOk(server, specialistToken, caseId, CHAT, { fileName: 'chat-transcript.txt', type: 'chat_transcript' });
  const trades = await uploadOk(server, specialistToken, caseId, TRADES, { fileName: 'binance-trades.csv' });
  exhibits = [
    { id: chat.id, sha256: chat.sha256, bytes: Buffer.from(CHAT), label: 'chat' },
    { id: trades.id, sha256: trades.sha256, bytes: Buffer.from(TRADES), label: 'trades' },
  ];
  expect(exhibits.map((e) => e.sha256)).toEqual([sha256(CHAT), sha256(TRADES)]);
});

afterAll(async () => {
  await stopServer(server);
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const encFiles = (dataDir: string) => {
  const dir = path.join(dataDir, 'evidence');
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
};
const custodyActions = async (exhibitId: string) => (await specialist.evidence.get.query({ exhibitId })).custody.map((c) => c.action);
const downloads = async (exhibitId: string) => (await custodyActions(exhibitId)).filter((a) => a === 'download').length;

/** Every 12-byte window of the plaintext (stepping 4): none may appear in what is stored. */
function plaintextWindows(bytes: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i + 12 <= bytes.length; i += 4) out.push(bytes.subarray(i, i + 12));
  return out;
}

describe('evidence made available offline', () => {
  let dataDir: string;
  let cache: EvidenceCache;

  it('downloads each file with the device token and stores it encrypted, not in clear', async () => {
    dataDir = newDir();
    cache = new EvidenceCache(dataDir, new FileKeyProvider(dataDir));
    const result = await cache.makeAvailableOffline(exhibits, httpDownloader(server.url, deviceToken));
    expect(result).toEqual({ downloaded: 2, alreadyCached: 0 });

    expect(encFiles(dataDir)).toEqual(exhibits.map((e) => `${e.sha256}.enc`).sort());
    expect(fs.statSync(path.join(dataDir, 'evidence')).mode & 0o777).toBe(0o700);
    for (const e of exhibits) {
      const file = path.join(dataDir, 'evidence', `${e.sha256}.enc`);
      expect(fs.statSync(file).mode & 0o777, e.label).toBe(0o600);
      const stored = fs.readFileSync(file);
      // Nothing of the evidence can be read off the disk: no run of 12 bytes of it, no marker.
      for (const w of plaintextWindows(e.bytes)) expect(stored.includes(w), `${e.label}: "${w.toString('utf8')}" found in ${file}`).toBe(false);
      expect(stored.includes(Buffer.from('plaintextmarker'))).toBe(false);
      expect(stored.includes(Buffer.from('Date(UTC),Pair'))).toBe(false);
      // Ciphertext + nonce + tag: a little longer than the file, never the file.
      expect(stored.length).toBeGreaterThan(e.bytes.length);
      expect(stored.equals(e.bytes)).toBe(false);
      expect(cache.has(e.sha256)).toBe(true);
    }
    // Nothing half-written is left beside them.
    expect(encFiles(dataDir).every((n) => n.endsWith('.enc'))).toBe(true);
  });

  it('gives back exactly the original bytes', async () => {
    for (const e of exhibits) {
      const bytes = await cache.get(e.sha256);
      expect(bytes.equals(e.bytes), e.label).toBe(true);
      expect(sha256(bytes)).toBe(e.sha256);
    }
    // And so does a later start with the same key.
    const again = new EvidenceCache(dataDir, new FileKeyProvider(dataDir));
    expect((await again.get(exhibits[0]!.sha256)).equals(exhibits[0]!.bytes)).toBe(true);
  });

  it('downloads nothing again for files already cached', async () => {
    const before = await Promise.all(exhibits.map((e) => downloads(e.id)));
    let asked = 0;
    const counting = httpDownloader(server.url, deviceToken);
    const result = await cache.makeAvailableOffline(exhibits, (id) => {
      asked++;
      return counting(id);
    });
    expect(result).toEqual({ downloaded: 0, alreadyCached: 2 });
    expect(asked).toBe(0);
    expect(await Promise.all(exhibits.map((e) => downloads(e.id)))).toEqual(before);
  });

  it('shows each download in the server\'s custody trail, once, by the specialist', async () => {
    for (const e of exhibits) {
      const view = await specialist.evidence.get.query({ exhibitId: e.id });
      const trail = view.custody.filter((c) => c.action === 'download');
      expect(trail, e.label).toHaveLength(1);
      expect(trail[0]!.details).toMatchObject({ sha256: e.sha256 });
      expect(trail[0]!.actor).toContain('specialist');
      expect(view.custody.map((c) => c.action).slice(0, 2)).toEqual(['intake', 'download']);
    }
  });

  it('refuses a file whose stored bytes were changed, wherever the change is', async () => {
    const e = exhibits[0]!;
    const file = path.join(dataDir, 'evidence', `${e.sha256}.enc`);
    const original = fs.readFileSync(file);
    try {
      // The header, the nonce, the ciphertext (start, middle, end) and the authentication tag.
      for (const at of [0, 7, 20, 30, Math.floor(original.length / 2), original.length - 20, original.length - 1]) {
        const tampered = Buffer.from(original);
        tampered[at] = tampered[at]! ^ 0x01;
        fs.writeFileSync(file, tampered);
        await expect(cache.get(e.sha256), `byte ${at} flipped`).rejects.toThrow();
      }
      // Cut short.
      fs.writeFileSync(file, original.subarray(0, original.length - 1));
      await expect(cache.get(e.sha256)).rejects.toThrow();
      // Another exhibit's file put in its place: bound to its own hash, refused.
      fs.copyFileSync(path.join(dataDir, 'evidence', `${exhibits[1]!.sha256}.enc`), file);
      await expect(cache.get(e.sha256)).rejects.toThrow();
    } finally {
      fs.writeFileSync(file, original);
    }
    expect((await cache.get(e.sha256)).equals(e.bytes)).toBe(true);
  });

  it('cannot be read with another key', async () => {
    const otherKey = new EvidenceCache(dataDir, new FileKeyProvider(newDir()));
    for (const e of exhibits) await expect(otherKey.get(e.sha256), e.label).rejects.toThrow();
  });

  it('forgets everything, key included, when wiped', async () => {
    const dir = newDir();
    const keys = new FileKeyProvider(dir);
    const wiped = new EvidenceCache(dir, keys);
    await wiped.makeAvailableOffline([exhibits[1]!], async () => exhibits[1]!.bytes);
    expect(encFiles(dir)).toHaveLength(1);
    wiped.wipe();
    expect(fs.existsSync(path.join(dir, 'evidence'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'data.key'))).toBe(false);
  });
});

describe('a download that does not match its hash', () => {
  it('is refused and nothing is cached', async () => {
    const dataDir = newDir();
    const cache = new EvidenceCache(dataDir, new FileKeyProvider(dataDir));
    const real = httpDownloader(server.url, deviceToken);
    // One byte changed on the way (a proxy, a bad disk on the server, an attacker).
    const altered = async (id: string) => {
      const bytes = await real(id);
      bytes[bytes.length - 2] = bytes[bytes.length - 2]! ^ 0x20;
      return bytes;
    };
    await expect(cache.makeAvailableOffline([exhibits[0]!], altered)).rejects.toThrow(/hash/);
    expect(encFiles(dataDir)).toEqual([]);
    expect(cache.has(exhibits[0]!.sha256)).toBe(false);
    // Another exhibit's bytes under this exhibit's hash: refused too.
    await expect(cache.makeAvailableOffline([{ id: exhibits[1]!.id, sha256: exhibits[0]!.sha256 }], real)).rejects.toThrow(/hash/);
    expect(encFiles(dataDir)).toEqual([]);
    // A PNG that is not what the case cites.
    await expect(cache.put(exhibits[0]!.sha256, PNG)).rejects.toThrow(/hash/);
    expect(encFiles(dataDir)).toEqual([]);
  });

  it('a download the server refuses stores nothing either', async () => {
    const dataDir = newDir();
    const cache = new EvidenceCache(dataDir, new FileKeyProvider(dataDir));
    await expect(cache.makeAvailableOffline([exhibits[0]!], httpDownloader(server.url, 'not-a-token'))).rejects.toThrow(/401/);
    expect(encFiles(dataDir)).toEqual([]);
  });
});
