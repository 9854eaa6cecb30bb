// What every section of one open case shares: the case id, a way to write (a case mutation through
// the contract, its receipt announced honestly: saved on this workstation, waiting for the server),
// and a refresh of what is shown. CaseWorkspace provides it; a section mounted alone (a test) gets
// one built from the contract client.
import { inject, type InjectionKey } from 'vue';
import { ElMessage, type MessageHandler } from 'element-plus';
import type { CaseMutationInput, CaseMutationName } from '../../../contract/schemas';
import type { WriteReceipt } from '../../../contract/types';
import { useContract } from '../contract';
import { nameParams, tr } from '../i18n';

export interface WorkspaceContext {
  /** Records a case mutation locally (the engine's outbox) and refreshes the case. */
  mutate<N extends CaseMutationName>(name: N, input: CaseMutationInput<N>): Promise<WriteReceipt>;
  refresh(): Promise<void>;
}

export const WORKSPACE_CONTEXT: InjectionKey<WorkspaceContext> = Symbol('workspace');

let receiptNotice: MessageHandler | null = null;

/**
 * Tells the person where the write stands: saved locally, and what only the server can decide. One
 * notice at a time (a new save replaces the last one, never stacks), at the bottom above the status
 * bar, so the case header (status, tier, priority, handler, SLA clocks) stays in view.
 */
export function announceReceipt(receipt: WriteReceipt): void {
  const facts = receipt.pending.map((f) => tr(f.messageKey, f.params)).join(' ');
  receiptNotice?.close();
  const handler = ElMessage({
    type: receipt.pending.length ? 'warning' : 'success',
    message: facts ? tr('workspace.saved_pending', { facts }) : tr('workspace.saved_local'),
    duration: receipt.pending.length ? 6000 : 2500,
    showClose: true,
    grouping: true,
    placement: 'bottom',
    // The status bar's height (32 px) and a gap.
    offset: 44,
    customClass: 'arb-receipt',
    onClose: () => {
      if (receiptNotice === handler) receiptNotice = null;
    },
  });
  receiptNotice = handler;
}

/**
 * Refusals name the case's state by its code ("the case is assessment"): named in words here. The
 * label is fixed in the language on screen when the error arrives.
 */
function nameStates(error: unknown): unknown {
  const data = (error as { data?: { params?: Record<string, unknown>; issues?: { params?: Record<string, unknown> }[] } } | null)?.data;
  const fix = (params: Record<string, unknown> | undefined) => {
    if (params) Object.assign(params, nameParams(params));
  };
  if (data) {
    fix(data.params);
    for (const issue of data.issues ?? []) fix(issue.params);
  }
  return error;
}

export function contractWrites(refresh: () => Promise<void> = async () => {}): WorkspaceContext {
  const contract = useContract();
  return {
    async mutate(name, input) {
      const procedure = contract.cases[name] as unknown as { mutate: (input: unknown) => Promise<WriteReceipt> };
      const receipt = await procedure.mutate(input).catch((error: unknown) => {
        throw nameStates(error);
      });
      announceReceipt(receipt);
      void refresh();
      return receipt;
    },
    refresh,
  };
}

export function useWorkspace(): WorkspaceContext {
  return inject(WORKSPACE_CONTEXT, null) ?? contractWrites();
}

type FormLike = { formError: { value: string }; error: (field: string) => string };

/**
 * The message for the whole form: an error naming no field of it, or one naming a field the form
 * does not show (the case id of a refusal such as "the case is archived", the action of a transition).
 */
export function formMessage(form: FormLike, hidden: readonly string[] = ['caseId']): string {
  return form.formError.value || hidden.map((f) => form.error(f)).find(Boolean) || '';
}
