// Inputs of the dossier procedures and of the PDF download route.
import { z } from 'zod';
import { LANGUAGES } from '../../../shared/domain';
import { uuid } from '../../../shared/schemas';

export const requestDossierInput = z.strictObject({
  caseId: uuid,
  /** The dossier's language; the requester's own when left out. */
  language: z.enum(LANGUAGES).optional(),
});
export const requestExternalDossierInput = z.strictObject({ caseId: uuid });
export const dossierIdInput = z.strictObject({ dossierId: uuid });
export const listDossiersInput = z.strictObject({ caseId: uuid });
export const dossierIdParams = z.strictObject({ dossierId: uuid });
