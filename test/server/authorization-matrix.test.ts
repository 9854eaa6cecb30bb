// Every procedure × every role, against the real server: the roles written here by hand must be
// exactly the ones the server lets through, and a procedure nobody listed is refused to everyone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../../server/src/trpc/app-router';
import { PROCEDURE_ACCESS } from '../../server/src/auth/policy';
import { createSession } from '../../server/src/auth/session.service';
import { ROLES, type Role } from '../../shared/domain';
import { CSRF_HEADERS, startTestServer, type TestServer } from '../support/server';

const ALL: Role[] = [...ROLES];
const INTERNAL: Role[] = ['specialist', 'legal', 'supervisor', 'admin'];
const HANDLERS: Role[] = ['specialist', 'legal', 'supervisor'];

/** Who may call what, written from the design (not copied from policy.ts). */
const EXPECTED: Record<string, Role[] | 'public'> = {
  'auth.login': 'public',
  'auth.logout': ALL,
  'auth.logoutEverywhere': ALL,
  'auth.me': ALL,
  'auth.totpEnroll': ALL,
  'auth.totpConfirm': ALL,
  'auth.changePassword': ALL,
  'admin.listUsers': ['admin', 'supervisor'],
  'admin.createUser': ['admin'],
  'admin.setUserRole': ['admin'],
  'admin.disableUser': ['admin'],
  'admin.listTeams': INTERNAL,
  'admin.createTeam': ['admin'],
  'admin.setTeamMembers': ['admin'],
  'admin.createIntakeKey': ['admin'],
  'admin.revokeIntakeKey': ['admin'],
  'admin.listIntakeKeys': ['admin'],
  'rules.get': INTERNAL,
  'rules.setTieringRules': ['admin'],
  'rules.setSlaPolicy': ['admin'],
  'rules.setApprovalThreshold': ['admin'],
  'rules.setAssetRate': ['admin'],
  'cases.list': [...HANDLERS, 'admin'],
  'cases.get': [...HANDLERS, 'admin'],
  'cases.timeline': [...HANDLERS, 'admin'],
  'cases.complainantPii': HANDLERS,
  'cases.create': HANDLERS,
  'cases.classify': ['specialist', 'supervisor'],
  'cases.assign': ['supervisor'],
  'cases.transition': [...HANDLERS, 'arbitrator', 'mediator'],
  'cases.addNote': HANDLERS,
  'cases.addConsultation': HANDLERS,
  'cases.answerConsultation': HANDLERS,
  'cases.logCommunication': HANDLERS,
  'cases.setAssessment': HANDLERS,
  'cases.proposeRemedy': HANDLERS,
  'cases.withdrawRemedy': HANDLERS,
  'cases.recordSatisfaction': ['specialist', 'supervisor'],
  'cases.recordRelation': ['supervisor', 'admin'],
  'cases.slaDueSoon': [...HANDLERS, 'admin'],
  'evidence.list': HANDLERS,
  'evidence.get': HANDLERS,
  'evidence.records': HANDLERS,
  'evidence.setInternalOnly': HANDLERS,
  'evidence.redact': ['legal', 'supervisor'],
  'evidence.externalView': ['legal', 'supervisor'],
  'cases.updateFields': HANDLERS,
  'sync.registerDevice': HANDLERS,
  'sync.push': HANDLERS,
  'sync.pull': HANDLERS,
  'sync.changes': HANDLERS,
  'sync.myDevices': HANDLERS,
  'sync.listDevices': ['admin', 'supervisor'],
  'sync.revokeDevice': ['admin', 'supervisor'],
  'audit.caseTrail': ['supervisor', 'legal', 'admin'],
  'audit.verify': ['admin', 'supervisor'],
  // Reports: the transparency report, over the cases each requester may see.
  'reports.transparency': ['legal', 'supervisor', 'admin'],
  // Escalations: seats are given by legal and supervisors; the seated arbitrator or mediator acts on
  // their own seat; the escalations of a case are read by whoever may see the case.
  'escalations.forCase': [...HANDLERS, 'admin', 'arbitrator', 'mediator'],
  'escalations.mySeats': ['arbitrator', 'mediator'],
  'escalations.assignMember': ['legal', 'supervisor'],
  'escalations.disclose': ['arbitrator', 'mediator'],
  'escalations.answerSeat': ['arbitrator', 'mediator'],
  'escalations.recordRuling': ['arbitrator', 'mediator'],
  'escalations.signRuling': ['arbitrator', 'mediator'],
  'escalations.addOpinion': ['arbitrator', 'mediator'],
  // Dossiers: handlers request and list them; an arbitrator or mediator requests and follows their own redacted copy.
  'dossiers.request': HANDLERS,
  'dossiers.requestExternal': ['arbitrator', 'mediator'],
  'dossiers.status': [...HANDLERS, 'arbitrator', 'mediator'],
  'dossiers.list': HANDLERS,
  // Members' accounts: legal and admins invite and withdraw invitations; whoever chooses a panel reads
  // the members' profiles; anybody holding an invitation link sets the account up; a member keeps their profile.
  'members.invite': ['legal', 'admin'],
  'members.invitations': ['legal', 'admin'],
  'members.revokeInvitation': ['legal', 'admin'],
  'members.list': ['legal', 'supervisor', 'admin'],
  'members.beginSetup': 'public',
  'members.completeSetup': 'public',
  'members.myProfile': ['arbitrator', 'mediator'],
  'members.updateProfile': ['arbitrator', 'mediator'],
  'members.regenerateRecoveryCodes': ['arbitrator', 'mediator'],
};

const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: 'query' | 'mutation' | 'subscription' } }>;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.close());

/** A fresh session per call, so procedures like logout cannot disturb the next call. */
async function tokenFor(role: Role): Promise<string> {
  const { token } = await createSession(server.t.db, { userId: server.users[role].id, kind: 'browser', totpVerified: true, ip: '127.0.0.1', userAgent: 'matrix' });
  return token;
}

/** Calls a procedure with an empty input; authorization runs before validation. */
async function call(path: string, token: string | null): Promise<{ status: number; code: string | null }> {
  const type = procedures[path]!._def.type;
  const headers: Record<string, string> = { 'content-type': 'application/json', ...CSRF_HEADERS };
  if (token) headers.authorization = `Bearer ${token}`;
  if (type === 'subscription') {
    // Server-sent events: an error arrives as a `serialized-error` event, a success as data.
    const abort = new AbortController();
    const res = await fetch(`${server.url}/trpc/${path}?input=${encodeURIComponent('{}')}`, { headers: { ...headers, accept: 'text/event-stream' }, signal: abort.signal });
    if (!res.headers.get('content-type')?.includes('text/event-stream')) {
      const body = (await res.json()) as { error?: { data?: { code?: string } } };
      return { status: res.status, code: body.error?.data?.code ?? null };
    }
    const reader = res.body!.getReader();
    let text = '';
    for (let i = 0; i < 20 && !/\n\n/.test(text.replace(/^:.*\n/gm, '')); i++) text += new TextDecoder().decode((await reader.read()).value ?? new Uint8Array());
    abort.abort();
    const error = /event: serialized-error\ndata: (.*)/.exec(text);
    return { status: res.status, code: error ? ((JSON.parse(error[1]!) as { data?: { code?: string } }).data?.code ?? 'ERROR') : null };
  }
  const res =
    type === 'query'
      ? await fetch(`${server.url}/trpc/${path}?input=${encodeURIComponent('{}')}`, { headers })
      : await fetch(`${server.url}/trpc/${path}`, { method: 'POST', headers, body: '{}' });
  const body = (await res.json()) as { error?: { data?: { code?: string } } };
  return { status: res.status, code: body.error?.data?.code ?? null };
}

describe('authorization matrix', () => {
  it('lists every procedure of the router, in the test and in the policy', () => {
    const routed = Object.keys(procedures).sort();
    expect(routed).toEqual(Object.keys(EXPECTED).sort());
    expect(Object.keys(PROCEDURE_ACCESS).sort()).toEqual(routed);
  });

  for (const path of Object.keys(EXPECTED)) {
    it(`${path}: exactly ${EXPECTED[path] === 'public' ? 'everyone' : (EXPECTED[path] as Role[]).join(', ')}`, async () => {
      if (!procedures[path]) throw new Error(`${path} is not routed`);
      const allowed = EXPECTED[path]!;
      for (const role of ROLES) {
        const result = await call(path, await tokenFor(role));
        const permitted = allowed === 'public' || allowed.includes(role);
        if (permitted) {
          expect.soft([role, result.code], `${role} should reach ${path}`).not.toEqual([role, 'FORBIDDEN']);
          expect.soft(result.status, `${role} on ${path}`).toBeLessThan(500);
        } else {
          expect.soft([role, result.code], `${role} should be refused ${path}`).toEqual([role, 'FORBIDDEN']);
        }
      }
      const anonymous = await call(path, null);
      if (allowed === 'public') expect(anonymous.code).not.toBe('UNAUTHORIZED');
      else expect(anonymous.code).toBe('UNAUTHORIZED');
    });
  }

  it('refuses a session that still owes its TOTP step everything but enrolment', async () => {
    const { token } = await createSession(server.t.db, { userId: server.users.admin.id, kind: 'browser', totpVerified: false, ip: '127.0.0.1', userAgent: 'matrix' });
    expect((await call('admin.listUsers', token)).code).toBe('FORBIDDEN');
    expect((await call('rules.get', token)).code).toBe('FORBIDDEN');
    expect((await call('auth.me', token)).code).toBeNull();
  });
});
