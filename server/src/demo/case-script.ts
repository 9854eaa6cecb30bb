// How a demo case is written: the complaint as it arrives, then the work done on it as a list of
// steps, each by a named member of staff (data/organisation.ts). The runner (runner.ts) plays the
// steps through the same services the apps call, in order, and checks the state they end in.
//
// Texts may speak of dates relative to the complaint, so the demo reads right whenever it is
// seeded: {rcv} (received, YYYYMMDD), {occ_ymd}, {occ_zh} (11 月 3 日), {occ_en} (3 November) and
// {occ_time} (HH:MM, UTC) are filled in per case, in every text of the case and its steps.
import { createHash } from 'node:crypto';
import type { ExhibitType } from '../../../shared/evidence';
import type { MemberSeat, OpinionKind, RulingKind } from '../../../shared/rulings';
import type {
  CaseAction,
  CaseState,
  Category,
  Channel,
  ConsultationTeam,
  Language,
  Priority,
  RemedyKind,
  Subcategory,
  THIRD_PARTY_KINDS,
  Tier,
} from '../../../shared/domain';
import type { StaffKey, TeamKey } from './data/organisation';

// Ages are in minutes.
export const HOUR = 60;
export const DAY = 24 * HOUR;

/** An amount and its asset as one would write it: '0.753124876512309871 ETH' (the amount stays exact). */
export type Quantity = `${number} ${string}`;

/** A deterministic, obviously synthetic transaction hash. */
export const fakeTxHash = (seed: string) => createHash('sha256').update(`arbitra-demo:${seed}`).digest('hex');

export interface Complainant {
  uid: string;
  name: string;
  email: string;
  phone: string;
  idDocumentNumber?: string;
  vipLevel: number;
  region: string;
  /** The language the description is written in. */
  language: Language;
}

export interface DemoCase {
  /** The complaint's reference in the channel it came through. */
  ref: string;
  channel: Channel;
  /** Entered by hand by this specialist (a phone call); otherwise posted by the intake desk. */
  enteredBy?: StaffKey;
  /** null: not routed to a team yet. */
  team: TeamKey | null;
  /** Received this long before the seed runs. */
  ageMinutes: number;
  /** What the complaint is about happened this long before it was received. */
  occurredMinutesBefore: number;
  complainant: Complainant;
  category: Category;
  subcategory: Subcategory;
  description: string;
  amounts: Quantity[];
  urgent?: boolean;
  steps: Step[];
  /** The state the steps must leave the case in (checked). */
  endsIn: CaseState;
}

/** A file of a demo case, as a person would upload it. */
export interface DemoExhibitFile {
  fileName: string;
  side: 'complainant' | 'platform';
  source: string;
  type?: ExhibitType;
  internalOnly?: boolean;
  bytes: Buffer;
}

type ThirdPartyKind = (typeof THIRD_PARTY_KINDS)[number];
/** Shares of responsibility in percent, adding up to 100. */
export interface Responsibility {
  platform: string;
  user: string;
  thirdParty: string;
  thirdPartyKind?: ThirdPartyKind;
}
export interface Classification {
  subcategory?: Subcategory;
  tier?: Tier;
  priority?: Priority;
}

export type Step =
  /** Assigned by the supervisor. */
  | { do: 'assign'; to: StaffKey }
  /** Classification confirmed; what is not given stays as intake classified it. */
  | ({ do: 'classify'; by: StaffKey } & Classification)
  | { do: 'transition'; action: CaseAction; by: StaffKey; reason?: string; panelSize?: 1 | 3 }
  | { do: 'assess'; by: StaffKey; responsibility: Responsibility; findings: string }
  | { do: 'remedy'; by: StaffKey; kind: RemedyKind; details: string; quantity?: Quantity }
  /** Withdraws the case's open refunds and compensations, oldest first. */
  | { do: 'withdraw_monetary_remedies'; by: StaffKey }
  | { do: 'note'; by: StaffKey; body: string }
  | { do: 'consult'; by: StaffKey; team: ConsultationTeam; question: string; answer?: { by: StaffKey; text: string } }
  /** A message to or from the complainant, on the channel the complaint came through. */
  | { do: 'communication'; by: StaffKey; direction: 'inbound' | 'outbound'; body: string }
  | { do: 'satisfaction'; by: StaffKey; score: number; comment?: string }
  /** A handler's relation to the complainant, recorded by the supervisor (it makes them recuse). */
  | { do: 'relation'; user: StaffKey; relation: string }
  /** Files taken in through the evidence service (a resumable upload in one chunk), by a handler of the case. */
  | { do: 'exhibits'; by: StaffKey; files: (at: { receivedAt: Date; occurredAt: Date }) => DemoExhibitFile[] }
  /** A seat on the case's open escalation: assigned by legal, disclosed and accepted by the member. */
  | { do: 'seat'; by: StaffKey; member: StaffKey; seat?: MemberSeat; disclosure: string; answer: 'accept' | 'decline' }
  /** A seat on the case's open escalation, assigned by legal and left for the member to disclose and answer. */
  | { do: 'appoint'; by: StaffKey; member: StaffKey; seat?: MemberSeat }
  /** Recorded on the case's open escalation; it moves the case on. */
  | { do: 'ruling'; by: StaffKey; kind: RulingKind; text: string }
  /** Signs the case's latest ruling. */
  | { do: 'sign'; by: StaffKey }
  /** On the case's latest ruling. */
  | { do: 'opinion'; by: StaffKey; kind: OpinionKind; body: string };

// ---------------------------------------------------------------------------------------------
// Steps
// ---------------------------------------------------------------------------------------------

export const assign = (to: StaffKey): Step => ({ do: 'assign', to });
export const classify = (by: StaffKey, classification: Classification = {}): Step => ({ do: 'classify', by, ...classification });
export const note = (by: StaffKey, body: string): Step => ({ do: 'note', by, body });
export const consult = (by: StaffKey, team: ConsultationTeam, question: string, answer?: { by: StaffKey; text: string }): Step => ({ do: 'consult', by, team, question, answer });
export const toComplainant = (by: StaffKey, body: string): Step => ({ do: 'communication', by, direction: 'outbound', body });
export const fromComplainant = (by: StaffKey, body: string): Step => ({ do: 'communication', by, direction: 'inbound', body });
export const assess = (by: StaffKey, responsibility: Responsibility, findings: string): Step => ({ do: 'assess', by, responsibility, findings });
export const remedy = (by: StaffKey, kind: RemedyKind, details: string, quantity?: Quantity): Step => ({ do: 'remedy', by, kind, details, quantity });
export const withdrawMonetaryRemedies = (by: StaffKey): Step => ({ do: 'withdraw_monetary_remedies', by });
export const satisfaction = (by: StaffKey, score: number, comment?: string): Step => ({ do: 'satisfaction', by, score, comment });
export const declareRelation = (user: StaffKey, relation: string): Step => ({ do: 'relation', user, relation });
export const takeInExhibits = (by: StaffKey, files: (at: { receivedAt: Date; occurredAt: Date }) => DemoExhibitFile[]): Step => ({ do: 'exhibits', by, files });
export const panelSeat = (member: StaffKey, seat: MemberSeat, disclosure: string): Step => ({ do: 'seat', by: 'legal', member, seat, disclosure, answer: 'accept' });
export const mediatorSeat = (member: StaffKey, disclosure: string): Step => ({ do: 'seat', by: 'legal', member, disclosure, answer: 'accept' });
export const appoint = (member: StaffKey, seat?: MemberSeat): Step => ({ do: 'appoint', by: 'legal', member, seat });
export const award = (by: StaffKey, text: string): Step => ({ do: 'ruling', by, kind: 'award', text });
export const settlement = (by: StaffKey, text: string): Step => ({ do: 'ruling', by, kind: 'settlement', text });
export const sign = (by: StaffKey): Step => ({ do: 'sign', by });
export const dissent = (by: StaffKey, body: string): Step => ({ do: 'opinion', by, kind: 'dissent', body });
export const addendum = (by: StaffKey, body: string): Step => ({ do: 'opinion', by, kind: 'addendum', body });

// Lifecycle transitions (shared/lifecycle.ts decides which may follow which).
export const transition = (action: CaseAction, by: StaffKey, reason?: string, panelSize?: 1 | 3): Step => ({ do: 'transition', action, by, reason, panelSize });
export const startReview = (by: StaffKey) => transition('start_review', by);
export const acceptForInvestigation = (by: StaffKey) => transition('accept', by);
export const reject = (by: StaffKey, reason: string) => transition('reject', by, reason);
export const requestMaterial = (by: StaffKey, reason: string) => transition('request_material', by, reason);
export const requestThirdParty = (by: StaffKey, reason: string) => transition('request_third_party', by, reason);
export const completeInvestigation = (by: StaffKey) => transition('complete_investigation', by);
export const requestApproval = (by: StaffKey) => transition('request_approval', by);
export const approve = (by: StaffKey) => transition('approve', by);
export const declineApproval = (by: StaffKey, reason: string) => transition('decline_approval', by, reason);
export const proposeResolution = (by: StaffKey) => transition('propose_resolution', by);
/** The complainant accepted the proposal, as recorded by `by`. */
export const acceptResolution = (by: StaffKey) => transition('accept_resolution', by);
/** The complainant objected to the proposal, as recorded by `by`. */
export const recordObjection = (by: StaffKey, reason: string) => transition('object', by, reason);
export const escalateToMediation = (by: StaffKey, reason: string) => transition('escalate_mediation', by, reason);
export const escalateToArbitration = (by: StaffKey, reason: string, o: { panelSize: 1 | 3 }) => transition('escalate_arbitration', by, reason, o.panelSize);
/** Mediation failed: on to arbitration before a panel of the given size. */
export const recordImpasse = (by: StaffKey, reason: string, o: { panelSize: 1 | 3 }) => transition('record_impasse', by, reason, o.panelSize);
export const completeExecution = (by: StaffKey) => transition('complete_execution', by);
export const close = (by: StaffKey) => transition('close', by);
export const archive = (by: StaffKey) => transition('archive', by);

// Runs of steps most cases share.

/** Assigned by the supervisor, then opened for initial review (the first response). */
export const opened = (who: StaffKey): Step[] => [assign(who), startReview(who)];
/** Opened, classification confirmed, accepted into investigation. */
export const accepted = (who: StaffKey, classification: Classification = {}): Step[] => [...opened(who), classify(who, classification), acceptForInvestigation(who)];
/** Remedy carried out, the complainant's satisfaction asked at the follow-up, closed. */
export const closedAfterFollowUp = (who: StaffKey, score: number, comment?: string): Step[] => [completeExecution(who), satisfaction(who, score, comment), close(who)];
