// Sync status, refused changes and "local data changed" notices, from the engine's one subscription
// (`sync.events`). Session events go to the session store; `changed` events bump `changeTick` and call
// the listeners of `onChanged` (screens refresh what they show). Refused changes are kept here so the
// status bar can show their count and the drawer can list them: nothing disappears silently.
import { defineStore } from 'pinia';
import { computed, getCurrentScope, onScopeDispose, ref, shallowRef } from 'vue';
import type { RejectedChange, SyncStatus, WorkstationEvent, WriteReceipt } from '../../../contract/types';
import { useContract } from '../contract';
import { useSessionStore } from './session';

export type ChangedCaseIds = string[] | 'all';
type ChangeListener = (caseIds: ChangedCaseIds) => void;

const listeners = new Set<ChangeListener>();

export const useSyncStore = defineStore('sync', () => {
  const status = ref<SyncStatus | null>(null);
  const rejections = shallowRef<RejectedChange[]>([]);
  const rejectionsLoaded = ref(false);
  /** The subscription to the engine is up. */
  const connected = ref(false);
  /** Bumped on every `changed` event. */
  const changeTick = ref(0);
  const lastChanged = shallowRef<ChangedCaseIds>([]);
  let subscription: { unsubscribe: () => void } | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let retryDelay = 1000;

  const online = computed(() => !!status.value?.online && !status.value?.workOffline);
  const pending = computed(() => status.value?.pending ?? 0);
  const rejected = computed(() => Math.max(status.value?.rejected ?? 0, rejections.value.length));

  function handle(event: WorkstationEvent) {
    const session = useSessionStore();
    if (event.type === 'session') {
      session.apply(event.status);
      if (event.status.state === 'ready') void refreshRejections();
      else rejections.value = [];
      return;
    }
    if (event.type === 'sync') {
      const before = status.value?.rejected;
      status.value = event.status;
      if (session.ready && (before !== event.status.rejected || !rejectionsLoaded.value)) void refreshRejections();
      return;
    }
    if (event.type === 'changed') {
      changeTick.value++;
      lastChanged.value = event.caseIds;
      for (const listener of listeners) listener(event.caseIds);
    }
  }

  /** Follows the engine's events until `disconnect` (the carrier reconnects by itself after a drop). */
  function connect() {
    if (subscription) return;
    subscription = useContract().sync.events.subscribe(undefined, {
      onStarted: () => {
        connected.value = true;
        retryDelay = 1000;
        // Changes made while no subscription was listening (before the first one, during a drop) sent
        // no event: whatever is on screen is read again once.
        handle({ type: 'changed', caseIds: 'all' });
      },
      onData: (event) => {
        connected.value = true;
        handle(event as WorkstationEvent);
      },
      onError: () => reconnectLater(),
      onConnectionStateChange: (state) => (connected.value = state.state === 'pending'),
      onStopped: () => reconnectLater(),
    });
  }

  /** A carrier that gave up (the IPC one does not retry by itself) is started again, backing off to 30 s. */
  function reconnectLater() {
    connected.value = false;
    subscription?.unsubscribe();
    subscription = null;
    if (retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      connect();
    }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 30_000);
  }

  function disconnect() {
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
    subscription?.unsubscribe();
    subscription = null;
    connected.value = false;
  }

  async function refreshStatus() {
    status.value = await useContract().sync.status.query();
  }

  async function refreshRejections() {
    if (!useSessionStore().ready) return;
    try {
      rejections.value = await useContract().sync.rejections.query();
      rejectionsLoaded.value = true;
    } catch {
      // Locked meanwhile: the session event that follows clears the list.
    }
  }

  async function syncNow() {
    status.value = await useContract().sync.now.mutate();
  }

  async function setWorkOffline(workOffline: boolean) {
    status.value = await useContract().sync.setWorkOffline.mutate({ workOffline });
  }

  async function retry(seq: number, args?: Record<string, unknown>): Promise<WriteReceipt> {
    const receipt = await useContract().sync.retry.mutate(args ? { seq, args } : { seq });
    rejections.value = rejections.value.filter((r) => r.seq !== seq);
    void refreshRejections();
    return receipt;
  }

  async function dismiss(seq: number) {
    await useContract().sync.dismiss.mutate({ seq });
    rejections.value = rejections.value.filter((r) => r.seq !== seq);
    void refreshRejections();
  }

  return {
    status,
    rejections,
    connected,
    changeTick,
    lastChanged,
    online,
    pending,
    rejected,
    handle,
    connect,
    disconnect,
    refreshStatus,
    refreshRejections,
    syncNow,
    setWorkOffline,
    retry,
    dismiss,
  };
});

/** Calls `listener` on every `changed` event while the calling component lives; returns the unsubscribe. */
export function onChanged(listener: ChangeListener): () => void {
  listeners.add(listener);
  const off = () => listeners.delete(listener);
  if (getCurrentScope()) onScopeDispose(off);
  return () => void off();
}

/** Whether a `changed` event concerns a case. */
export function concerns(caseIds: ChangedCaseIds, caseId: string): boolean {
  return caseIds === 'all' || caseIds.includes(caseId);
}
