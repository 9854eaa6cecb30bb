// `npm run verify-dossier <file.pdf>`: is the file a true copy of a dossier this server issued?
// Finds the dossier by the file's SHA-256 (or the document ID inside it), renders its stored
// snapshot again with the stored evidence files, and compares byte for byte.
// Exit 0: it matches. 1: it does not (or no such dossier), with what differs. 2: it could not be
// checked (no file, unreadable, not a PDF, no database). Messages in the language of
// ARBITRA_LANGUAGE or LANG (zh-CN or English).
import fs from 'node:fs';
import path from 'node:path';
import { languageFromHeader, translate } from '../../../shared/i18n';
import type { Language } from '../../../shared/domain';

const language: Language = languageFromHeader((process.env.ARBITRA_LANGUAGE ?? process.env.LC_ALL ?? process.env.LANG ?? 'en').replace(/_/g, '-').replace(/\..*$/, ''));
const t = (key: string, params: Record<string, string | number> = {}) => translate(language, key, params);
const out = (line: string) => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);

class CannotCheck extends Error {}

/** A dossier's renderer as recorded, or "unrecorded" (dossiers made before renderers were). */
const rendererName = (renderer: string | null) => renderer ?? t('dossier.verify.renderer_unrecorded');

/** The file's bytes, or a translated reason why there are none to check. */
function readPdf(arg: string | undefined): { file: string; bytes: Uint8Array } {
  if (!arg) throw new CannotCheck(t('dossier.verify.usage'));
  const file = path.resolve(arg);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new CannotCheck(t('dossier.verify.file_missing', { file: arg }));
    throw new CannotCheck(t('dossier.verify.file_unreadable', { file: arg, reason: code === 'EISDIR' ? 'EISDIR (a directory)' : (code ?? (error as Error).message) }));
  }
  if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') throw new CannotCheck(t('dossier.verify.not_pdf', { file: arg }));
  return { file: arg, bytes: new Uint8Array(bytes) };
}

async function main(): Promise<number> {
  const args = process.argv.slice(2).filter((a) => a !== '--');
  if (args.length !== 1) throw new CannotCheck(t('dossier.verify.usage'));
  const { file, bytes } = readPdf(args[0]);
  // The database, the store and the renderer are loaded only once there is a PDF to check.
  const [{ loadConfig }, { openDatabase }, { blobStoreFromConfig }, { verifyDossierFile }] = await Promise.all([
    import('../config'),
    import('../db/open'),
    import('../evidence/store-from-config'),
    import('../dossiers/verify-dossier'),
  ]);
  const config = loadConfig();
  const database = await openDatabase(config, { attachToRunning: true });
  try {
    const result = await verifyDossierFile({ db: database.db, store: blobStoreFromConfig(config) }, bytes);
    switch (result.outcome) {
      case 'match':
        out(t('dossier.verify.match', { file, documentId: result.dossier.documentId, caseNumber: result.dossier.caseNumber, recipient: result.dossier.recipient, size: result.size, sha256: result.sha256 }));
        return 0;
      case 'issued':
        out(
          t('dossier.verify.match_issued', {
            file,
            documentId: result.dossier.documentId,
            caseNumber: result.dossier.caseNumber,
            recipient: result.dossier.recipient,
            size: result.size,
            sha256: result.sha256,
            seq: result.audit.seq,
            recordedAt: result.audit.at.toISOString(),
            issuedRenderer: rendererName(result.issuedRenderer),
            currentRenderer: result.currentRenderer,
          }),
        );
        return 0;
      case 'offline':
        out(
          t('dossier.verify.match_offline', {
            file,
            documentId: result.documentId,
            caseNumber: result.caseNumber,
            device: result.device,
            exportedAt: result.exportedAt,
            recordedAt: result.audit.at.toISOString(),
            size: result.size,
            sha256: result.sha256,
            seq: result.audit.seq,
          }),
        );
        return 0;
      case 'unknown':
        out(t('dossier.verify.unknown_dossier', { sha256: result.sha256, documentId: result.documentId ?? '—' }));
        return 1;
      case 'mismatch':
        out(t(result.issued ? 'dossier.verify.issued_not_reproducible' : 'dossier.verify.mismatch', { file, documentId: result.dossier.documentId, caseNumber: result.dossier.caseNumber }));
        for (const f of result.findings)
          out(`  - ${t(f.messageKey, 'issuedRenderer' in f.params ? { ...f.params, issuedRenderer: rendererName(String(f.params.issuedRenderer) || null) } : f.params)}`);
        return 1;
    }
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    err(error instanceof CannotCheck ? error.message : t('dossier.verify.failed', { reason: error instanceof Error ? error.message : String(error) }));
    process.exit(2);
  },
);
