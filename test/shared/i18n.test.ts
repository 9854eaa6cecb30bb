// Every message a person can be shown exists in both languages, and every key the code uses has
// a message: the scan reads the sources for message-key literals passed to errors and refinements.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { messages, translate, languageFromHeader } from '../../shared/i18n';

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return sources(p);
    return /\.(ts|vue)$/.test(d.name) && !d.name.endsWith('.d.ts') && !d.name.endsWith('.messages.ts') ? [p] : [];
  });
}

// A key literal where the code hands it to a person: an error, a refinement's message, a field.
const KEY = String.raw`(?:error|validation|auth|admin|case|intake|lifecycle|evidence|rules|csv|sla|app|members)\.[a-z0-9_]+(?:\.[a-z0-9_]+)*`;
const CONTEXT = String.raw`(?:AppError\(\s*'[a-z_]+',\s*|badInput\(\s*|conflict\(\s*|forbidden\(\s*|notFound\(\s*|messageKey:\s*|message:\s*|error:\s*)`;
// Validation keys are messages wherever they stand (refine's second argument, regex messages).
const KEY_LITERAL = new RegExp(`${CONTEXT}['\`](${KEY})['\`]|['\`](validation\\.[a-z0-9_.]+)['\`]`, 'g');

describe('messages', () => {
  it('have the same keys in English and Chinese, and no empty text', () => {
    expect(Object.keys(messages['zh-CN']).sort()).toEqual(Object.keys(messages.en).sort());
    for (const lang of ['en', 'zh-CN'] as const) for (const [k, v] of Object.entries(messages[lang])) expect(v.trim(), `${lang} ${k}`).not.toBe('');
  });

  it('Chinese texts are Chinese, English texts are not', () => {
    const han = /\p{Script=Han}/u;
    // Pure formats ('{row}:{message}') and names that are the same in both languages are not texts.
    const prose = (v: string) => /[A-Za-z]{3,}/.test(v.replace(/\{\w+\}/g, ''));
    const untranslated = Object.entries(messages['zh-CN']).filter(([k, v]) => !han.test(v) && prose(v) && !k.startsWith('case.tier.') && !/^[A-Za-z0-9 .]+$/.test(v));
    expect(untranslated).toEqual([]);
    expect(Object.entries(messages.en).filter(([k, v]) => han.test(v) && k !== 'app.language.switch')).toEqual([]);
  });

  it('use the same placeholders in both languages', () => {
    const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(messages.en)) expect(names(messages['zh-CN'][key]!), key).toEqual(names(messages.en[key]!));
  });

  it('cover every message key the code can raise', () => {
    const missing = new Set<string>();
    for (const file of [...sources('shared'), ...sources('server/src'), ...sources('desktop'), ...sources('portal')]) {
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(KEY_LITERAL)) {
        const key = (m[1] ?? m[2])!;
        // Keys composed at run time (`lifecycle.refused.${reason}`) are checked by their own tests.
        if (!(key in messages.en)) missing.add(`${key} (${file})`);
      }
    }
    expect([...missing]).toEqual([]);
  });

  it('fill placeholders and fall back to English, then to the key', () => {
    expect(translate('en', 'validation.too_long', { maximum: 5 })).toContain('5');
    expect(translate('zh-CN', 'validation.too_long', { maximum: 5 })).toContain('5');
    expect(translate('zh-CN', 'no.such.key')).toBe('no.such.key');
  });

  it('pick the language from Accept-Language', () => {
    expect(languageFromHeader('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh-CN');
    expect(languageFromHeader('en-GB,en;q=0.9,zh;q=0.1')).toBe('en');
    expect(languageFromHeader('fr-FR, zh-TW;q=0.5')).toBe('zh-CN');
    expect(languageFromHeader(undefined)).toBe('en');
  });
});
