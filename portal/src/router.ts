// The portal's pages, with hash history (the server serves one page, /portal/). Everything but the
// sign-in and the account setup from an invitation needs a session; the seat, setup and profile pages
// are loaded when first opened, so the sign-in and the inbox ship less.
import { createRouter, createWebHashHistory, type RouterHistory, type RouteRecordRaw } from 'vue-router';
import { useSessionStore } from './stores/session';
import SignInScreen from './screens/SignInScreen.vue';
import InboxScreen from './screens/InboxScreen.vue';

declare module 'vue-router' {
  interface RouteMeta {
    public?: boolean;
    titleKey?: string;
  }
}

export const routes: RouteRecordRaw[] = [
  { path: '/', redirect: '/seats' },
  { path: '/sign-in', name: 'sign-in', component: SignInScreen, meta: { public: true, titleKey: 'portal.signin.title' } },
  { path: '/seats', name: 'inbox', component: InboxScreen, meta: { titleKey: 'portal.inbox.title' } },
  // The invitation link's page: public (its token is the credential), loaded only when opened.
  { path: '/setup', name: 'setup', component: () => import('./screens/SetupScreen.vue'), meta: { public: true, titleKey: 'portal.setup.title' } },
  { path: '/profile', name: 'profile', component: () => import('./screens/ProfileScreen.vue'), meta: { titleKey: 'portal.profile.title' } },
  { path: '/seats/:memberId', name: 'seat', component: () => import('./screens/SeatScreen.vue'), props: true, meta: { titleKey: 'portal.nav.inbox' } },
  { path: '/:pathMatch(.*)*', redirect: '/seats' },
];

const safeRedirect = (value: unknown) => (typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') ? value : '/seats');

export function createPortalRouter(history: RouterHistory = createWebHashHistory()) {
  const router = createRouter({ history, routes });
  router.beforeEach(async (to) => {
    const session = useSessionStore();
    await session.ensureLoaded();
    if (to.meta.public) return to.name === 'sign-in' && session.signedIn ? safeRedirect(to.query.redirect) : true;
    if (!session.signedIn) return { name: 'sign-in', query: to.fullPath !== '/' && to.fullPath !== '/seats' ? { redirect: to.fullPath } : {} };
    return true;
  });
  return router;
}

export { safeRedirect };
