// Text Postgres cannot hold: a NUL byte anywhere, or a lone UTF-16 surrogate (half a character).
// Every entry point refuses it with a translated message naming the field — never a 500, never
// stored with the character silently replaced by U+FFFD.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, startTestServer, type TestServer } from '../support/server';
import { complaint, call } from './evidence/support';
import { createIntakeKey } from '../../server/src/intake/intake-keys.repository';
import { postComplaint, validComplaint } from '../support/intake';

let server: TestServer;
let specialist: ReturnType<TestServer['client']>;
let token: string;
let caseId: string;

beforeAll(async () => {
  server = await startTestServer();
  token = await server.login('specialist');
  specialist = server.client(token);
  caseId = (await specialist.cases.create.mutate(complaint('uid-unstorable'))).id;
});
afterAll(async () => server?.close());

const BAD = [
  { label: 'a NUL byte', value: 'before\u0000after', key: 'validation.nul_character' },
  { label: 'a lone low surrogate', value: 'before\udfffafter', key: 'validation.lone_surrogate' },
  { label: 'a lone high surrogate', value: 'before\ud83dafter', key: 'validation.lone_surrogate' },
];

describe.each(BAD)('$label', ({ value, key }) => {
  it('in a case search: 400 naming the field, in both languages', async () => {
    expect(await failure(specialist.cases.list.query({ search: value }))).toMatchObject({ httpStatus: 400, messageKey: key, field: 'search' });
    const zh = await failure(server.client(token, 'zh-CN').cases.list.query({ search: value }));
    expect(zh.message).toMatch(/无法保存/);
  });

  it('in a transition reason: 400, and the case does not move', async () => {
    const before = await specialist.cases.get.query({ caseId });
    const e = await failure(specialist.cases.transition.mutate({ caseId, action: 'start_review', expectedStatus: before.status, reason: value } as never));
    expect(e).toMatchObject({ httpStatus: 400, messageKey: key, field: 'reason' });
    expect((await specialist.cases.get.query({ caseId })).status).toBe(before.status);
  });

  it('in a note: 400, and nothing is stored (not even with U+FFFD)', async () => {
    const e = await failure(specialist.cases.addNote.mutate({ caseId, body: value }));
    expect(e).toMatchObject({ httpStatus: 400, messageKey: key, field: 'body' });
    const notes = await server.t.db.selectFrom('notes').select('body').where('case_id', '=', caseId).execute();
    expect(notes.filter((n) => n.body.includes('before'))).toEqual([]);
  });

  it('in an intake complaint (REST): 400 naming the field', async () => {
    const k = await createIntakeKey(server.t.db, { name: `Helpdesk ${key}`, defaultTeamId: server.teamId });
    const res = await postComplaint(server.url, k.key, validComplaint({ description: value }));
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ messageKey: key, field: 'description' });
  });

  it('in a REST query string (an upload search): 400, not 500', async () => {
    const res = await call(server, 'GET', `/api/v1/exhibits/00000000-0000-4000-8000-000000000000/content?x=${encodeURIComponent(JSON.stringify(value)).replace(/%5Cu0000/gi, '%00')}`, { token });
    expect(res.status).toBeLessThan(500);
  });
});

it('keeps a proper surrogate pair (an emoji) and Chinese text as typed', async () => {
  await specialist.cases.addNote.mutate({ caseId, body: '客户很满意 😀 ok' });
  const notes = await server.t.db.selectFrom('notes').select('body').where('case_id', '=', caseId).execute();
  expect(notes.map((n) => n.body)).toContain('客户很满意 😀 ok');
});
