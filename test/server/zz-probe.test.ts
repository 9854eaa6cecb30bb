import { it, expect } from 'vitest';
import { failure, startTestServer } from '../support/server';
import { createSession } from '../../server/src/auth/session.service';
it('probe', async () => {
  const server = await startTestServer();
  const { token } = await createSession(server.t.db, { userId: server.users.specialist.id, kind: 'browser', totpVerified: true, ip: null, userAgent: null });
  const c = server.client(token);
  const err = await failure(c.cases.create.mutate({ externalRef: 'x1', channel: 'phone', complainant: { exchangeUid: 'u1' }, category: 'trade', subcategory: 'slippage', description: 'd', amounts: [{ asset: 'BTC', amount: '9'.repeat(30) }], occurredAt: '2026-01-01T00:00:00Z' }));
  console.log(JSON.stringify(err));
  const nf = await failure(c.cases.list.query(undefined as any));
  console.log(JSON.stringify(nf));
  await server.close();
});
