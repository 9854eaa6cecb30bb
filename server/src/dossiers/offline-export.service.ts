// A dossier a workstation rendered offline (desktop/main/dossier-export.ts) reaches the audit chain
// and the custody trail through its sync mutation `recordDossierExport`, applied in the push's
// transaction: one 'dossier.exported_offline' entry for the export, and one 'custody.export' per
// exhibit it carries, with the same details as the server's own exports (dossier.service.ts) plus
// where and when it was made. The custody_entries copy (a synced table) is filled from the chain by
// the database, so the entries travel back to every workstation holding the case.
import type { DB } from '../db/database';
import type { ServiceContext, UserActor } from '../context';
import { audit } from '../audit/audit.service';
import { visibleCase } from '../cases/cases.service';
import { exhibitsByIds } from '../evidence/evidence.repository';
import { AppError } from '../../../shared/errors';
import type { Language } from '../../../shared/domain';

type Ctx = ServiceContext & { actor: UserActor };

export interface RecordDossierExportArgs {
  caseId: string;
  documentId: string;
  snapshotSha256: string;
  pdfSha256: string;
  pdfSize: number;
  language: Language;
  exhibitIds: string[];
  exportedAt: string;
}

/**
 * Records an offline export in `trx` (the mutation's transaction). The user must see the case, and
 * every exhibit must be one of its own (a soft-deleted one too: the export happened). The device is
 * the one whose credential pushed the mutation. Refused with an AppError otherwise, writing nothing.
 */
export async function recordDossierExport(trx: DB, ctx: Ctx, args: RecordDossierExportArgs): Promise<void> {
  const deviceId = ctx.actor.deviceId;
  if (!deviceId) throw new AppError('forbidden', 'sync.not_this_device', { field: 'deviceId' });
  const c = await visibleCase(trx, ctx, args.caseId);

  const rows = await exhibitsByIds(trx, args.exhibitIds);
  const exhibits = new Map(rows.filter((e) => e.case_id === c.id).map((e) => [e.id, e]));
  const stranger = args.exhibitIds.findIndex((id) => !exhibits.has(id));
  if (stranger >= 0) throw new AppError('bad_input', 'dossier.offline.exhibit_not_in_case', { field: `exhibitIds.${stranger}`, params: { exhibitId: args.exhibitIds[stranger]! } });

  // Who the dossier was for: the user who made it, as the server's dossiers.request has it.
  const recipient = { kind: 'internal', userId: ctx.actor.userId, name: ctx.actor.displayName, role: ctx.actor.role, language: args.language };
  const offline = { offline: true, deviceId, exportedAt: args.exportedAt };
  await audit(trx, ctx, {
    action: 'dossier.exported_offline',
    caseId: c.id,
    entity: 'cases',
    entityId: c.id,
    details: {
      sha256: args.pdfSha256,
      size: args.pdfSize,
      documentId: args.documentId,
      snapshotSha256: args.snapshotSha256,
      recipient,
      exhibits: args.exhibitIds.length,
      ...offline,
    },
  });
  for (const id of args.exhibitIds) {
    const e = exhibits.get(id)!;
    await audit(trx, ctx, {
      action: 'custody.export',
      caseId: c.id,
      entity: 'exhibits',
      entityId: e.id,
      details: { format: 'dossier', documentId: args.documentId, dossierSha256: args.pdfSha256, exhibitNumber: e.exhibit_number, sha256: e.blob_sha256, recipient, ...offline },
    });
  }
}
