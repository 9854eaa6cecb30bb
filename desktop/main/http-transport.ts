// The engine's transport over the server's tRPC API, authenticated with the device's own token.
import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import type { AppRouter } from '../../server/src/trpc/app-router';
import type { PullInput, PullResult, PushInput, PushResult } from '../../shared/sync/protocol';
import { TransportRefusal, type SyncTransport } from './sync-engine';

/**
 * The header the server requires on every state-changing request (server/src/http/csrf.ts): a
 * cross-site form post cannot send it.
 */
export const CSRF_HEADERS = { 'x-arbitra-csrf': '1' } as const;

export function serverClient(serverUrl: string, token: string | null | undefined, language: 'en' | 'zh-CN' = 'en') {
  return createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${serverUrl.replace(/\/$/, '')}/trpc`,
        headers: () => ({ ...(token ? { authorization: `Bearer ${token}` } : {}), 'accept-language': language, ...CSRF_HEADERS }),
      }),
    ],
  });
}

/** Server answers that are decisions (revoked, refused), as opposed to failures worth retrying. */
function refusalOf(error: unknown): TransportRefusal | null {
  if (!(error instanceof TRPCClientError)) return null;
  const data = error.data as { messageKey?: string; params?: Record<string, string | number>; httpStatus?: number } | undefined;
  if (!data?.messageKey || (data.httpStatus ?? 500) >= 500) return null;
  return new TransportRefusal(data.messageKey, data.params ?? {});
}

export class HttpTransport implements SyncTransport {
  private readonly client;
  constructor(serverUrl: string, deviceToken: string) {
    this.client = serverClient(serverUrl, deviceToken);
  }

  async push(input: PushInput): Promise<PushResult> {
    try {
      return await this.client.sync.push.mutate(input);
    } catch (error) {
      throw refusalOf(error) ?? error;
    }
  }

  async pull(input: PullInput): Promise<PullResult> {
    try {
      return (await this.client.sync.pull.query(input)) as PullResult;
    } catch (error) {
      throw refusalOf(error) ?? error;
    }
  }
}
