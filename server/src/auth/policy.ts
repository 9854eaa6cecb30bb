// Authorization in one place: which roles may call which procedure or make which sync mutation, and
// which cases an actor may see. A procedure missing from PROCEDURE_ACCESS is refused to everyone
// (deny by default).
import type { Role } from '../../../shared/domain';
import type { Actor, UserActor } from '../context';
import { forbidden } from '../../../shared/errors';
import { CASE_HANDLERS, COMPLAINANT_PII_ROLES, MUTATION_ACCESS } from '../../../shared/sync/access';

export type Access = 'public' | 'authenticated' | readonly Role[];

const INTERNAL = ['specialist', 'legal', 'supervisor', 'admin'] as const;
const HANDLERS = CASE_HANDLERS;

// Who may make each sync mutation lives in shared/sync/access.ts (the workstation offers forms by it);
// each mutation's procedure below reads its roles from there, so the same roles apply offline and online.
export { MUTATION_ACCESS, roleMayMutate } from '../../../shared/sync/access';

export const PROCEDURE_ACCESS = {
  // Authentication: anybody may try to log in; the rest needs a session.
  'auth.login': 'public',
  'auth.logout': 'authenticated',
  'auth.logoutEverywhere': 'authenticated',
  'auth.me': 'authenticated',
  'auth.totpEnroll': 'authenticated',
  'auth.totpConfirm': 'authenticated',
  'auth.changePassword': 'authenticated',

  // Administration.
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

  // Rules an admin edits: tiering, SLA policies, approval threshold, asset rates.
  'rules.get': INTERNAL,
  'rules.setTieringRules': ['admin'],
  'rules.setSlaPolicy': ['admin'],
  'rules.setApprovalThreshold': ['admin'],
  'rules.setAssetRate': ['admin'],

  // Cases.
  'cases.list': [...HANDLERS, 'admin'],
  'cases.get': [...HANDLERS, 'admin'],
  'cases.timeline': [...HANDLERS, 'admin'],
  'cases.complainantPii': COMPLAINANT_PII_ROLES,
  'cases.create': HANDLERS,
  'cases.classify': MUTATION_ACCESS.classify,
  'cases.assign': ['supervisor'],
  'cases.transition': MUTATION_ACCESS.transition,
  'cases.addNote': MUTATION_ACCESS.addNote,
  'cases.addConsultation': MUTATION_ACCESS.addConsultation,
  'cases.answerConsultation': MUTATION_ACCESS.answerConsultation,
  'cases.logCommunication': MUTATION_ACCESS.logCommunication,
  'cases.setAssessment': MUTATION_ACCESS.setAssessment,
  'cases.proposeRemedy': MUTATION_ACCESS.proposeRemedy,
  'cases.withdrawRemedy': MUTATION_ACCESS.withdrawRemedy,
  'cases.recordSatisfaction': MUTATION_ACCESS.recordSatisfaction,
  'cases.recordRelation': ['supervisor', 'admin'],
  'cases.slaDueSoon': [...HANDLERS, 'admin'],
  'cases.updateFields': MUTATION_ACCESS.updateCaseFields,

  // Evidence. Reading an exhibit is a custody event; sharing outside is legal's and supervisors' call.
  'evidence.list': HANDLERS,
  'evidence.get': HANDLERS,
  'evidence.records': HANDLERS,
  'evidence.setInternalOnly': HANDLERS,
  'evidence.redact': ['legal', 'supervisor'],
  'evidence.externalView': ['legal', 'supervisor'],

  // Sync with workstations: handlers' devices; admins and supervisors oversee and revoke them.
  'sync.registerDevice': HANDLERS,
  'sync.push': HANDLERS,
  'sync.pull': HANDLERS,
  'sync.changes': HANDLERS,
  'sync.myDevices': HANDLERS,
  'sync.listDevices': ['admin', 'supervisor'],
  'sync.revokeDevice': ['admin', 'supervisor'],

  // Audit.
  'audit.caseTrail': ['supervisor', 'legal', 'admin'],
  'audit.verify': ['admin', 'supervisor'],

  // Reports: figures over many cases (each requester's own visible cases), exported as a PDF.
  'reports.transparency': ['legal', 'supervisor', 'admin'],

  // Escalations: legal and supervisors seat arbitrators and mediators; a seated member discloses,
  // answers, rules, signs and adds opinions on their own seat (the service checks which).
  'escalations.forCase': [...HANDLERS, 'admin', 'arbitrator', 'mediator'],
  'escalations.mySeats': ['arbitrator', 'mediator'],
  'escalations.assignMember': ['legal', 'supervisor'],
  'escalations.disclose': ['arbitrator', 'mediator'],
  'escalations.answerSeat': ['arbitrator', 'mediator'],
  'escalations.recordRuling': ['arbitrator', 'mediator'],
  'escalations.signRuling': ['arbitrator', 'mediator'],
  'escalations.addOpinion': ['arbitrator', 'mediator'],

  // PDF dossiers: handlers who see the case request them; a requester (or legal, a supervisor)
  // follows and downloads one; an arbitrator or mediator with an accepted seat requests and reads
  // their own redacted copy (the service checks the case and the dossier).
  'dossiers.request': MUTATION_ACCESS.recordDossierExport, // and so may record one exported offline
  'dossiers.requestExternal': ['arbitrator', 'mediator'],
  'dossiers.status': [...HANDLERS, 'arbitrator', 'mediator'],
  'dossiers.list': HANDLERS,

  // External members' accounts: legal and admins invite arbitrators and mediators and withdraw
  // invitations; those choosing a panel read members' profiles; the invitee sets the account up from
  // the link (its token is the credential); a member keeps their own profile and renews their recovery codes.
  'members.invite': ['legal', 'admin'],
  'members.invitations': ['legal', 'admin'],
  'members.revokeInvitation': ['legal', 'admin'],
  'members.list': ['legal', 'supervisor', 'admin'],
  'members.beginSetup': 'public',
  'members.completeSetup': 'public',
  'members.myProfile': ['arbitrator', 'mediator'],
  'members.updateProfile': ['arbitrator', 'mediator'],
  'members.regenerateRecoveryCodes': ['arbitrator', 'mediator'],
} as const satisfies Record<string, Access>;

export type ProcedurePath = keyof typeof PROCEDURE_ACCESS;

/** The REST endpoints that act for a logged-in user (uploads and downloads carry bytes, not JSON). */
export const REST_ACCESS = {
  'POST /api/v1/uploads': HANDLERS,
  'HEAD /api/v1/uploads/:uploadId': HANDLERS,
  'PATCH /api/v1/uploads/:uploadId': HANDLERS,
  'POST /api/v1/cases/:caseId/exhibits': HANDLERS,
  'GET /api/v1/exhibits/:exhibitId/content': HANDLERS,
  'GET /api/v1/exhibits/:exhibitId/records.csv': HANDLERS,
  'GET /api/v1/dossiers/:dossierId/pdf': [...HANDLERS, 'arbitrator', 'mediator'],
} as const satisfies Record<string, readonly Role[]>;

/** Procedures a session that still owes its TOTP step may call. */
export const TOTP_PENDING_ALLOWED: readonly string[] = ['auth.me', 'auth.logout', 'auth.logoutEverywhere', 'auth.totpEnroll', 'auth.totpConfirm'];

export function accessFor(path: string): Access | undefined {
  return (PROCEDURE_ACCESS as Record<string, Access>)[path];
}

/** Whether a pushed mutation may be applied for a user of this role; a name not listed, never. */

export interface CaseScope {
  team_id: string | null;
  assignee_id: string | null;
  /**
   * Arbitrators and mediators who accepted a seat on one of the case's escalations (after their
   * disclosure). Only needed when the actor is one: absent, they see nothing.
   */
  accepted_external_ids?: readonly string[] | null;
}

/**
 * Case-level visibility: legal and admin see every case; a specialist the cases of their teams and
 * the ones assigned to them; a supervisor those and the unassigned queue; an arbitrator or
 * mediator only the cases on whose escalation they accepted a seat after disclosure.
 */
export function canSeeCase(actor: Actor, c: CaseScope): boolean {
  if (actor.kind === 'system') return true;
  if (actor.kind !== 'user') return false;
  switch (actor.role) {
    case 'legal':
    case 'admin':
      return true;
    case 'specialist':
      return c.assignee_id === actor.userId || (c.team_id !== null && actor.teamIds.includes(c.team_id));
    case 'supervisor':
      // Supervisors also triage the queue of cases no team holds yet.
      return c.assignee_id === actor.userId || c.team_id === null || actor.teamIds.includes(c.team_id);
    case 'arbitrator':
    case 'mediator':
      // Assigned is not enough: a seat counts once its holder disclosed and accepted.
      return c.accepted_external_ids?.includes(actor.userId) === true;
  }
}

export type CaseVisibility =
  | { all: true }
  | { all: false; teamIds: string[]; userId: string; unassignedQueue: boolean; acceptedSeat?: boolean }
  | { none: true };

/** The same rule as canSeeCase, as the filter a list query applies. */
export function caseVisibility(actor: UserActor): CaseVisibility {
  if (actor.role === 'legal' || actor.role === 'admin') return { all: true };
  // An arbitrator or mediator: the cases where they hold an accepted seat, nothing by team.
  if (actor.role === 'arbitrator' || actor.role === 'mediator') return { all: false, teamIds: [], userId: actor.userId, unassignedQueue: false, acceptedSeat: true };
  return { all: false, teamIds: actor.teamIds, userId: actor.userId, unassignedQueue: actor.role === 'supervisor' };
}

export function requireUser(actor: Actor): UserActor {
  if (actor.kind !== 'user') throw forbidden();
  return actor;
}
