// Who is signed in on this workstation, and whether it is ready, locked, signed out or revoked. The
// engine owns the session; this store mirrors it from `session.status` and the `session` events of
// `sync.events` (see stores/sync.ts), and carries the person's sign-in, unlock and sign-out.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { z } from 'zod';
import type { SessionStatus } from '../../../contract/types';
import type { signInInput } from '../../../contract/schemas';
import { useContract } from '../contract';
import { currentLanguage, onLanguageChange } from '../i18n';

export const useSessionStore = defineStore('session', () => {
  const status = ref<SessionStatus | null>(null);
  /** The last failure to reach the engine itself (not the server): a message key. */
  const engineError = ref<string | null>(null);
  let loading: Promise<SessionStatus | null> | null = null;

  const state = computed(() => status.value?.state ?? null);
  const ready = computed(() => state.value === 'ready');
  const user = computed(() => status.value?.user ?? null);
  const role = computed(() => user.value?.role ?? null);
  const isSupervisor = computed(() => role.value === 'supervisor' || role.value === 'admin');

  function apply(next: SessionStatus) {
    const wasReady = status.value?.state === 'ready';
    status.value = next;
    engineError.value = null;
    // The engine translates its errors into the language on screen.
    if (next.state === 'ready' && !wasReady) void tellLanguage();
  }

  async function tellLanguage() {
    if (status.value?.state !== 'ready') return;
    try {
      await useContract().session.setLanguage.mutate({ language: currentLanguage() });
    } catch {
      // Not worth an error on screen: messages are translated here from their keys anyway.
    }
  }

  async function load(): Promise<SessionStatus | null> {
    try {
      apply(await useContract().session.status.query());
    } catch {
      engineError.value = 'ui.error.engine_unreachable';
    }
    return status.value;
  }

  /** Loads once; later calls wait for the same answer. */
  function ensureLoaded(): Promise<SessionStatus | null> {
    if (status.value) return Promise.resolve(status.value);
    loading ??= load().finally(() => (loading = null));
    return loading;
  }

  async function signIn(input: z.input<typeof signInInput>): Promise<SessionStatus> {
    const next = await useContract().session.signIn.mutate(input);
    apply(next);
    return next;
  }

  async function unlock(password: string): Promise<SessionStatus> {
    const next = await useContract().session.unlock.mutate({ password });
    apply(next);
    return next;
  }

  async function signOut(): Promise<SessionStatus> {
    const next = await useContract().session.signOut.mutate();
    apply(next);
    return next;
  }

  onLanguageChange(() => void tellLanguage());

  return { status, engineError, state, ready, user, role, isSupervisor, apply, load, ensureLoaded, signIn, unlock, signOut };
});
