// One clock for the whole renderer, ticking once a second while anything on screen reads it (SLA
// countdowns, "last synced 3 minutes ago"). Components share the same ref, so a thousand countdowns
// cost one timer, and the timer stops when the last reader goes away.
import { getCurrentScope, onScopeDispose, readonly, ref, type Ref } from 'vue';

const now = ref(Date.now());
let readers = 0;
let timer: ReturnType<typeof setInterval> | null = null;

function start() {
  if (timer !== null) return;
  now.value = Date.now();
  // Aligned to the second so every countdown turns over together.
  timer = setInterval(() => (now.value = Date.now()), 1000);
}

function stop() {
  if (timer !== null) clearInterval(timer);
  timer = null;
}

/** The current time in ms, updated every second while the calling component (or effect scope) lives. */
export function useNow(): Readonly<Ref<number>> {
  readers++;
  start();
  if (getCurrentScope()) {
    onScopeDispose(() => {
      readers--;
      if (readers <= 0) {
        readers = 0;
        stop();
      }
    });
  }
  return readonly(now);
}

/** Read the shared clock without subscribing (e.g. once, in a store action). */
export function nowMs(): number {
  return timer === null ? Date.now() : now.value;
}
