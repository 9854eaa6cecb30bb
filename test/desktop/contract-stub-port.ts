// A stand-in WorkstationPort for the tests of the carriers' own checks (key, cookie, origin, IPC
// sender, subscription lifetime), which refuse before any engine work: it records what reached it.
import type { SessionStatus, SyncStatus, WorkstationEvent, WorkstationPort } from '../../desktop/contract/types';

export function stubPort() {
  const calls: string[] = [];
  const listeners = new Set<(event: WorkstationEvent) => void>();
  const session: SessionStatus = {
    state: 'signed_out',
    serverUrl: 'http://127.0.0.1:9',
    user: null,
    device: null,
    totpRequired: false,
    email: null,
    reason: null,
    shell: 'browser',
  };
  const sync: SyncStatus = { online: false, workOffline: false, syncing: false, pending: 0, rejected: 0, lastSyncAt: null, lastError: null };
  const record =
    <T>(name: string, value: T) =>
    async (..._args: unknown[]): Promise<T> => {
      calls.push(name);
      return value;
    };
  const port: WorkstationPort = {
    session: {
      status: record('session.status', session),
      signIn: record('session.signIn', session),
      unlock: record('session.unlock', session),
      signOut: record('session.signOut', session),
      setLanguage: record('session.setLanguage', undefined),
    },
    sync: {
      status: record('sync.status', sync),
      now: record('sync.now', sync),
      setWorkOffline: record('sync.setWorkOffline', sync),
      rejections: record('sync.rejections', []),
      dismiss: record('sync.dismiss', undefined),
      retry: record('sync.retry', { seq: 1, saved: 'local' as const, pending: [] }),
      subscribe(listener) {
        calls.push('sync.subscribe');
        listeners.add(listener);
        return () => void listeners.delete(listener);
      },
    },
    queue: {
      list: record('queue.list', { total: 0, offset: 0, rows: [] }),
      page: record('queue.page', { offset: 0, rows: [] }),
      count: record('queue.count', { total: 0 }),
      views: record('queue.views', []),
      saveView: record('queue.saveView', null as never),
      removeView: record('queue.removeView', undefined),
      directory: record('queue.directory', { users: [], teams: [] }),
    },
    cases: {
      get: record('cases.get', null as never),
      timeline: record('cases.timeline', []),
      work: record('cases.work', null as never),
      markRead: record('cases.markRead', undefined),
      mutate: record('cases.mutate', { seq: 1, saved: 'local' as const, pending: [] }),
      revealPii: record('cases.revealPii', null as never),
    },
    drafts: {
      get: record('drafts.get', null),
      save: record('drafts.save', { savedAt: new Date(0).toISOString() }),
      clear: record('drafts.clear', undefined),
    },
    supervisor: {
      overview: record('supervisor.overview', null as never),
      assignees: record('supervisor.assignees', []),
      assign: record('supervisor.assign', undefined),
    },
  };
  return {
    port,
    calls,
    listeners,
    emit: (event: WorkstationEvent) => listeners.forEach((l) => l(event)),
  };
}
