// The transparency report prints the audit chain's newest signed checkpoint (kept with the blobs),
// so a reader holding the report can later check that the log was not cut short before it.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { startTestServer, type TestServer } from '../support/server';
import { exportTransparencyReport } from '../../server/src/reports/transparency.service';
import { latestAuditCheckpoint, checkpointStoreFromConfig } from '../../server/src/audit/checkpoint-store';
import { loadOrCreateCheckpointKey, checkpointSignatureValid } from '../../server/src/audit/checkpoint';
import { AuditCheckpointer } from '../../server/src/audit/checkpointer';
import type { UserActor } from '../../server/src/context';

let server: TestServer;

function legal(language: 'en' | 'zh-CN') {
  const u = server.users.legal;
  const actor: UserActor = { kind: 'user', userId: u.id, role: 'legal', email: u.email, displayName: 'Test legal', language, teamIds: [], sessionId: 'cp-test', totpSatisfied: true };
  return { actor, meta: { requestId: `cp-${randomUUID()}`, ip: '127.0.0.1', userAgent: null, language } };
}

async function pdfText(base64: string): Promise<string> {
  const doc = await getDocument({ data: new Uint8Array(Buffer.from(base64, 'base64')), useSystemFonts: false, disableFontFace: true }).promise;
  const items: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    for (const item of content.items) if ('str' in item) items.push(item.str);
  }
  await doc.destroy();
  return items.join('').replace(/\s+/g, '');
}

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.close());

describe('the transparency report and the audit checkpoint', () => {
  const period = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-02-01T00:00:00Z') };

  it('says when no checkpoint has been written yet', async () => {
    const cp = await latestAuditCheckpoint(server.config);
    expect(cp).toBeNull();
    const res = await exportTransparencyReport(server.t.db, legal('en'), { ...period, language: 'en' }, { auditCheckpoint: cp });
    expect(res.auditCheckpoint).toBeNull();
    const text = await pdfText(res.pdfBase64);
    expect(text).toContain('Auditlogintegrity');
    expect(text).toContain('Noauditcheckpointhadbeenwrittenwhenthisreportwasmade.');
  });

  it('prints the newest checkpoint: entries covered, head hash, key, public key and signature, in both languages', async () => {
    const checkpointer = new AuditCheckpointer({ db: server.t.db, store: checkpointStoreFromConfig(server.config), key: loadOrCreateCheckpointKey(server.config.dataDir) });
    await exportTransparencyReport(server.t.db, legal('en'), { ...period, language: 'en' }); // an audited export: the chain is not empty
    const written = await checkpointer.checkpointNow();
    const cp = await latestAuditCheckpoint(server.config);
    expect(cp).toEqual(written);
    expect(checkpointSignatureValid(cp!)).toBe(true);
    const en = await exportTransparencyReport(server.t.db, legal('en'), { ...period, language: 'en' }, { auditCheckpoint: cp });
    expect(en.auditCheckpoint).toEqual(cp);
    const text = await pdfText(en.pdfBase64);
    for (const s of [`Headhash(SHA-256):${cp!.hash}`, `Signingkeyid${cp!.keyId}`, cp!.publicKey, cp!.signature]) expect(text).toContain(s);
    const zh = await exportTransparencyReport(server.t.db, legal('zh-CN'), { ...period, language: 'zh-CN' }, { auditCheckpoint: cp });
    const zhText = await pdfText(zh.pdfBase64);
    expect(zhText).toContain('审计日志完整性');
    expect(zhText).toContain(`链头哈希（SHA-256）：${cp!.hash}`);
    // The export's own audit entry names the checkpoint it printed.
    const entry = await server.t.db.selectFrom('audit_log').select('details').where('action', '=', 'report.transparency_exported').orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    expect((entry.details as { auditCheckpoint?: unknown }).auditCheckpoint).toEqual({ seq: cp!.seq, hash: cp!.hash, keyId: cp!.keyId });
  });
});
