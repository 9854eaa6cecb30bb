// The renderer's translations: vue-i18n in composition mode over shared/i18n's flat catalogs. Keys are
// flat dotted strings ('case.state.received') and parameters are `{name}`, exactly as shared/i18n's
// `translate` reads them, so the same message renders the same on the screen, in an error from the
// engine and in a dossier. vue-i18n's own message syntax is switched off: some messages contain
// '@', '|' or '{' that its compiler would treat as syntax (and no eval is needed under the CSP).
import { computed, watch } from 'vue';
import { createI18n, type MessageContext } from 'vue-i18n';
import enLocale from 'element-plus/es/locale/lang/en';
import zhCnLocale from 'element-plus/es/locale/lang/zh-cn';
import { messages } from '../../../shared/i18n';
import { LANGUAGES, type Language } from '../../../shared/domain';

export type Params = Record<string, string | number>;

const STORAGE_KEY = 'arbitra.workstation.language';

function storedLanguage(): Language | null {
  try {
    const value = globalThis.localStorage?.getItem(STORAGE_KEY);
    return (LANGUAGES as readonly string[]).includes(value ?? '') ? (value as Language) : null;
  } catch {
    return null;
  }
}

/** The language to start in: the person's last choice on this machine, else the browser's. */
export function initialLanguage(): Language {
  const stored = storedLanguage();
  if (stored) return stored;
  const nav = globalThis.navigator?.language ?? 'en';
  return nav.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

/** `{name}` replaced by the named value; unknown names stay as written (as shared/i18n's translate does). */
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
  messages: messages as Record<Language, Record<string, string>>,
  // Flat keys: look the whole key up, never walk it as a path.
  messageResolver: (obj: unknown, path: string) => {
    const value = (obj as Record<string, unknown> | null)?.[path];
    return typeof value === 'string' ? value : null;
  },
  // `{param}` substitution only: no linked messages (@), plurals (|) or HTML.
  messageCompiler: (message: unknown) => {
    const template = typeof message === 'string' ? message : '';
    return (ctx: MessageContext<string>) => substitute(template, ctx);
  },
  missingWarn: false,
  fallbackWarn: false,
  warnHtmlMessage: false,
});

type GlobalComposer = { locale: { value: string }; t: (key: string, params?: Params) => string; te: (key: string) => boolean };
const composer = i18n.global as unknown as GlobalComposer;

/** The language on screen now. */
export function currentLanguage(): Language {
  return composer.locale.value as Language;
}

const listeners = new Set<(language: Language) => void>();

/** Switches the whole app at once (no reload), remembers the choice, and tells listeners (the engine, for its errors). */
export function setLanguage(language: Language): void {
  if (!(LANGUAGES as readonly string[]).includes(language)) return;
  composer.locale.value = language;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, language);
  } catch {
    // Private mode or storage disabled: the choice lasts for this window only.
  }
}

/** Called with the new language on every switch; returns the unsubscribe function. */
export function onLanguageChange(listener: (language: Language) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

watch(
  () => composer.locale.value,
  (language) => {
    if (globalThis.document) globalThis.document.documentElement.lang = language;
    for (const listener of listeners) listener(language as Language);
  },
  { immediate: true, flush: 'sync' },
);

/** Translate outside components (stores, formatters); inside components use `useI18n().t` or `$t`. */
export function tr(key: string, params?: Params): string {
  return params ? composer.t(key, params) : composer.t(key);
}

/** Whether a message exists for this key (in the current language or English). */
export function hasKey(key: string): boolean {
  return key in messages.en;
}

/** Params that carry a case state's code ("awaiting_material"), and the one that carries a lifecycle action's. */
const STATE_PARAMS = ['status', 'state', 'from', 'to'] as const;

/**
 * Refusals and facts name states and actions by their codes ("the case is awaiting_material"): this
 * names them in words, in the language on screen. Other params, and codes with no label, are kept.
 */
export function nameParams<P extends Record<string, unknown>>(params: P | null | undefined): P {
  const named = { ...(params ?? {}) } as Record<string, unknown>;
  for (const name of STATE_PARAMS) {
    const value = named[name];
    if (typeof value === 'string' && hasKey(`case.state.${value}`)) named[name] = tr(`case.state.${value}`);
  }
  if (typeof named.action === 'string' && hasKey(`case.action.${named.action}`)) named.action = tr(`case.action.${named.action}`);
  return named as P;
}

/** A message key with params, translated, with state and action codes named in words. */
export function trNamed(key: string, params?: Record<string, unknown> | null): string {
  return tr(key, nameParams(params) as Params);
}

/** The language and a switch for components; `elementLocale` is Element Plus's own locale for el-config-provider. */
export function useLanguage() {
  const language = computed<Language>(() => composer.locale.value as Language);
  const elementLocale = computed(() => (language.value === 'zh-CN' ? zhCnLocale : enLocale));
  return {
    language,
    elementLocale,
    setLanguage,
    toggle: () => setLanguage(language.value === 'zh-CN' ? 'en' : 'zh-CN'),
  };
}
