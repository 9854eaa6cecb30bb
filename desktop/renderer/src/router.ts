// The renderer's routes, with hash history so the same build works from file:// in Electron and from
// the loopback server in browser mode. Each case is its own route (/cases/:caseId), so a case opens in
// a new tab or window by its address. Everything but the sign-in screen needs a ready session; the
// supervisor screen needs a supervisor or an admin.
import { createRouter, createWebHashHistory, type RouterHistory, type RouteRecordRaw } from 'vue-router';
import { useSessionStore } from './stores/session';
import QueueScreen from './screens/QueueScreen.vue';
import SignInScreen from './screens/SignInScreen.vue';

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without a ready session. */
    public?: boolean;
    /** Roles allowed; all signed-in roles when absent. */
    roles?: readonly string[];
    /** The message key of the page title. */
    titleKey?: string;
  }
}

export const SUPERVISOR_ROLES = ['supervisor', 'admin'] as const;

export const routes: RouteRecordRaw[] = [
  { path: '/', redirect: '/queue' },
  { path: '/sign-in', name: 'sign-in', component: SignInScreen, meta: { public: true, titleKey: 'ui.signin.title' } },
  { path: '/queue', name: 'queue', component: QueueScreen, meta: { titleKey: 'ui.nav.queue' } },
  { path: '/cases/:caseId', name: 'case', component: () => import('./workspace/CaseWorkspace.vue'), props: true, meta: { titleKey: 'ui.nav.case' } },
  {
    path: '/supervisor',
    name: 'supervisor',
    component: () => import('./screens/SupervisorScreen.vue'),
    meta: { roles: SUPERVISOR_ROLES, titleKey: 'ui.nav.supervisor' },
  },
  { path: '/:pathMatch(.*)*', redirect: '/queue' },
];

export function createAppRouter(history: RouterHistory = createWebHashHistory()) {
  const router = createRouter({ history, routes });
  router.beforeEach(async (to) => {
    const session = useSessionStore();
    await session.ensureLoaded();
    if (to.meta.public) {
      // A ready workstation has nothing to sign in to: back where the person was going.
      if (to.name === 'sign-in' && session.ready) return typeof to.query.redirect === 'string' && to.query.redirect.startsWith('/') ? to.query.redirect : '/queue';
      return true;
    }
    if (!session.ready) return { name: 'sign-in', query: to.fullPath && to.fullPath !== '/' ? { redirect: to.fullPath } : {} };
    if (to.meta.roles && !to.meta.roles.includes(session.role ?? '')) return { name: 'queue' };
    return true;
  });
  return router;
}
