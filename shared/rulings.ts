// Escalation seats, rulings and their signatures: the words, which ruling each escalation admits
// and what it does to the case, and the signature hash anyone holding the case can recompute.
// Pure: runs on the server, in the workstation and in the portal alike.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { PANEL_SEATS, type CaseAction, type EscalationKind, type Role } from './domain';

/** Who sits on an escalation: arbitrators on an arbitration, mediators on a mediation. */
export const MEMBER_ROLES = ['arbitrator', 'mediator'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];
export const MEMBER_ROLE_OF: Record<EscalationKind, MemberRole> = { arbitration: 'arbitrator', mediation: 'mediator' };
export const ESCALATION_KIND_OF: Record<MemberRole, EscalationKind> = { arbitrator: 'arbitration', mediator: 'mediation' };

/** Seats of an arbitration: a sole arbitrator may sit as chair; a panel of three has three distinct seats. */
export const MEMBER_SEATS = ['chair', ...PANEL_SEATS] as const;
export type MemberSeat = (typeof MEMBER_SEATS)[number];

export const RULING_KINDS = ['award', 'settlement', 'impasse'] as const;
export type RulingKind = (typeof RULING_KINDS)[number];

export const OPINION_KINDS = ['dissent', 'addendum'] as const;
export type OpinionKind = (typeof OPINION_KINDS)[number];

/**
 * The lifecycle action a ruling records, by escalation kind. An arbitration ends in an award (or
 * an award on agreed terms, a settlement); a mediation in a settlement or an impasse, which sends
 * the case on to arbitration. Kinds not listed are refused for that escalation.
 */
export const RULING_ACTIONS: Record<EscalationKind, Partial<Record<RulingKind, CaseAction>>> = {
  arbitration: { award: 'record_ruling', settlement: 'record_ruling' },
  mediation: { settlement: 'record_settlement', impasse: 'record_impasse' },
};

export function rulingAction(escalationKind: EscalationKind, kind: RulingKind): CaseAction | null {
  return RULING_ACTIONS[escalationKind][kind] ?? null;
}

export function isMemberRole(role: Role): role is MemberRole {
  return (MEMBER_ROLES as readonly string[]).includes(role);
}

// ---- Signatures ---------------------------------------------------------------------------------

export interface RulingSignatureInput {
  rulingId: string;
  /** The ruling's text exactly as recorded: any change to it changes every signature. */
  rulingText: string;
  signerId: string;
  /** When it was signed; a Date or an ISO 8601 time (milliseconds are what count). */
  signedAt: Date | string;
}

/** Versioned so a later format can be told apart from this one. */
export const SIGNATURE_FORMAT = 'arbitra.ruling-signature.v1';

/**
 * The text a signature hash is taken over: a JSON array of the format tag, the ruling id, the
 * ruling text, the signer id and the signing time in ISO 8601 UTC with milliseconds. JSON makes
 * every value unambiguous (no separator can be forged inside the text); ids are lower-cased.
 */
export function rulingSignatureText(s: RulingSignatureInput): string {
  const at = typeof s.signedAt === 'string' ? new Date(s.signedAt) : s.signedAt;
  if (Number.isNaN(at.getTime())) throw new Error(`ruling signature: not a time: ${String(s.signedAt)}`);
  return JSON.stringify([SIGNATURE_FORMAT, s.rulingId.toLowerCase(), s.rulingText, s.signerId.toLowerCase(), at.toISOString()]);
}

/** SHA-256 (lower-case hex) of the signature text. */
export function rulingSignatureHash(s: RulingSignatureInput): string {
  return bytesToHex(sha256(utf8ToBytes(rulingSignatureText(s))));
}

/** Whether a stored signature hash still matches its ruling, signer and time. */
export function verifyRulingSignature(s: RulingSignatureInput & { signatureHash: string }): boolean {
  return rulingSignatureHash(s) === s.signatureHash.toLowerCase();
}
