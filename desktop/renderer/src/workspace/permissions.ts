// Which roles may make each case mutation, to show a form only to those who may send it. The
// server decides (server/src/auth/policy.ts MUTATION_ACCESS, which the renderer may not import);
// this mirrors it for the screen only, and a refusal still comes back with its reason.
// TODO(lead): move MUTATION_ACCESS to shared/ so both read one table.
import { computed } from 'vue';
import type { Role } from '../../../../shared/domain';
import type { CaseMutationName } from '../../../contract/schemas';
import { useSessionStore } from '../stores/session';

const HANDLERS: readonly Role[] = ['specialist', 'legal', 'supervisor'];

export const MUTATION_ROLES: Record<CaseMutationName, readonly Role[]> = {
  addNote: HANDLERS,
  addConsultation: HANDLERS,
  answerConsultation: HANDLERS,
  logCommunication: HANDLERS,
  setAssessment: HANDLERS,
  proposeRemedy: HANDLERS,
  withdrawRemedy: HANDLERS,
  transition: HANDLERS,
  classify: ['specialist', 'supervisor'],
  recordSatisfaction: ['specialist', 'supervisor'],
  updateCaseFields: HANDLERS,
};

/** Whether the signed-in person may make `name` (true while the role is unknown: the engine decides). */
export function useMay() {
  const session = useSessionStore();
  const role = computed(() => session.role as Role | null);
  return (name: CaseMutationName) => role.value === null || MUTATION_ROLES[name].includes(role.value);
}
