// The workstation engine: WorkstationPort over the device session, the sync engine and its local
// store, in plain Node. Signing in registers this workstation online once; afterwards it unlocks
// online (a fresh sign-in when the server answers) or offline (the password against the local
// verifier). Once unlocked, the sync engine runs in the background; every answer here comes from
// the local store, and only PII reveals and assignment go to the server.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { AppError, badInput } from '../../../shared/errors';
import { parseInput } from '../../../shared/validation';
import { LANGUAGES, ROLES, type Language, type Role } from '../../../shared/domain';
import { MUTATIONS, type MutationName } from '../../../shared/sync/protocol';
import {
  assignInput,
  caseMutationInputs,
  draftKeyInput,
  rejectionInput,
  retryRejectionInput,
  saveDraftInput,
  signInInput,
  unlockInput,
  viewIdInput,
  type CaseMutationInput,
  type CaseMutationName,
} from '../../contract/schemas';
import type {
  CaseView,
  CaseWork,
  ComplainantPii,
  Directory,
  QueuePage,
  QueueRowsPage,
  QueueQuery,
  RejectedChange,
  SavedView,
  SessionStatus,
  SessionUser,
  SupervisorOverview,
  AssigneeOption,
  SyncStatus,
  TimelineEntry,
  WorkstationEvent,
  WorkstationPort,
  WriteReceipt,
} from '../../contract/types';
import type { OpenWorkstationOptions } from '../shell/engine';
import { DeviceSession, type DeviceIdentity } from '../device-session';
import { HttpTransport, serverClient } from '../http-transport';
import { SyncEngine, TransportRefusal, type SyncTransport } from '../sync-engine';
import { getMeta, setMeta, META_KEYS } from '../store/meta';
import { awaitedServerFacts } from '../store/optimistic';
import { SyncLoop } from './sync-loop';
import { asAppError, isUnreachable, serverDecision, SERVER_ERROR, SERVER_UNREACHABLE } from './server-errors';
import * as queue from './queue';
import * as cases from './cases';
import * as supervisor from './supervisor';
import * as drafts from './drafts.repository';
import { markRead } from './queue.repository';
import { caseIdOfConsultation, caseIdOfRemedy, caseNumbers, findCase } from './case.repository';

/** Pulls after an online assignment until the local store shows it (each a full sync run), at most this many, this long, this far apart. */
const ASSIGN_PULL_ATTEMPTS = 40;
const ASSIGN_VISIBLE_WITHIN_MS = 15_000;
const ASSIGN_PULL_PAUSE_MS = 200;

export interface WorkstationOptions extends OpenWorkstationOptions {
  /** The clock (SLA filters, drafts, offline period); tests pass a fixed one. */
  now?: () => Date;
  /** Background sync period; 5 s by default. */
  syncIntervalMs?: number;
}

/** What this workstation remembers outside the local store: readable while locked. */
interface Preferences {
  language: Language | null;
  totpRequired: boolean;
  deviceName: string | null;
}

const DEFAULT_SYNC_INTERVAL_MS = 5_000;
const KICK_DELAY_MS = 50;
/** How often the facts only the server knows (threshold, memberships, the user's teams) are fetched again. */
const SERVER_FACTS_EVERY_MS = 60_000;
const DEVICE_REVOKED = 'sync.device_revoked';

/** Mutations that create a row: the engine gives it its id. */
const CREATES_ROW: ReadonlySet<MutationName> = new Set(['addNote', 'addConsultation', 'logCommunication']);

interface Ready {
  engine: SyncEngine;
  identity: DeviceIdentity;
  user: SessionUser;
}

/** The sync transport of the session: counts each answer (online) and makes no request while working offline. */
class SessionTransport implements SyncTransport {
  constructor(
    private readonly http: HttpTransport,
    private readonly ws: Workstation,
  ) {}
  push(input: Parameters<SyncTransport['push']>[0]) {
    return this.ws.serverCall(() => this.http.push(input));
  }
  pull(input: Parameters<SyncTransport['pull']>[0]) {
    return this.ws.serverCall(() => this.http.pull(input));
  }
}

export class Workstation implements WorkstationPort {
  private readonly device: DeviceSession;
  private readonly prefsFile: string;
  private readonly revokedFile: string;
  private readonly now: () => Date;
  private ready: Ready | null = null;
  private reason: SessionStatus['reason'] = null;
  private readonly listeners = new Set<(event: WorkstationEvent) => void>();
  private readonly loop: SyncLoop;
  private syncState = { online: false, workOffline: false, syncing: false, lastError: null as SyncStatus['lastError'] };
  private serverFactsAt = 0;
  private closed = false;

  constructor(private readonly options: WorkstationOptions) {
    fs.mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    this.device = new DeviceSession(options.dataDir, options.keys);
    this.prefsFile = path.join(options.dataDir, 'workstation.json');
    this.revokedFile = path.join(options.dataDir, 'revoked.json');
    this.now = options.now ?? (() => new Date());
    this.loop = new SyncLoop({ intervalMs: options.syncIntervalMs ?? DEFAULT_SYNC_INTERVAL_MS, kickDelayMs: KICK_DELAY_MS, run: () => this.runSync() });
  }

  // ---- plumbing ----------------------------------------------------------------------------------

  private prefs(): Preferences {
    try {
      return { language: null, totpRequired: false, deviceName: null, ...(JSON.parse(fs.readFileSync(this.prefsFile, 'utf8')) as Partial<Preferences>) };
    } catch {
      return { language: null, totpRequired: false, deviceName: null };
    }
  }

  private savePrefs(change: Partial<Preferences>): void {
    const tmp = `${this.prefsFile}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ ...this.prefs(), ...change }), { mode: 0o600 });
    fs.renameSync(tmp, this.prefsFile);
  }

  private emit(event: WorkstationEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // A listener's failure is its own; the others still hear.
      }
    }
  }

  private async emitSync(): Promise<void> {
    this.emit({ type: 'sync', status: await this.sync.status() });
  }

  private async emitSession(): Promise<void> {
    this.emit({ type: 'session', status: await this.session.status() });
  }

  private requireReady(): Ready {
    if (!this.ready || this.ready.engine.status === 'revoked') throw new AppError('unauthenticated', 'workstation.locked');
    return this.ready;
  }

  private get language(): Language {
    return this.prefs().language ?? (this.ready?.user.language as Language | undefined) ?? 'en';
  }

  private client(token: string | null) {
    return serverClient(this.options.serverUrl, token, this.language);
  }

  /**
   * Every request to the server goes through here: none while working offline, and whether the
   * server answered (even with a refusal) is what `online` shows.
   */
  async serverCall<T>(fn: () => Promise<T>): Promise<T> {
    if (this.syncState.workOffline) throw new AppError('conflict', 'workstation.online_only');
    try {
      const result = await fn();
      this.syncState.online = true;
      return result;
    } catch (error) {
      this.syncState.online = !isUnreachable(error);
      throw error;
    }
  }

  // ---- session -------------------------------------------------------------------------------------

  private sessionStatus(): SessionStatus {
    const registration = this.device.registration();
    const revoked = !registration && fs.existsSync(this.revokedFile);
    let reason = this.reason;
    if (revoked && !reason) {
      const r = JSON.parse(fs.readFileSync(this.revokedFile, 'utf8')) as { reason?: string };
      reason = { messageKey: DEVICE_REVOKED, params: { reason: r.reason ?? '' } };
    }
    const prefs = this.prefs();
    return {
      state: this.ready && this.ready.engine.status !== 'revoked' ? 'ready' : revoked ? 'revoked' : registration ? 'locked' : 'signed_out',
      serverUrl: this.options.serverUrl,
      user: this.ready ? { ...this.ready.user, language: prefs.language ?? this.ready.user.language } : null,
      device: registration ? { id: registration.deviceId, name: prefs.deviceName ?? '' } : null,
      totpRequired: prefs.totpRequired,
      email: registration?.email ?? null,
      reason,
      shell: this.options.shell,
    };
  }

  /** After the server accepted the password: the offline period restarts and offline unlock takes this password. */
  private async confirmedOnline(password: string): Promise<void> {
    await this.device.rememberPassword(password);
    this.device.recordOnline(this.now());
  }

  /** Tries the password with the server (a fresh sign-in, signed out again at once); false when the server is not reachable. */
  private async passwordOnline(email: string, password: string, totpCode?: string): Promise<boolean> {
    if (this.syncState.workOffline) return false;
    try {
      const login = await this.serverCall(() => this.client(null).auth.login.mutate({ email, password, totpCode, kind: 'device' }));
      // Only a check: the device keeps its own credential.
      if (login.token)
        await this.client(login.token)
          .auth.logout.mutate()
          .catch(() => undefined);
      await this.confirmedOnline(password);
      return true;
    } catch (error) {
      const decision = serverDecision(error);
      // The server checks the password before the code: a missing code means the password was right.
      if (decision?.messageKey === 'auth.totp_code_required') {
        this.savePrefs({ totpRequired: true });
        await this.confirmedOnline(password);
        return true;
      }
      if (decision) throw decision;
      if (isUnreachable(error)) return false;
      throw asAppError(error);
    }
  }

  /** The user as the server knows them now (role, teams), through the device's own credential; null when it does not answer. */
  private async userOnline(identity: DeviceIdentity): Promise<SessionUser | null> {
    if (this.syncState.workOffline) return null;
    try {
      const me = await this.serverCall(() => this.client(identity.token).auth.me.query());
      return { id: me.user.id, name: me.user.displayName, role: me.user.role, language: me.user.language, teamIds: me.user.teamIds };
    } catch {
      // Revoked or unreachable: the first sync says which (a revoked device wipes itself there).
      return null;
    }
  }

  /** Opens the sync engine for the unlocked identity and starts syncing. */
  private async open(identity: DeviceIdentity, online: SessionUser | null): Promise<SessionStatus> {
    const role = (ROLES as readonly string[]).includes(identity.role) ? (identity.role as Role) : 'specialist';
    const transport = new SessionTransport(new HttpTransport(this.options.serverUrl, identity.token), this);
    const engine = await SyncEngine.open({
      dataDir: this.options.dataDir,
      identity: { deviceId: identity.deviceId, userId: identity.userId, role: online?.role ?? role },
      transport,
      online: online !== null,
    });
    const stored = await getMeta<SessionUser>(engine.db, META_KEYS.user);
    const user: SessionUser =
      online ??
      (stored && stored.id === identity.userId
        ? stored
        : { id: identity.userId, name: identity.displayName, role, language: (LANGUAGES as readonly string[]).includes(identity.language) ? (identity.language as Language) : 'en', teamIds: [] });
    // The preview's lifecycle decisions read the role from here (store/optimistic.ts).
    await setMeta(engine.db, META_KEYS.user, user);
    this.ready = { engine, identity, user };
    this.reason = null;
    this.serverFactsAt = 0;
    this.loop.start();
    await this.emitSession();
    return this.sessionStatus();
  }

  private async unlockWith(password: string, totpCode?: string): Promise<SessionStatus> {
    if (this.ready) return this.sessionStatus();
    const registration = this.device.registration();
    if (!registration) throw new AppError('unauthenticated', 'desktop.not_registered');
    const online = await this.passwordOnline(registration.email, password, totpCode);
    let identity: DeviceIdentity;
    try {
      identity = await this.device.unlockOffline(password, this.now());
    } catch (error) {
      if (error instanceof AppError && error.messageKey === 'desktop.offline_period_expired') {
        this.reason = { messageKey: error.messageKey, params: error.options.params ?? {} };
        await this.emitSession();
      }
      throw error;
    }
    return this.open(identity, online ? await this.userOnline(identity) : null);
  }

  readonly session: WorkstationPort['session'] = {
    status: async () => this.sessionStatus(),

    signIn: async (input) => {
      const v = parseInput(signInInput, input);
      const registration = this.device.registration();
      if (registration) {
        if (registration.email !== v.email) throw new AppError('conflict', 'workstation.other_user_registered', { field: 'email', params: { email: registration.email } });
        return this.unlockWith(v.password, v.totpCode);
      }
      if (this.syncState.workOffline) throw new AppError('conflict', 'workstation.online_only');
      const deviceName = v.deviceName ?? os.hostname();
      let identity: DeviceIdentity;
      try {
        identity = await this.serverCall(() => this.device.registerOnline({ serverUrl: this.options.serverUrl, email: v.email, password: v.password, totpCode: v.totpCode, deviceName }));
      } catch (error) {
        const e = asAppError(error);
        if (e.messageKey === 'auth.totp_code_required') {
          this.savePrefs({ totpRequired: true });
          await this.emitSession();
        }
        throw e;
      }
      // A new registration: whatever a revoked one left behind is over.
      fs.rmSync(this.revokedFile, { force: true });
      this.savePrefs({ deviceName, totpRequired: v.totpCode !== undefined || this.prefs().totpRequired });
      return this.open(identity, await this.userOnline(identity));
    },

    unlock: async (password) => this.unlockWith(parseInput(unlockInput, { password }).password),

    signOut: async () => {
      await this.lock();
      await this.emitSession();
      return this.sessionStatus();
    },

    setLanguage: async (language) => {
      if (!(LANGUAGES as readonly string[]).includes(language)) throw badInput('validation.invalid_enum', 'language', { allowed: LANGUAGES.join(', ') });
      this.savePrefs({ language });
      await this.emitSession();
    },
  };

  /** Stops syncing and closes the engine; the device stays registered and its unsynced work journaled. */
  private async lock(): Promise<void> {
    await this.loop.stop();
    const ready = this.ready;
    this.ready = null;
    await ready?.engine.close();
  }

  // ---- sync ------------------------------------------------------------------------------------

  /** One background run: push, pull, and now and then the facts only the server knows. */
  private async runSync(): Promise<void> {
    const ready = this.ready;
    if (!ready || this.syncState.workOffline || ready.engine.status === 'revoked') return;
    this.syncState.syncing = true;
    await this.emitSync();
    try {
      const r = await ready.engine.sync();
      this.syncState.lastError = null;
      this.device.recordOnline(this.now());
      if (r.pulled.changes > 0 || r.pulled.dropped > 0 || r.pulled.reset || r.pushed.applied + r.pushed.rejected > 0) this.emit({ type: 'changed', caseIds: 'all' });
      if (this.now().getTime() - this.serverFactsAt >= SERVER_FACTS_EVERY_MS) await this.refreshServerFacts(ready);
    } catch (error) {
      const refusal = error instanceof TransportRefusal ? error : null;
      // (engine.status changes under sync(): a revoked device wipes itself there)
      if (refusal?.messageKey === DEVICE_REVOKED || (ready.engine.status as string) === 'revoked') {
        // The engine has erased the local data; the device is no longer registered here.
        this.reason = { messageKey: DEVICE_REVOKED, params: { reason: String(refusal?.params.reason ?? ready.engine.revokedReason ?? '') } };
        this.ready = null;
        await ready.engine.close().catch(() => undefined);
        this.syncState.syncing = false;
        void this.loop.stop();
        this.emit({ type: 'changed', caseIds: 'all' });
        await this.emitSession();
        await this.emitSync();
        return;
      }
      const e = refusal ? new AppError('forbidden', refusal.messageKey, { params: refusal.params }) : serverDecision(error);
      this.syncState.lastError = e
        ? { messageKey: e.messageKey, params: e.options.params ?? {} }
        : { messageKey: isUnreachable(error) || error instanceof AppError ? SERVER_UNREACHABLE : SERVER_ERROR, params: {} };
    } finally {
      this.syncState.syncing = false;
    }
    await this.emitSync();
  }

  /** The approval threshold (the preview's four-eyes decisions), the user's teams and, for supervisors, team memberships. */
  private async refreshServerFacts(ready: Ready): Promise<void> {
    const client = this.client(ready.identity.token);
    try {
      const [rules, user] = await Promise.all([this.serverCall(() => client.rules.get.query()), this.userOnline(ready.identity)]);
      await setMeta(ready.engine.db, 'approvalThresholdUsd', rules.approvalThresholdUsd);
      if (user) {
        ready.user = user;
        await setMeta(ready.engine.db, META_KEYS.user, user);
      }
      if (ready.user.role === 'supervisor') {
        const users = await this.serverCall(() => client.admin.listUsers.query());
        await setMeta(ready.engine.db, supervisor.MEMBERS_META, Object.fromEntries(users.map((u) => [u.id, u.teamIds])));
      }
      this.serverFactsAt = this.now().getTime();
    } catch {
      // Kept as they were; tried again on a later run.
    }
  }

  private async syncStatus(): Promise<SyncStatus> {
    const ready = this.ready;
    const usable = ready && ready.engine.status !== 'revoked';
    const lastSyncAt = usable ? await getMeta<string>(ready.engine.db, META_KEYS.lastSyncAt) : null;
    return {
      online: this.syncState.online && !this.syncState.workOffline,
      workOffline: this.syncState.workOffline,
      syncing: this.syncState.syncing,
      pending: usable ? (await ready.engine.pendingMutations()).length : 0,
      rejected: usable ? (await ready.engine.rejections()).length : 0,
      lastSyncAt,
      lastError: this.syncState.lastError,
    };
  }

  private async caseIdOf(name: MutationName, args: Record<string, unknown>): Promise<string | null> {
    const { db } = this.requireReady().engine;
    if (typeof args.caseId === 'string') return args.caseId;
    if (name === 'answerConsultation' && typeof args.consultationId === 'string') return caseIdOfConsultation(db, args.consultationId);
    if (name === 'withdrawRemedy' && typeof args.remedyId === 'string') return caseIdOfRemedy(db, args.remedyId);
    return null;
  }

  /** Journals a mutation (the acknowledgement), shows it, and syncs soon. */
  private async record(name: MutationName, args: Record<string, unknown>): Promise<WriteReceipt> {
    const { engine } = this.requireReady();
    const { seq } = await engine.mutate(name, args as never);
    const caseId = await this.caseIdOf(name, args);
    const pending = caseId ? (await awaitedServerFacts(engine.db, caseId)).filter((s) => s.seq === seq).flatMap((s) => s.awaiting) : [];
    if (caseId) this.emit({ type: 'changed', caseIds: [caseId] });
    await this.emitSync();
    this.loop.kick();
    return { seq, saved: 'local', pending };
  }

  readonly sync: WorkstationPort['sync'] = {
    status: () => this.syncStatus(),

    now: async () => {
      this.requireReady();
      await this.loop.now();
      return this.syncStatus();
    },

    setWorkOffline: async (workOffline) => {
      this.syncState.workOffline = workOffline;
      if (!workOffline && this.ready) this.loop.kick();
      await this.emitSync();
      return this.syncStatus();
    },

    rejections: async (): Promise<RejectedChange[]> => {
      const { engine } = this.requireReady();
      const rejections = await engine.rejections();
      const caseIds = await Promise.all(rejections.map((r) => this.caseIdOf(r.name, r.args)));
      const numbers = await caseNumbers(engine.db, [...new Set(caseIds.filter((x): x is string => x !== null))]);
      return rejections.map((r, i) => ({
        seq: r.seq,
        name: r.name,
        args: r.args,
        caseId: caseIds[i] ?? null,
        caseNumber: caseIds[i] ? (numbers.get(caseIds[i]!) ?? null) : null,
        messageKey: r.messageKey,
        field: r.field,
        params: r.params,
        at: r.at.toISOString(),
      }));
    },

    dismiss: async (seq) => {
      const { engine } = this.requireReady();
      await engine.dismissRejection(parseInput(rejectionInput, { seq }).seq);
      await this.emitSync();
    },

    retry: async (input) => {
      const { engine } = this.requireReady();
      const v = parseInput(retryRejectionInput, input);
      const rejection = (await engine.rejections()).find((r) => r.seq === v.seq);
      if (!rejection) throw new AppError('not_found', 'workstation.rejection_not_found', { field: 'seq' });
      // The same mutation, as it was or edited, checked with the protocol's own schema.
      const args = parseInput(MUTATIONS[rejection.name], v.args ?? rejection.args) as Record<string, unknown>;
      const receipt = await this.record(rejection.name, args);
      await engine.dismissRejection(rejection.seq);
      await this.emitSync();
      return receipt;
    },

    subscribe: (listener) => {
      this.listeners.add(listener);
      return () => {
        this.listeners.delete(listener);
      };
    },
  };

  // ---- queue ------------------------------------------------------------------------------------

  readonly queue: WorkstationPort['queue'] = {
    list: async (query: QueueQuery): Promise<QueuePage> => {
      const { engine, user } = this.requireReady();
      return queue.listQueue({ db: engine.db, userId: user.id, now: this.now() }, query);
    },
    page: async (query: QueueQuery): Promise<QueueRowsPage> => {
      const { engine, user } = this.requireReady();
      return queue.queuePage({ db: engine.db, userId: user.id, now: this.now() }, query);
    },
    count: async (input): Promise<{ total: number }> => {
      const { engine, user } = this.requireReady();
      return queue.countQueue({ db: engine.db, userId: user.id, now: this.now() }, input);
    },
    views: async (): Promise<SavedView[]> => queue.listViews(this.requireReady().engine.db, this.now()),
    saveView: async (input) => queue.saveView(this.requireReady().engine.db, input),
    removeView: async (id) => queue.removeView(this.requireReady().engine.db, parseInput(viewIdInput, { id }).id),
    directory: async (): Promise<Directory> => queue.directory(this.requireReady().engine.db),
  };

  // ---- cases ------------------------------------------------------------------------------------

  private caseScope() {
    const { engine, user } = this.requireReady();
    return { db: engine.db, userId: user.id, role: user.role };
  }

  readonly cases: WorkstationPort['cases'] = {
    get: async (caseId): Promise<CaseView> => cases.caseView(this.caseScope(), caseId),
    timeline: async (input): Promise<TimelineEntry[]> => cases.caseTimeline(this.caseScope().db, input),
    work: async (caseId): Promise<CaseWork> => cases.caseWork(this.caseScope().db, caseId),

    markRead: async (caseId) => {
      const { db } = this.caseScope();
      await markRead(db, caseId, this.now());
      this.emit({ type: 'changed', caseIds: [caseId] });
    },

    mutate: async <N extends CaseMutationName>(name: N, args: CaseMutationInput<N>): Promise<WriteReceipt> => {
      this.requireReady();
      const schema = Object.hasOwn(caseMutationInputs, name) ? caseMutationInputs[name] : null;
      if (!schema) throw badInput('validation.invalid', 'name');
      const parsed = parseInput(schema, args) as Record<string, unknown>;
      return this.record(name, CREATES_ROW.has(name) ? { ...parsed, id: randomUUID() } : parsed);
    },

    revealPii: async (caseId): Promise<ComplainantPii> => {
      const { identity } = this.requireReady();
      try {
        return await this.serverCall(() => this.client(identity.token).cases.complainantPii.query({ caseId }));
      } catch (error) {
        throw asAppError(error);
      } finally {
        await this.emitSync();
      }
    },
  };

  // ---- drafts -----------------------------------------------------------------------------------

  readonly drafts: WorkstationPort['drafts'] = {
    get: async (key) => {
      const { engine } = this.requireReady();
      const d = await drafts.findDraft(engine.db, parseInput(draftKeyInput, { key }).key);
      return d ? { text: d.text, savedAt: new Date(d.saved_at).toISOString() } : null;
    },
    save: async (input) => {
      const { engine } = this.requireReady();
      const v = parseInput(saveDraftInput, input);
      const savedAt = this.now();
      // Resolved once the row is written: what was typed survives closing the workstation.
      await drafts.saveDraft(engine.db, v.key, v.text, savedAt);
      return { savedAt: savedAt.toISOString() };
    },
    clear: async (key) => {
      const { engine } = this.requireReady();
      await drafts.deleteDraft(engine.db, parseInput(draftKeyInput, { key }).key);
    },
  };

  // ---- supervisor --------------------------------------------------------------------------------

  private supervisorScope() {
    const { engine, user } = this.requireReady();
    return { db: engine.db, userId: user.id, role: user.role, teamIds: user.teamIds, now: this.now() };
  }

  readonly supervisor: WorkstationPort['supervisor'] = {
    overview: async (): Promise<SupervisorOverview> => supervisor.overview(this.supervisorScope()),

    assignees: async (caseId): Promise<AssigneeOption[]> => {
      const ready = this.requireReady();
      // Memberships change on the server: ask it when it answers, else use what it said last.
      if (ready.user.role === 'supervisor' && !this.syncState.workOffline) {
        try {
          const users = await this.serverCall(() => this.client(ready.identity.token).admin.listUsers.query());
          await setMeta(ready.engine.db, supervisor.MEMBERS_META, Object.fromEntries(users.map((u) => [u.id, u.teamIds])));
        } catch {
          // Offline: the list kept from the last answer.
        }
      }
      return supervisor.assignees(this.supervisorScope(), caseId);
    },

    assign: async (input) => {
      const ready = this.requireReady();
      const v = parseInput(assignInput, input);
      try {
        await this.serverCall(() => this.client(ready.identity.token).cases.assign.mutate(v));
      } catch (error) {
        await this.emitSync();
        throw asAppError(error);
      }
      // The server has it; the local store shows it once a pull brought it. A pull may not bring it
      // yet (a failed pull on a busy server, or a change held back behind a transaction still open on
      // the server): pull again, a bounded number of times within a bounded time, before the screen is told.
      const deadline = Date.now() + ASSIGN_VISIBLE_WITHIN_MS;
      for (let attempt = 0; attempt < ASSIGN_PULL_ATTEMPTS; attempt++) {
        await this.loop.now();
        if ((await findCase(ready.engine.db, v.caseId))?.assignee_id === v.assigneeId || Date.now() >= deadline) break;
        await new Promise((resolve) => setTimeout(resolve, ASSIGN_PULL_PAUSE_MS));
      }
      this.emit({ type: 'changed', caseIds: [v.caseId] });
    },
  };

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.lock();
    this.listeners.clear();
  }
}

/** Opens the workstation engine over its data directory: locked (or signed out) until someone signs in or unlocks. */
export async function openWorkstation(options: WorkstationOptions): Promise<Workstation> {
  return new Workstation(options);
}
