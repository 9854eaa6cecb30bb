// The workstation renderer: Vue, Pinia, the router, translations, Element Plus, the bundled Chinese
// font, and the contract client (Electron IPC in the app, loopback HTTP + SSE in browser mode).
import { createApp } from 'vue';
import { createPinia } from 'pinia';
import '@fontsource/noto-sans-sc/400.css';
import '@fontsource/noto-sans-sc/500.css';
import '@fontsource/noto-sans-sc/700.css';
import 'element-plus/dist/index.css';
import './styles.css';
import App from './App.vue';
import { createContractClient } from './contract/client';
import { provideContract } from './contract';
import { ipcLink } from '../../contract/ipc-link';
import type { ArbitraBridge } from '../../contract/ipc-bridge';
import type { WorkstationRouter } from '../../main/contract/router';
import { currentLanguage, i18n } from './i18n';
import { preloadChromeFont } from './fonts';
import { createAppRouter } from './router';
import { useSyncStore } from './stores/sync';

// In the Electron app the preload exposes the IPC carrier; in a browser it is absent and the client
// talks to the loopback server that served this page.
const bridge = (window as unknown as { arbitra?: Partial<ArbitraBridge> }).arbitra;
provideContract(createContractClient(bridge?.contract ? ipcLink<WorkstationRouter>(bridge.contract) : null));

const app = createApp(App);
const pinia = createPinia();
app.use(pinia).use(i18n).use(createAppRouter());
useSyncStore(pinia).connect();
// The Chinese subsets of the chrome first (bounded by a short timeout), so the first paint has no tofu.
void preloadChromeFont(currentLanguage()).then(() => app.mount('#app'));
