// What both carriers of the workstation contract (loopback HTTP + SSE, Electron IPC) share: the
// context every call runs in, the language errors are translated into, and the error shape a refusal
// of the carrier itself (no key, wrong origin) is sent in — the same shape the router's own errors have.
import { randomUUID } from 'node:crypto';
import { getTRPCErrorFromUnknown, getTRPCErrorShape, TRPCError, type TRPCProcedureType } from '@trpc/server';
import type { Language } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import { KIND_TO_CODE } from '../../../shared/trpc-errors';
import type { WorkstationPort } from '../../contract/types';
import type { ContractErrorPayload } from '../../contract/ipc-bridge';
import { workstationRouter, type ContractContext } from './router';

export interface ContractRuntime {
  /** The context of one call; `requestLanguage` is the caller's preference when the person has not chosen yet. */
  context(requestLanguage?: Language): ContractContext;
  /** The contract's error shape (message key, field, params, translated message) for anything thrown. */
  errorShape(error: unknown, call: { ctx: ContractContext; type?: TRPCProcedureType | 'unknown'; path?: string; input?: unknown }): ContractErrorShape;
  /** A refusal of the carrier (no key, a foreign origin) as the contract's error shape. */
  refusal(error: AppError, requestLanguage?: Language): ContractErrorShape;
  /** Stops following the engine's events. */
  close(): void;
}

/** What a failed call answers, over HTTP (`{ error: shape }`) and IPC alike. */
export type ContractErrorShape = ContractErrorPayload;

export interface ContractRuntimeOptions {
  /** The language before anyone has signed in or chosen one, when the caller does not say. */
  fallbackLanguage?: Language;
  /** Where internal errors (never shown to the person) are logged. */
  logError?: (error: unknown, requestId: string) => void;
}

function defaultLogError(error: unknown, requestId: string): void {
  process.stderr.write(`Arbitra workstation: request ${requestId} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
}

/**
 * The person's language follows the engine: the signed-in user's language from the session events,
 * and every successful `session.setLanguage` (so a language switched before signing in counts too).
 */
export function createContractRuntime(port: WorkstationPort, options: ContractRuntimeOptions = {}): ContractRuntime {
  const logError = options.logError ?? defaultLogError;
  let chosen: Language | null = null;
  let closed = false;
  const unsubscribe = port.sync.subscribe((event) => {
    if (event.type === 'session' && event.status.user) chosen = event.status.user.language;
  });
  void port.session
    .status()
    .then((status) => {
      if (!closed && chosen === null && status.user) chosen = status.user.language;
    })
    .catch(() => undefined);

  // The port the router sees: the engine's, with setLanguage remembered once it succeeded.
  const tracked: WorkstationPort = {
    ...port,
    session: {
      ...port.session,
      status: () => port.session.status(),
      signIn: (input) => port.session.signIn(input),
      unlock: (password) => port.session.unlock(password),
      signOut: () => port.session.signOut(),
      async setLanguage(language) {
        await port.session.setLanguage(language);
        chosen = language;
      },
    },
  };

  const context = (requestLanguage?: Language): ContractContext => ({
    port: tracked,
    language: () => chosen ?? requestLanguage ?? options.fallbackLanguage ?? 'zh-CN',
    requestId: randomUUID(),
    logError,
  });

  const errorShape: ContractRuntime['errorShape'] = (error, call) =>
    getTRPCErrorShape({
      config: workstationRouter._def._config,
      error: getTRPCErrorFromUnknown(error),
      type: call.type ?? 'unknown',
      path: call.path,
      input: call.input,
      ctx: call.ctx,
    }) as ContractErrorShape;

  return {
    context,
    errorShape,
    refusal(error, requestLanguage) {
      const ctx = context(requestLanguage);
      return errorShape(new TRPCError({ code: KIND_TO_CODE[error.kind], message: error.messageKey, cause: error }), { ctx });
    },
    close() {
      closed = true;
      unsubscribe();
    },
  };
}
