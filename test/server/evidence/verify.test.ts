// `npm run verify` re-hashes every stored evidence file: run as the real command (a child process)
// against this server's database and data directory, before and after the store is tampered with.
import fs from 'node:fs';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/server';
import { blobPath, complaint, makePdf, makePng, sha256, stopServer, uploadOk } from './support';

let server: TestServer;
let token: string;

beforeAll(async () => {
  server = await startTestServer();
  token = await server.login('specialist');
});

afterAll(async () => {
  await stopServer(server);
});

function runVerify(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsx', 'server/src/cli/verify.ts'], {
      cwd: process.cwd(),
      env: { ...process.env, DATABASE_URL: server.t.url, ARBITRA_DATA_DIR: server.dataDir, ARBITRA_BLOB_STORE: 'fs', ARBITRA_LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run verify', () => {
  const image = makePng(30, 20);
  const pdf = makePdf(2);
  let caseNumber: string;
  let otherCaseNumber: string;

  beforeAll(async () => {
    const api = server.client(token);
    const first = await api.cases.create.mutate(complaint('uid-verify'));
    const second = await api.cases.create.mutate(complaint('uid-verify'));
    caseNumber = first.caseNumber;
    otherCaseNumber = second.caseNumber;
    await uploadOk(server, token, first.id, image, { fileName: 'screenshot.png' });
    await uploadOk(server, token, first.id, pdf, { fileName: 'statement.pdf', side: 'platform', source: 'risk_system' });
    // The PDF is cited by a second case too: both citations are named.
    await uploadOk(server, token, second.id, pdf, { fileName: 'statement.pdf' });
  });

  it('passes when every stored file is intact', async () => {
    const r = await runVerify();
    expect(r.stderr).not.toMatch(/could not run/);
    expect(r.stdout).toMatch(/^audit chain OK: \d+ entries/m);
    expect(r.stdout).toContain('evidence files: 2 checked, 0 with problems');
    expect(r.code).toBe(0);
    const verified = await server.t.db.selectFrom('blobs').select(['sha256', 'verified_at']).execute();
    expect(verified.every((b) => b.verified_at !== null)).toBe(true);
  }, 60_000);

  it('names a changed file and a missing one, with the exhibits citing each', async () => {
    const changed = blobPath(server, sha256(image));
    fs.chmodSync(changed, 0o600);
    const bytes = fs.readFileSync(changed);
    bytes[bytes.length - 5] = bytes[bytes.length - 5]! ^ 0xff;
    fs.writeFileSync(changed, bytes);
    fs.rmSync(blobPath(server, sha256(pdf)));

    const r = await runVerify();
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    const changedLine = lines.find((l) => l.includes(sha256(image)))!;
    expect(changedLine).toContain('CHANGED');
    expect(changedLine).toContain(`found ${sha256(bytes)}`);
    expect(changedLine).toContain(`${caseNumber} C-1`);
    const missingLine = lines.find((l) => l.includes(sha256(pdf)))!;
    expect(missingLine).toContain('MISSING');
    expect(missingLine).toContain(`${caseNumber} R-1`);
    expect(missingLine).toContain(`${otherCaseNumber} C-1`);
    expect(r.stdout).toContain('evidence files: 2 checked, 2 with problems');
    // The audit chain itself is still whole: only the files were touched.
    expect(r.stdout).toMatch(/^audit chain OK/m);
  }, 60_000);
});
