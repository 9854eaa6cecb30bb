// Long text autosaved as a local draft through the contract (drafts.save): debounced while typing,
// at once on blur, when the window is hidden or closed, and when the form goes away; restored when
// the workspace opens; cleared after the mutation that used it succeeded. A crash or a closed
// window loses at most the last half second typed.
import { onBeforeUnmount, onMounted, ref, watch, type Ref } from 'vue';
import { useContract } from '../contract';
import { DRAFT_KEY_PATTERN } from '../../../contract/schemas';
import { errorInfo, type ErrorInfo } from '../errors';

export const DRAFT_DEBOUNCE_MS = 500;

/** Draft keys the workspace uses: `<kind>:<caseId>` or `<kind>:<caseId>:<part>` (DRAFT_KEY_PATTERN). */
export function draftKey(kind: string, caseId: string, part?: string): string {
  const key = part ? `${kind}:${caseId}:${part}` : `${kind}:${caseId}`;
  if (!DRAFT_KEY_PATTERN.test(key)) throw new Error(`Not a draft key: ${key}`);
  return key;
}

export interface Draft {
  /** When the draft was last written locally (ISO), or null. */
  savedAt: Ref<string | null>;
  /** Set when the text shown came from a saved draft. */
  restoredAt: Ref<string | null>;
  error: Ref<ErrorInfo | null>;
  /** Writes a pending change now (blur, leaving). */
  flush: () => Promise<void>;
  /** Forgets the draft (after the mutation succeeded): nothing pending is written after this. */
  clear: () => Promise<void>;
}

/**
 * Keeps `text` saved as the draft `key`. The text is restored from the draft when the component
 * mounts, unless something was typed already.
 */
export function useDraft(key: string, text: Ref<string>): Draft {
  const contract = useContract();
  const savedAt = ref<string | null>(null);
  const restoredAt = ref<string | null>(null);
  const error = ref<ErrorInfo | null>(null);
  let timer: ReturnType<typeof setTimeout> | null = null;
  let dirty = false;
  let lastSaved: string | null = null;

  async function write(): Promise<void> {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (!dirty) return;
    dirty = false;
    const value = text.value;
    if (value === lastSaved) return;
    try {
      if (value === '') {
        await contract.drafts.clear.mutate({ key });
        savedAt.value = null;
      } else {
        const receipt = await contract.drafts.save.mutate({ key, text: value });
        savedAt.value = receipt.savedAt;
      }
      lastSaved = value;
      error.value = null;
    } catch (e) {
      error.value = errorInfo(e);
      dirty = true;
    }
  }

  function schedule() {
    dirty = true;
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(() => void write(), DRAFT_DEBOUNCE_MS);
  }

  // A restored draft equals `lastSaved`, so restoring writes nothing back.
  watch(text, schedule);

  const onHide = () => {
    if (document.visibilityState === 'hidden') void write();
  };
  const onUnload = () => void write();

  onMounted(async () => {
    window.addEventListener('beforeunload', onUnload);
    window.addEventListener('pagehide', onUnload);
    document.addEventListener('visibilitychange', onHide);
    try {
      const draft = await contract.drafts.get.query({ key });
      if (draft && text.value === '' && !dirty) {
        lastSaved = draft.text;
        text.value = draft.text;
        restoredAt.value = draft.savedAt;
        savedAt.value = draft.savedAt;
      }
    } catch (e) {
      error.value = errorInfo(e);
    }
  });

  onBeforeUnmount(() => {
    window.removeEventListener('beforeunload', onUnload);
    window.removeEventListener('pagehide', onUnload);
    document.removeEventListener('visibilitychange', onHide);
    void write();
  });

  return {
    savedAt,
    restoredAt,
    error,
    flush: write,
    clear: async () => {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      dirty = false;
      lastSaved = '';
      savedAt.value = null;
      restoredAt.value = null;
      try {
        await contract.drafts.clear.mutate({ key });
      } catch (e) {
        error.value = errorInfo(e);
      }
    },
  };
}
