// The portal's component tests talk to the real server's router over real Postgres, in process:
// tRPC's local link with the context the HTTP edge builds (server/src/http/app.ts), and a one-cookie
// jar standing in for the browser's (the session the server sets at sign-in is sent back on every
// call). Only the carrier (HTTP) is left out: happy-dom's fetch would treat the test server as
// another origin.
import { createTRPCClient, unstable_localLink } from '@trpc/client';
import { createPinia, setActivePinia } from 'pinia';
import { appRouter, type AppRouter } from '../../server/src/trpc/app-router';
import type { TrpcContext } from '../../server/src/trpc/trpc';
import { createSession, resolveActor, tokenProblem } from '../../server/src/auth/session.service';
import { provideApi, type PortalClient } from '../../portal/src/api/client';
import { currentLanguage } from '../../portal/src/i18n';
import type { TestServer } from '../support/server';

export interface PortalTestClient {
  client: PortalClient;
  /** The session "cookie": set by auth.login, cleared by auth.logout. */
  jar: { token: string | null };
}

export function portalTestClient(server: TestServer, token: string | null = null): PortalTestClient {
  const jar = { token };
  const client = createTRPCClient<AppRouter>({
    links: [
      unstable_localLink({
        router: appRouter,
        createContext: async (): Promise<TrpcContext> => {
          const actor = await resolveActor(server.t.db, jar.token);
          return {
            db: server.t.db,
            config: server.config,
            actor,
            authProblem: actor ? null : await tokenProblem(server.t.db, jar.token),
            meta: { requestId: 'portal-test', ip: '127.0.0.1', userAgent: 'portal-test', language: currentLanguage() },
            setSessionCookie: (value) => void (jar.token = value),
            log: { error: () => undefined },
            changes: null,
            dossierQueue: null,
          };
        },
      }),
    ],
  });
  return { client, jar };
}

/** A fresh Pinia and the portal's API client, signed in as this user (a browser session, TOTP passed) or signed out. */
export async function providePortal(server: TestServer, userId: string | null): Promise<PortalTestClient> {
  setActivePinia(createPinia());
  const token = userId ? (await createSession(server.t.db, { userId, kind: 'browser', totpVerified: true, ip: '127.0.0.1', userAgent: 'portal-test' })).token : null;
  const api = portalTestClient(server, token);
  provideApi(api.client);
  return api;
}

/** A platform user's client (legal, a specialist) through the same in-process link, to set the scene. */
export async function staffClient(server: TestServer, userId: string) {
  const { token } = await createSession(server.t.db, { userId, kind: 'cli', totpVerified: true, ip: '127.0.0.1', userAgent: 'portal-test' });
  return portalTestClient(server, token).client as ReturnType<TestServer['client']>;
}
