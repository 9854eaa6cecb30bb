// The portal's one way to the server: a tRPC client typed by the server's AppRouter (a type import
// only, erased from the bundle), on the same origin, with the session in the httpOnly cookie the
// server sets at sign-in. Every request says the language on screen (the server translates its
// errors into it) and carries the CSRF header every mutation needs (server/src/http/csrf.ts).
import { createTRPCClient, httpBatchLink, type TRPCLink } from '@trpc/client';
import type { AnyTRPCRouter } from '@trpc/server';
import type { AppRouter } from '#app-router';
import { currentLanguage } from '../i18n';

export const CSRF_HEADER = 'x-arbitra-csrf';
export const LANGUAGE_HEADER = 'x-arbitra-language';

// Under the browser-only check AppRouter is `any` (tsconfig.web.json): the client is then `any` too,
// rather than tRPC's decoration of an unknown router.
type ClientOf<R extends AnyTRPCRouter> = 0 extends 1 & R ? any : ReturnType<typeof createTRPCClient<R>>;
export type PortalClient = ClientOf<AppRouter>;

export function portalLinks(url = `${globalThis.location?.origin ?? ''}/trpc`): TRPCLink<AppRouter>[] {
  return [
    httpBatchLink({
      url,
      headers: () => ({ [CSRF_HEADER]: '1', [LANGUAGE_HEADER]: currentLanguage() }),
      fetch: (input, init) => fetch(input, { ...init, credentials: 'same-origin' }),
    }),
  ];
}

export function createPortalClient(links: TRPCLink<AppRouter>[] = portalLinks()): PortalClient {
  return createTRPCClient<AppRouter>({ links }) as PortalClient;
}

let current: PortalClient | null = null;

/** Set once at start-up (main.ts), or by a test with its own links. */
export function provideApi(client: PortalClient): void {
  current = client;
}

export function useApi(): PortalClient {
  if (!current) throw new Error('The portal API client is not set (provideApi in main.ts).');
  return current;
}
