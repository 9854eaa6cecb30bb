// What the workstation engine answers, and the port it implements. Browser-safe: the renderer
// imports these types; desktop/main implements WorkstationPort over its local store, journal and
// server connection. Dates travel as ISO strings and amounts as decimal strings (never floats).
import type { CaseAction, CaseState, Language, Role } from '../../shared/domain';
import type { MutationName } from '../../shared/sync/protocol';
import type { z } from 'zod';
import type {
  assignInput,
  CaseMutationInput,
  CaseMutationName,
  QueueFilter,
  QueueSort,
  queueQueryInput,
  queueCountInput,
  retryRejectionInput,
  saveDraftInput,
  saveViewInput,
  signInInput,
  timelineInput,
} from './schemas';

export type Iso = string;
export type Decimal = string;

// ---- session and sync ------------------------------------------------------------------------

/**
 * signed_out: no device registered here, sign in online. locked: registered, the person must
 * unlock (online sign-in, or offline with their password). ready: working. revoked: the server
 * revoked this device; its local data was erased.
 */
export type SessionState = 'signed_out' | 'locked' | 'ready' | 'revoked';

export interface SessionUser {
  id: string;
  name: string;
  role: Role;
  language: Language;
  teamIds: string[];
}

export interface SessionStatus {
  state: SessionState;
  serverUrl: string;
  user: SessionUser | null;
  /** The registered device, once there is one. */
  device: { id: string; name: string } | null;
  /** Whether this role must give a TOTP code at sign-in (the server says so on the first try). */
  totpRequired: boolean;
  /** The email registered on this workstation, for the unlock screen. */
  email: string | null;
  /** Why the session ended, when it did (revoked, offline period expired): a message key. */
  reason: { messageKey: string; params: Record<string, string | number> } | null;
  /** The shell: the Electron app or a browser against the loopback engine. */
  shell: 'electron' | 'browser';
}

export interface SyncStatus {
  /** The server answered the last request. */
  online: boolean;
  /** The person chose to work offline (no requests are made). */
  workOffline: boolean;
  syncing: boolean;
  /** Changes recorded locally and not yet accepted by the server. */
  pending: number;
  /** Refused changes the person has not dealt with. */
  rejected: number;
  lastSyncAt: Iso | null;
  /** The last error reaching the server, as a message key (e.g. the network is down). */
  lastError: { messageKey: string; params: Record<string, string | number> } | null;
}

export interface RejectedChange {
  seq: number;
  name: MutationName;
  args: Record<string, unknown>;
  caseId: string | null;
  caseNumber: string | null;
  messageKey: string;
  field: string | null;
  params: Record<string, string | number>;
  at: Iso;
}

/** Pushed to the renderer: local data changed (after a pull or a local write), or sync status moved. */
export type WorkstationEvent =
  | { type: 'changed'; caseIds: string[] | 'all' }
  | { type: 'sync'; status: SyncStatus }
  | { type: 'session'; status: SessionStatus };

/** How a write stands: recorded locally (journaled), synced, or refused with a reason. */
export interface WriteReceipt {
  seq: number;
  saved: 'local';
  /** Set when the preview depends on a value only the server knows (an approval threshold, a USD rate). */
  pending: PendingFact[];
}

export interface PendingFact {
  fact: 'approval_threshold' | 'usd_rate';
  messageKey: string;
  params: Record<string, string | number>;
}

// ---- the queue -------------------------------------------------------------------------------

export interface QueueRow {
  id: string;
  caseNumber: string;
  status: CaseState;
  category: string | null;
  subcategory: string | null;
  tier: string | null;
  priority: string | null;
  urgent: boolean;
  channel: string | null;
  language: Language | null;
  vipLevel: number | null;
  exchangeUid: string | null;
  /** The first line of the description, shortened. */
  subject: string;
  usdEquivalent: Decimal | null;
  assigneeId: string | null;
  assigneeName: string | null;
  teamId: string | null;
  teamName: string | null;
  receivedAt: Iso | null;
  updatedAt: Iso | null;
  /** The SLA clock as stored; the renderer ticks it with shared/sla. */
  sla: SlaClockView;
  /** Changed since the user last opened it. */
  unread: boolean;
  /** Has local changes not yet accepted by the server. */
  pending: boolean;
}

export interface SlaClockView {
  startedAt: Iso | null;
  firstResponseDueAt: Iso | null;
  resolutionDueAt: Iso | null;
  pausedAt: Iso | null;
  pausedTotalMs: number;
  firstRespondedAt: Iso | null;
  resolvedAt: Iso | null;
}

/** A page of the queue without its total (`queue.page`: the total is `queue.count`'s, asked apart). */
export interface QueueRowsPage {
  offset: number;
  rows: QueueRow[];
}

export interface QueuePage {
  total: number;
  offset: number;
  rows: QueueRow[];
}

export interface SavedView {
  id: string;
  name: string;
  /** Built-in views are translated by key and cannot be removed. */
  builtIn: string | null;
  filter: QueueFilter;
  sort: QueueSort;
}

export interface DirectoryEntry {
  id: string;
  name: string;
  role: Role | null;
}
export interface Directory {
  users: DirectoryEntry[];
  teams: { id: string; name: string }[];
}

// ---- the case workspace ------------------------------------------------------------------------

export interface ActionOption {
  action: CaseAction;
  /** The state the case moves to. */
  next: CaseState;
  reasonRequired: boolean;
  /** Escalation to arbitration asks for a panel of 1 or 3. */
  asksPanelSize: boolean;
}

export interface RefusedAction {
  action: CaseAction;
  messageKey: string;
  params: Record<string, string | number>;
}

export interface CaseView {
  id: string;
  caseNumber: string;
  status: CaseState;
  resumeStatus: CaseState | null;
  category: string | null;
  subcategory: string | null;
  tier: string | null;
  priority: string | null;
  urgent: boolean;
  channel: string | null;
  language: Language | null;
  description: string;
  handlerSummary: string | null;
  nextAction: string | null;
  usdEquivalent: Decimal | null;
  occurredAt: Iso | null;
  receivedAt: Iso | null;
  closedAt: Iso | null;
  archivedAt: Iso | null;
  satisfaction: { score: number; comment: string | null } | null;
  assignee: DirectoryEntry | null;
  team: { id: string; name: string } | null;
  sla: SlaClockView;
  complainant: { id: string; exchangeUid: string | null; vipLevel: number | null; region: string | null; language: Language | null } | null;
  amounts: { asset: string; amount: Decimal; usdRate: Decimal | null; usdValue: Decimal | null }[];
  /** Exactly the lifecycle actions the shared state machine allows this user now. */
  actions: ActionOption[];
  /** Actions the user's role has in this state but that are refused now, with the reason (for the shortcut list and tooltips). */
  refused: RefusedAction[];
  /** The tiering rules' suggestion for this case, shown beside the classification. */
  tieringSuggestion: { tier: string; priority: string; ruleId: string | null } | null;
  /** Facts the preview could not decide offline. */
  pending: PendingFact[];
  /** Local changes to this case not yet accepted by the server. */
  pendingChanges: number;
  /** May this user see the complainant's PII (each reveal is recorded by the server)? */
  mayRevealPii: boolean;
}

export interface TimelineEntry {
  id: string;
  type: string;
  actor: DirectoryEntry | null;
  at: Iso;
  payload: Record<string, unknown>;
  /** A local preview not yet accepted by the server. */
  pending: boolean;
}

export interface CaseWork {
  notes: { id: string; body: string; author: DirectoryEntry | null; createdAt: Iso | null; pending: boolean }[];
  consultations: {
    id: string;
    team: string;
    question: string;
    askedBy: DirectoryEntry | null;
    askedAt: Iso | null;
    answer: string | null;
    answeredBy: DirectoryEntry | null;
    answeredAt: Iso | null;
    pending: boolean;
  }[];
  communications: { id: string; direction: string; channel: string; body: string; recordedBy: DirectoryEntry | null; at: Iso | null; pending: boolean }[];
  assessment: {
    id: string;
    platformShare: Decimal;
    userShare: Decimal;
    thirdPartyShare: Decimal;
    thirdPartyKind: string | null;
    findings: string;
    author: DirectoryEntry | null;
    createdAt: Iso | null;
    pending: boolean;
  } | null;
  /** Earlier assessments, superseded by a re-evaluation (newest first). */
  assessmentHistory: { id: string; platformShare: Decimal; userShare: Decimal; thirdPartyShare: Decimal; findings: string; createdAt: Iso | null; supersededAt: Iso | null }[];
  remedies: {
    id: string;
    kind: string;
    asset: string | null;
    amount: Decimal | null;
    usdValue: Decimal | null;
    details: string;
    status: string;
    proposedBy: DirectoryEntry | null;
    createdAt: Iso | null;
    pending: boolean;
  }[];
  approvals: {
    id: string;
    requestedBy: DirectoryEntry | null;
    requestedAt: Iso | null;
    usdTotal: Decimal | null;
    thresholdUsd: Decimal | null;
    decision: string | null;
    decidedBy: DirectoryEntry | null;
    decidedAt: Iso | null;
    reason: string | null;
  }[];
  objections: { id: string; reason: string; recordedBy: DirectoryEntry | null; at: Iso | null }[];
  escalations: { id: string; kind: string; status: string; panelSize: number | null; reason: string | null; outcome: string | null; createdAt: Iso | null; closedAt: Iso | null }[];
  exhibits: { id: string; exhibitNumber: number | null; type: string | null; fileName: string | null; description: string | null; sha256: string | null; internalOnly: boolean; receivedAt: Iso | null }[];
}

export interface ComplainantPii {
  name: string | null;
  email: string | null;
  phone: string | null;
  idDocumentNumber: string | null;
}

// ---- supervisor -------------------------------------------------------------------------------

export interface SupervisorOverview {
  /** Open cases of the supervisor's teams and the unassigned queue whose SLA is at risk or breached. */
  atRisk: QueueRow[];
  /** Cases waiting for the supervisor's approval (four-eyes), with who proposed. */
  approvalsWaiting: { caseId: string; caseNumber: string; requestedBy: DirectoryEntry | null; requestedAt: Iso | null; usdTotal: Decimal | null; thresholdUsd: Decimal | null }[];
  workload: { user: DirectoryEntry; open: number; atRisk: number; breached: number; pendingApproval: number }[];
  unassigned: number;
}

export interface AssigneeOption {
  user: DirectoryEntry;
  teamIds: string[];
  open: number;
  /** Set when the person must not handle this case (回避): a message key the UI explains. */
  recusal: { messageKey: string; params: Record<string, string | number> } | null;
}

// ---- the port ---------------------------------------------------------------------------------

export type QueueQuery = z.output<typeof queueQueryInput>;

/** What the contract router calls; desktop/main implements it. Each method may throw an AppError. */
export interface WorkstationPort {
  session: {
    status(): Promise<SessionStatus>;
    signIn(input: z.output<typeof signInInput>): Promise<SessionStatus>;
    unlock(password: string): Promise<SessionStatus>;
    signOut(): Promise<SessionStatus>;
    setLanguage(language: Language): Promise<void>;
  };
  sync: {
    status(): Promise<SyncStatus>;
    now(): Promise<SyncStatus>;
    setWorkOffline(workOffline: boolean): Promise<SyncStatus>;
    rejections(): Promise<RejectedChange[]>;
    dismiss(seq: number): Promise<void>;
    retry(input: z.output<typeof retryRejectionInput>): Promise<WriteReceipt>;
    /** Calls `listener` on every event until the returned function is called. */
    subscribe(listener: (event: WorkstationEvent) => void): () => void;
  };
  queue: {
    list(query: QueueQuery): Promise<QueuePage>;
    /** The page alone: no count over every matching case before the rows. */
    page(query: QueueQuery): Promise<QueueRowsPage>;
    /** How many cases the filter matches. */
    count(input: z.output<typeof queueCountInput>): Promise<{ total: number }>;
    views(): Promise<SavedView[]>;
    saveView(input: z.output<typeof saveViewInput>): Promise<SavedView>;
    removeView(id: string): Promise<void>;
    directory(): Promise<Directory>;
  };
  cases: {
    get(caseId: string): Promise<CaseView>;
    timeline(input: z.output<typeof timelineInput>): Promise<TimelineEntry[]>;
    work(caseId: string): Promise<CaseWork>;
    markRead(caseId: string): Promise<void>;
    mutate<N extends CaseMutationName>(name: N, args: CaseMutationInput<N>): Promise<WriteReceipt>;
    /** Online only: the server records each reveal. */
    revealPii(caseId: string): Promise<ComplainantPii>;
  };
  drafts: {
    get(key: string): Promise<{ text: string; savedAt: Iso } | null>;
    save(input: z.output<typeof saveDraftInput>): Promise<{ savedAt: Iso }>;
    clear(key: string): Promise<void>;
  };
  supervisor: {
    overview(): Promise<SupervisorOverview>;
    assignees(caseId: string): Promise<AssigneeOption[]>;
    /** Online only: assignment is decided by the server (recusal, teams). */
    assign(input: z.output<typeof assignInput>): Promise<void>;
  };
}
