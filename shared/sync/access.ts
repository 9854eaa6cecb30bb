// Who may make each case change a workstation syncs, and who may see a complainant's contact details.
// The server's access policy (server/src/auth/policy.ts) enforces these tables; the workstation reads
// them only to offer what the person may do (the server still decides, and a refusal comes back with
// its reason).
import type { Role } from '../domain';
import type { MutationName } from './protocol';

/** The roles that handle cases inside the exchange. */
export const CASE_HANDLERS = ['specialist', 'legal', 'supervisor'] as const satisfies readonly Role[];

/** Who may make each sync mutation (MUTATIONS in ./protocol); each stands for the server procedure of the same change. */
export const MUTATION_ACCESS = {
  addNote: CASE_HANDLERS,
  addConsultation: CASE_HANDLERS,
  answerConsultation: CASE_HANDLERS,
  logCommunication: CASE_HANDLERS,
  setAssessment: CASE_HANDLERS,
  proposeRemedy: CASE_HANDLERS,
  withdrawRemedy: CASE_HANDLERS,
  transition: [...CASE_HANDLERS, 'arbitrator', 'mediator'],
  classify: ['specialist', 'supervisor'],
  recordSatisfaction: ['specialist', 'supervisor'],
  updateCaseFields: CASE_HANDLERS,
  // A dossier exported offline: whoever may request one (dossiers.request) may record theirs.
  recordDossierExport: CASE_HANDLERS,
} as const satisfies Record<MutationName, readonly Role[]>;

export function roleMayMutate(name: MutationName, role: Role): boolean {
  return (MUTATION_ACCESS[name] as readonly Role[]).includes(role);
}

/** Who may reveal a complainant's name, e-mail, phone and ID (each reveal is recorded by the server). */
export const COMPLAINANT_PII_ROLES = CASE_HANDLERS;
