// The workstation contract: the one tRPC router the renderer talks to, over Electron IPC in the app
// and over loopback HTTP + SSE in browser mode (same router, two carriers). Procedures validate with
// desktop/contract's schemas and call the engine through WorkstationPort; they hold no logic.
// Browser-safe imports only (no Node, no engine code): the renderer takes this router's type.
import { initTRPC, TRPCError } from '@trpc/server';
import { z } from 'zod';
import { AppError } from '../../../shared/errors';
import { errorShape, KIND_TO_CODE, toAppError } from '../../../shared/trpc-errors';
import { LANGUAGES, type Language } from '../../../shared/domain';
import type { WorkstationEvent, WorkstationPort } from '../../contract/types';
import {
  assignInput,
  caseIdInput,
  caseMutationInputs,
  draftKeyInput,
  queueQueryInput,
  queueCountInput,
  rejectionInput,
  retryRejectionInput,
  saveDraftInput,
  saveViewInput,
  signInInput,
  timelineInput,
  unlockInput,
  viewIdInput,
  type CaseMutationName,
} from '../../contract/schemas';

export interface ContractContext {
  port: WorkstationPort;
  /** The language errors are translated into: the person's current choice. */
  language: () => Language;
  requestId: string;
  /** Logs what the person must not see (an internal error's cause). */
  logError: (error: unknown, requestId: string) => void;
}

const t = initTRPC.context<ContractContext>().create({
  errorFormatter({ shape, error, ctx }) {
    const app = toAppError(error);
    const requestId = ctx?.requestId ?? 'unknown';
    if (!app) ctx?.logError(error.cause ?? error, requestId);
    return { code: shape.code, ...errorShape(app, ctx?.language() ?? 'en', requestId, shape.data.httpStatus) };
  },
});

/** AppErrors leave with the code of their kind, so the HTTP carrier answers 400/401/404/409, not 500. */
const errorMapping = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const app = toAppError(result.error);
    if (app && result.error.code !== KIND_TO_CODE[app.kind]) throw new TRPCError({ code: KIND_TO_CODE[app.kind], cause: app, message: app.messageKey });
  }
  return result;
});

const open = t.procedure.use(errorMapping);

/** Everything but the session and the sync status needs an unlocked workstation. */
const unlocked = open.use(async ({ ctx, next }) => {
  const status = await ctx.port.session.status();
  if (status.state !== 'ready') throw new AppError('unauthenticated', status.state === 'revoked' ? 'workstation.session.revoked' : 'workstation.session.locked');
  return next();
});

const languageInput = z.strictObject({ language: z.enum(LANGUAGES) });
const workOfflineInput = z.strictObject({ workOffline: z.boolean() });

/** One procedure per case mutation: its input is the sync protocol's schema without the engine-assigned id. */
function caseMutation<N extends CaseMutationName>(name: N) {
  return unlocked.input(caseMutationInputs[name]).mutation(({ ctx, input }) => ctx.port.cases.mutate(name, input as never));
}

/** Events for one subscriber, buffered (bounded: a stalled renderer loses old sync-status events, never blocks the engine). */
async function* events(port: WorkstationPort, signal: AbortSignal | undefined): AsyncGenerator<WorkstationEvent> {
  const MAX_BUFFERED = 1000;
  const queue: WorkstationEvent[] = [];
  let wake: (() => void) | null = null;
  const unsubscribe = port.sync.subscribe((event) => {
    if (queue.length >= MAX_BUFFERED) queue.shift();
    queue.push(event);
    wake?.();
  });
  const aborted = new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true }));
  try {
    // The renderer starts from the current state, then follows changes.
    yield { type: 'session', status: await port.session.status() };
    yield { type: 'sync', status: await port.sync.status() };
    while (!signal?.aborted) {
      const next = queue.shift();
      if (next) {
        yield next;
        continue;
      }
      await Promise.race([new Promise<void>((resolve) => (wake = resolve)), aborted]);
      wake = null;
    }
  } finally {
    unsubscribe();
  }
}

export const workstationRouter = t.router({
  session: t.router({
    status: open.query(({ ctx }) => ctx.port.session.status()),
    signIn: open.input(signInInput).mutation(({ ctx, input }) => ctx.port.session.signIn(input)),
    unlock: open.input(unlockInput).mutation(({ ctx, input }) => ctx.port.session.unlock(input.password)),
    signOut: open.mutation(({ ctx }) => ctx.port.session.signOut()),
    setLanguage: open.input(languageInput).mutation(({ ctx, input }) => ctx.port.session.setLanguage(input.language)),
  }),
  sync: t.router({
    status: open.query(({ ctx }) => ctx.port.sync.status()),
    now: unlocked.mutation(({ ctx }) => ctx.port.sync.now()),
    setWorkOffline: unlocked.input(workOfflineInput).mutation(({ ctx, input }) => ctx.port.sync.setWorkOffline(input.workOffline)),
    rejections: unlocked.query(({ ctx }) => ctx.port.sync.rejections()),
    dismiss: unlocked.input(rejectionInput).mutation(({ ctx, input }) => ctx.port.sync.dismiss(input.seq)),
    retry: unlocked.input(retryRejectionInput).mutation(({ ctx, input }) => ctx.port.sync.retry(input)),
    events: open.subscription(({ ctx, signal }) => events(ctx.port, signal)),
  }),
  queue: t.router({
    list: unlocked.input(queueQueryInput).query(({ ctx, input }) => ctx.port.queue.list(input)),
    page: unlocked.input(queueQueryInput).query(({ ctx, input }) => ctx.port.queue.page(input)),
    count: unlocked.input(queueCountInput).query(({ ctx, input }) => ctx.port.queue.count(input)),
    views: unlocked.query(({ ctx }) => ctx.port.queue.views()),
    saveView: unlocked.input(saveViewInput).mutation(({ ctx, input }) => ctx.port.queue.saveView(input)),
    removeView: unlocked.input(viewIdInput).mutation(({ ctx, input }) => ctx.port.queue.removeView(input.id)),
    directory: unlocked.query(({ ctx }) => ctx.port.queue.directory()),
  }),
  cases: t.router({
    get: unlocked.input(caseIdInput).query(({ ctx, input }) => ctx.port.cases.get(input.caseId)),
    timeline: unlocked.input(timelineInput).query(({ ctx, input }) => ctx.port.cases.timeline(input)),
    work: unlocked.input(caseIdInput).query(({ ctx, input }) => ctx.port.cases.work(input.caseId)),
    markRead: unlocked.input(caseIdInput).mutation(({ ctx, input }) => ctx.port.cases.markRead(input.caseId)),
    revealPii: unlocked.input(caseIdInput).mutation(({ ctx, input }) => ctx.port.cases.revealPii(input.caseId)),
    addNote: caseMutation('addNote'),
    addConsultation: caseMutation('addConsultation'),
    answerConsultation: caseMutation('answerConsultation'),
    logCommunication: caseMutation('logCommunication'),
    setAssessment: caseMutation('setAssessment'),
    proposeRemedy: caseMutation('proposeRemedy'),
    withdrawRemedy: caseMutation('withdrawRemedy'),
    transition: caseMutation('transition'),
    classify: caseMutation('classify'),
    recordSatisfaction: caseMutation('recordSatisfaction'),
    updateCaseFields: caseMutation('updateCaseFields'),
  }),
  drafts: t.router({
    get: unlocked.input(draftKeyInput).query(({ ctx, input }) => ctx.port.drafts.get(input.key)),
    save: unlocked.input(saveDraftInput).mutation(({ ctx, input }) => ctx.port.drafts.save(input)),
    clear: unlocked.input(draftKeyInput).mutation(({ ctx, input }) => ctx.port.drafts.clear(input.key)),
  }),
  supervisor: t.router({
    overview: unlocked.query(({ ctx }) => ctx.port.supervisor.overview()),
    assignees: unlocked.input(caseIdInput).query(({ ctx, input }) => ctx.port.supervisor.assignees(input.caseId)),
    assign: unlocked.input(assignInput).mutation(({ ctx, input }) => ctx.port.supervisor.assign(input)),
  }),
});

export type WorkstationRouter = typeof workstationRouter;
export const createContractCaller = t.createCallerFactory(workstationRouter);
