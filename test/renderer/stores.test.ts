// The session and sync stores follow the engine's one subscription (sync.events): the session's state,
// the sync status, `changed` notices that make screens refresh, and refused changes, which stay listed
// until the person retries or discards them. A real workstation engine, synced with a real server
// (node environment: the stores need no DOM, and the engine needs Node’s own fetch).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useSessionStore } from '../../desktop/renderer/src/stores/session';
import { onChanged, useSyncStore } from '../../desktop/renderer/src/stores/sync';
import { freshPinia, openRendererWorkstation, servedWorkstation, until, type ServedWorkstation } from './support';

describe('stores without a server', () => {
  it('start from the engine’s session and sync status, and show a failed sign-in', async () => {
    const ws = await openRendererWorkstation('http://127.0.0.1:9');
    try {
      freshPinia();
      const session = useSessionStore();
      const sync = useSyncStore();
      sync.connect();
      await until(() => session.status !== null && sync.status !== null, 'the first events');
      expect(session.state).toBe('signed_out');
      expect(session.ready).toBe(false);
      expect(session.status?.serverUrl).toBe('http://127.0.0.1:9');
      await expect(session.signIn({ email: 'wang@example.com', password: 'secret', deviceName: 'Laptop' })).rejects.toMatchObject({
        data: { messageKey: 'workstation.server_unreachable' },
      });
      expect(session.state).toBe('signed_out');
      sync.disconnect();
    } finally {
      await ws.close();
    }
  });
});

describe('stores with a synced workstation', () => {
  let ws: ServedWorkstation;
  beforeAll(async () => {
    ws = await servedWorkstation([{ description: '提币一直没有到账，已经等了三天' }]);
  });
  afterAll(async () => ws?.close());

  it('follow the ready session and report local changes as they happen', async () => {
    freshPinia();
    const session = useSessionStore();
    const sync = useSyncStore();
    sync.connect();
    await until(() => session.ready && sync.status !== null, 'a ready session');
    expect(session.user?.role).toBe('specialist');
    const seen: (string[] | 'all')[] = [];
    const off = onChanged((ids) => seen.push(ids));
    const tick = sync.changeTick;
    const caseId = ws.caseIds[0]!;
    await ws.client.cases.addNote.mutate({ caseId, body: '已联系链上团队核实 TXID' });
    await until(() => sync.changeTick > tick, 'a changed event');
    expect(seen.some((ids) => ids === 'all' || ids.includes(caseId))).toBe(true);
    await until(() => sync.status?.pending === 0, 'the note to sync');
    off();
    sync.disconnect();
  });

  it('list a change the server refused, with its reason, until it is discarded', async () => {
    freshPinia();
    const session = useSessionStore();
    const sync = useSyncStore();
    sync.connect();
    await until(() => session.ready, 'a ready session');
    const caseId = ws.caseIds[0]!;
    const local = await ws.client.cases.get.query({ caseId });
    // Offline, the specialist moves the case; meanwhile someone else moves it on the server.
    await sync.setWorkOffline(true);
    expect(sync.status?.workOffline).toBe(true);
    const supervisor = ws.server.client(await ws.server.login('supervisor'));
    const action = local.actions[0]!;
    await supervisor.cases.transition.mutate({ caseId, action: action.action, expectedStatus: local.status, ...(action.reasonRequired ? { reason: '主管已处理' } : {}) } as never);
    await ws.client.cases.transition.mutate({ caseId, action: action.action, expectedStatus: local.status, ...(action.reasonRequired ? { reason: '专员处理' } : {}) } as never);
    await until(() => (sync.status?.pending ?? 0) > 0, 'the change to wait');
    await sync.setWorkOffline(false);
    await until(() => sync.rejections.length > 0, 'the refusal to come back');
    const refused = sync.rejections[0]!;
    expect(refused.name).toBe('transition');
    expect(refused.caseId).toBe(caseId);
    expect(refused.messageKey).toMatch(/\./);
    expect(sync.rejected).toBeGreaterThan(0);
    await sync.dismiss(refused.seq);
    expect(sync.rejections.find((r) => r.seq === refused.seq)).toBeUndefined();
    await until(() => sync.status?.rejected === 0, 'the count to clear');
    sync.disconnect();
  });
});
