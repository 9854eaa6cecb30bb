// The Chinese font before the first paint. Noto Sans SC comes in ~100 unicode-range subsets per
// weight and the browser fetches a subset only when text needs it, so the first frames drew Chinese
// as tofu (or in a fallback face) and then jumped. At start-up we ask for the subsets that the
// chrome's own words need (the Han characters of the messages on screen: shell, queue, workspace,
// case states) in the weights the chrome uses, and mount when they are in, or after a short
// timeout: a slow disk never holds the window blank for long.
import { messages } from '../../../shared/i18n';
import type { Language } from '../../../shared/domain';

/** The weights the UI uses: text (400), Element Plus buttons and tabs (500), headings and strong (600/700 → 700). */
export const CHROME_WEIGHTS = [400, 500, 700] as const;
export const FONT_PRELOAD_TIMEOUT_MS = 1500;

const CHROME_PREFIXES = ['ui.', 'app.', 'workspace.', 'desktop.', 'workstation.', 'case.state.', 'case.action.', 'case.priority.', 'case.tier.', 'dossier.field.'];
const HAN = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef]/u;

/** Every distinct Chinese character (and full-width mark) of the chrome's messages in this language. */
export function chromeCharacters(language: Language): string {
  const chars = new Set<string>();
  for (const [key, text] of Object.entries(messages[language])) {
    if (!CHROME_PREFIXES.some((p) => key.startsWith(p))) continue;
    for (const ch of text) if (HAN.test(ch)) chars.add(ch);
  }
  // The language switch reads "中文" in English too.
  for (const ch of messages.en['ui.language.short.zh-CN'] ?? '') if (HAN.test(ch)) chars.add(ch);
  return [...chars].sort().join('');
}

/**
 * Loads the chrome's subsets of Noto Sans SC; resolves when they are loaded, failed, or the timeout
 * passed, whichever is first. Never rejects (a font is not worth a blank window).
 */
export async function preloadChromeFont(language: Language, fonts: FontFaceSet | undefined = globalThis.document?.fonts, timeoutMs = FONT_PRELOAD_TIMEOUT_MS): Promise<'loaded' | 'timeout' | 'unavailable'> {
  if (!fonts?.load) return 'unavailable';
  const text = chromeCharacters(language);
  if (!text) return 'loaded';
  const loads = Promise.all(CHROME_WEIGHTS.map((w) => fonts.load(`${w} 13px "Noto Sans SC"`, text))).then(
    () => 'loaded' as const,
    () => 'unavailable' as const,
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    return await Promise.race([loads, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
