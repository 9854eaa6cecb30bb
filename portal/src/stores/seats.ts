// The member's seats (escalations.mySeats), and the two things a member does with one before it
// opens: the disclosure of conflicts and the answer. After each write the list is read again, so
// every screen shows what the server recorded.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { useApi } from '../api/client';
import { errorInfo, isSessionEnded, type ErrorInfo } from '../errors';
import { asSeat, type Seat } from '../seats';
import { useSessionStore } from './session';

export const useSeatsStore = defineStore('portal-seats', () => {
  const seats = ref<Seat[]>([]);
  const loaded = ref(false);
  const loading = ref(false);
  const error = ref<ErrorInfo | null>(null);

  function watchSession(e: unknown): never {
    if (isSessionEnded(e)) useSessionStore().ended();
    throw e;
  }

  async function load(): Promise<void> {
    loading.value = true;
    try {
      seats.value = (await useApi().escalations.mySeats.query()).map(asSeat);
      error.value = null;
      loaded.value = true;
    } catch (e) {
      error.value = errorInfo(e);
      if (isSessionEnded(e)) useSessionStore().ended();
    } finally {
      loading.value = false;
    }
  }

  const byMember = (memberId: string) => seats.value.find((s) => s.memberId === memberId) ?? null;

  async function disclose(memberId: string, disclosure: string): Promise<void> {
    await useApi().escalations.disclose.mutate({ memberId, disclosure }).catch(watchSession);
    await load();
  }

  async function answer(memberId: string, answer: 'accept' | 'decline', reason?: string): Promise<void> {
    await useApi()
      .escalations.answerSeat.mutate({ memberId, answer, ...(reason ? { reason } : {}) })
      .catch(watchSession);
    await load();
  }

  function reset() {
    seats.value = [];
    loaded.value = false;
    error.value = null;
  }

  return { seats, loaded, loading, error, load, byMember, disclose, answer, reset };
});
