// The arbitration portal: Vue, Pinia, the router, translations, Element Plus (per component: each
// screen imports the components it uses, element.css their styles), the bundled Chinese font, and
// the tRPC client of the server that served this page.
import { createApp } from 'vue';
import { createPinia } from 'pinia';
// Noto Sans SC's unicode-range subsets: the browser fetches only the files whose glyphs a page shows.
// Two weights: medium (500) text is drawn with the regular face, which halves the font CSS.
import '@fontsource/noto-sans-sc/400.css';
import '@fontsource/noto-sans-sc/700.css';
import './element.css';
import './styles.css';
import App from './App.vue';
import { createPortalClient, provideApi } from './api/client';
import { currentLanguage, i18n } from './i18n';
import { preloadPortalFont } from './fonts';
import { createPortalRouter } from './router';

provideApi(createPortalClient());
const app = createApp(App).use(createPinia()).use(i18n).use(createPortalRouter());
void preloadPortalFont(currentLanguage()).then(() => app.mount('#app'));
