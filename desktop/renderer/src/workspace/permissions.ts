// Whether the signed-in person may make a case change, to show a form only to those who may send it:
// the server's own table (shared/sync/access.ts); a refusal still comes back with its reason.
import { computed } from 'vue';
import type { Role } from '../../../../shared/domain';
import { MUTATION_ACCESS } from '../../../../shared/sync/access';
import type { CaseMutationName } from '../../../contract/schemas';
import { useSessionStore } from '../stores/session';

/** Whether the signed-in person may make `name` (true while the role is unknown: the engine decides). */
export function useMay() {
  const session = useSessionStore();
  const role = computed(() => session.role as Role | null);
  return (name: CaseMutationName) => role.value === null || (MUTATION_ACCESS[name] as readonly Role[]).includes(role.value);
}
