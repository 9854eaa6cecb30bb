// Who is acting and on behalf of which request: passed from the edge to every service.
import type { Language, Role } from '../../shared/domain';

export interface UserActor {
  kind: 'user';
  userId: string;
  role: Role;
  email: string;
  displayName: string;
  language: Language;
  teamIds: string[];
  sessionId: string;
  /** The registered workstation this session belongs to, for device sessions. */
  deviceId?: string | null;
  /** True once the session passed TOTP, or the role does not need it. */
  totpSatisfied: boolean;
}
export interface IntakeActor {
  kind: 'intake';
  intakeKeyId: string;
  name: string;
  defaultTeamId: string | null;
}
export interface SystemActor {
  kind: 'system';
  name: string;
}
export type Actor = UserActor | IntakeActor | SystemActor;

export interface RequestMeta {
  requestId: string;
  ip: string;
  userAgent: string | null;
  language: Language;
}

export interface ServiceContext {
  actor: Actor;
  meta: RequestMeta;
}

export function actorLabel(actor: Actor): string {
  switch (actor.kind) {
    case 'user':
      return `${actor.role}:${actor.email}`;
    case 'intake':
      return `intake:${actor.name}`;
    case 'system':
      return `system:${actor.name}`;
  }
}

export function actorUserId(actor: Actor): string | null {
  return actor.kind === 'user' ? actor.userId : null;
}

export const systemContext = (name: string, requestId = `system-${name}`): ServiceContext => ({
  actor: { kind: 'system', name },
  meta: { requestId, ip: '127.0.0.1', userAgent: null, language: 'en' },
});
