// The Chinese font before the first paint, as the workstation does (desktop/renderer/src/fonts.ts):
// Noto Sans SC comes in unicode-range subsets and the browser fetches one only when text needs it,
// so the first frames would draw Chinese as tofu and then jump. We ask for the subsets the portal's
// own words need, in the weights it uses, and mount when they are in or after a short timeout.
import type { Language } from '../../shared/domain';
import { portalMessages } from '../../shared/i18n/portal.messages';
import { appMessages } from '../../shared/i18n/app.messages';

/** Text (400, also standing in for Element Plus's 500) and headings and strong text (700). */
export const PORTAL_WEIGHTS = [400, 700] as const;
export const FONT_PRELOAD_TIMEOUT_MS = 1500;
const HAN = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef]/u;

/** Every distinct Chinese character of the portal's messages in this language (and the "中文" switch in English). */
export function portalCharacters(language: Language): string {
  const chars = new Set<string>();
  const texts = [...Object.values(portalMessages[language]), ...Object.values(appMessages[language]), appMessages.en['app.language.switch']];
  for (const text of texts) for (const ch of text) if (HAN.test(ch)) chars.add(ch);
  return [...chars].sort().join('');
}

/** Resolves when the subsets are loaded, failed or the timeout passed; never rejects. */
export async function preloadPortalFont(
  language: Language,
  fonts: FontFaceSet | undefined = globalThis.document?.fonts,
  timeoutMs = FONT_PRELOAD_TIMEOUT_MS,
): Promise<'loaded' | 'timeout' | 'unavailable'> {
  if (!fonts?.load) return 'unavailable';
  const text = portalCharacters(language);
  if (!text) return 'loaded';
  const loads = Promise.all(PORTAL_WEIGHTS.map((w) => fonts.load(`${w} 14px "Noto Sans SC"`, text))).then(
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
