// The portal's translations: vue-i18n in composition mode over shared/i18n's flat message keys and
// `{param}` substitution, as the workstation's renderer reads them (desktop/renderer/src/i18n.ts), so
// a message renders the same on both apps and in the server's own errors (whatever catalog its key is
// in). Switching language changes every string on screen at once, Element Plus's own included,
// without a reload.
import { computed, watch } from 'vue';
import { createI18n, type MessageContext } from 'vue-i18n';
import enLocale from 'element-plus/es/locale/lang/en';
import zhCnLocale from 'element-plus/es/locale/lang/zh-cn';
import { messages } from '../../shared/i18n';
import { LANGUAGES, type Language } from '../../shared/domain';

export type Params = Record<string, string | number>;

const STORAGE_KEY = 'arbitra.portal.language';

const isLanguage = (value: unknown): value is Language => (LANGUAGES as readonly unknown[]).includes(value);

/** The language to start in: the person's last choice in this browser, else the browser's language. */
export function initialLanguage(): Language {
  try {
    const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (isLanguage(stored)) return stored;
  } catch {
    // Storage disabled: fall through to the browser's language.
  }
  return (globalThis.navigator?.language ?? 'en').toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

function substitute(template: string, ctx: MessageContext<string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = ctx.named(name) as unknown;
    return value === undefined || value === null ? whole : String(value);
  });
}

export const i18n = createI18n({
  legacy: false,
  globalInjection: true,
  locale: initialLanguage(),
  fallbackLocale: 'en',
  messages,
  // Flat keys: look the whole key up, never walk it as a path.
  messageResolver: (obj: unknown, path: string) => {
    const value = (obj as Record<string, unknown> | null)?.[path];
    return typeof value === 'string' ? value : null;
  },
  // `{param}` only: messages may contain '@', '|' or '{' that vue-i18n's own syntax would misread.
  messageCompiler: (message: unknown) => {
    const template = typeof message === 'string' ? message : '';
    return (ctx: MessageContext<string>) => substitute(template, ctx);
  },
  missingWarn: false,
  fallbackWarn: false,
  warnHtmlMessage: false,
});

type GlobalComposer = { locale: { value: string }; t: (key: string, params?: Params) => string };
const composer = i18n.global as unknown as GlobalComposer;

export function currentLanguage(): Language {
  return composer.locale.value as Language;
}

/** Switches every string on screen at once and remembers the choice in this browser. */
export function setLanguage(language: Language): void {
  if (!isLanguage(language)) return;
  composer.locale.value = language;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, language);
  } catch {
    // Private mode: the choice lasts for this tab only.
  }
}

// The document's language follows, so screen readers and the font fallback read Chinese as Chinese.
watch(
  () => composer.locale.value,
  (language) => {
    if (globalThis.document) globalThis.document.documentElement.lang = language;
  },
  { immediate: true, flush: 'sync' },
);

/** Translate outside components (stores, errors); inside components use `useI18n().t`. */
export function tr(key: string, params?: Params): string {
  return params ? composer.t(key, params) : composer.t(key);
}

export function hasKey(key: string): boolean {
  return key in messages.en;
}

/** The language, a switch, and Element Plus's locale for el-config-provider. */
export function useLanguage() {
  const language = computed<Language>(() => composer.locale.value as Language);
  const elementLocale = computed(() => (language.value === 'zh-CN' ? zhCnLocale : enLocale));
  return { language, elementLocale, setLanguage, toggle: () => setLanguage(language.value === 'zh-CN' ? 'en' : 'zh-CN') };
}
