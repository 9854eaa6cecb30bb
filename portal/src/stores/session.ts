// Who is signed in to the portal. The session itself is the httpOnly cookie the server sets at
// sign-in (never readable here); this store knows the person from auth.me, signs in and out, and
// notices when the server says the session is over (expired, idle, signed out elsewhere).
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { z } from 'zod';
import { useApi } from '../api/client';
import { isSessionEnded } from '../errors';
import type { signInForm } from '../forms/schemas';

export interface PortalUser {
  id: string;
  email: string;
  displayName: string;
  role: string;
}

/** Roles the portal serves; other accounts sign in on the workstation. */
export const PORTAL_ROLES = ['arbitrator', 'mediator'] as const;

export type SignInOutcome = 'ok' | 'enrolment_required' | 'staff_account';

export const useSessionStore = defineStore('portal-session', () => {
  const user = ref<PortalUser | null>(null);
  const loaded = ref(false);
  /** Why the person was sent back to sign in: a message key, or null. */
  const endedReason = ref<string | null>(null);
  /** After a sign-in with a recovery code: how many are left (the server says); null otherwise. */
  const recoveryCodesLeft = ref<number | null>(null);
  let loading: Promise<void> | null = null;

  const signedIn = computed(() => user.value !== null);

  async function load(): Promise<void> {
    try {
      const me = await useApi().auth.me.query();
      user.value = me.totp === 'ok' && (PORTAL_ROLES as readonly string[]).includes(me.user.role) ? me.user : null;
    } catch {
      // No session (or none usable here): the sign-in screen.
      user.value = null;
    }
    loaded.value = true;
  }

  function ensureLoaded(): Promise<void> {
    if (loaded.value) return Promise.resolve();
    loading ??= load().finally(() => (loading = null));
    return loading;
  }

  /** Signs in; a session the portal cannot use (no authenticator yet, a staff role) is ended at once. */
  async function signIn(input: z.output<typeof signInForm>): Promise<SignInOutcome> {
    const api = useApi();
    const result = await api.auth.login.mutate({ ...input, kind: 'browser' });
    const outcome: SignInOutcome = result.totp !== 'ok' ? 'enrolment_required' : (PORTAL_ROLES as readonly string[]).includes(result.user.role) ? 'ok' : 'staff_account';
    if (outcome !== 'ok') {
      await api.auth.logout.mutate().catch(() => undefined);
      return outcome;
    }
    user.value = result.user;
    endedReason.value = null;
    recoveryCodesLeft.value = typeof result.recoveryCodesLeft === 'number' ? result.recoveryCodesLeft : null;
    loaded.value = true;
    return outcome;
  }

  /** The session members.completeSetup began (its cookie is already set): signed in as the new member. */
  function adopt(member: PortalUser): void {
    user.value = member;
    endedReason.value = null;
    recoveryCodesLeft.value = null;
    loaded.value = true;
  }

  async function signOut(): Promise<void> {
    try {
      await useApi().auth.logout.mutate();
    } catch (error) {
      // Already over on the server: signed out all the same.
      if (!isSessionEnded(error)) throw error;
    }
    user.value = null;
    endedReason.value = null;
    recoveryCodesLeft.value = null;
  }

  /** The server answered "no session" to a request: back to sign-in, saying why. */
  function ended(): void {
    if (!user.value) return;
    user.value = null;
    endedReason.value = 'portal.session.ended';
  }

  return { user, loaded, endedReason, recoveryCodesLeft, signedIn, ensureLoaded, load, signIn, adopt, signOut, ended };
});
