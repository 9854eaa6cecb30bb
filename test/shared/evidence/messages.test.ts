// Every message key the evidence parsers can produce has an English and a Chinese text, with the
// same placeholders, and messages about a place in a file say which line (第 … 行).
import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { evidenceMessages } from '../../../shared/i18n/evidence.messages';
import { domainMessages } from '../../../shared/i18n/domain.messages';

const dir = path.resolve(__dirname, '../../../shared/evidence');
const sources = fs.readdirSync(dir).filter((f) => f.endsWith('.ts'));
const used = new Set<string>();
for (const file of sources) {
  const text = fs.readFileSync(path.join(dir, file), 'utf8');
  for (const m of text.matchAll(/'((?:evidence|csv)\.[a-z0-9_]+(?:\.[a-z0-9_]+)+)'/g)) used.add(m[1]!);
}
const en: Record<string, string> = evidenceMessages.en;
const zh: Record<string, string> = evidenceMessages['zh-CN'];
const placeholders = (t: string) => [...t.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const translate = (table: Record<string, string>, key: string, params: Record<string, string | number>) => table[key]!.replace(/\{(\w+)\}/g, (m, n: string) => (n in params ? String(params[n]) : m));

describe('evidence messages', () => {
  it('finds the keys in the sources', () => {
    expect(sources).toEqual(expect.arrayContaining(['trades.ts', 'activity.ts', 'chat.ts', 'onchain.ts', 'media.ts', 'index.ts', 'common.ts', 'lines.ts']));
    expect(used.size).toBeGreaterThan(50);
    expect(used).toContain('evidence.trade.bad_price');
    expect(used).toContain('evidence.parse.invalid_utf8');
  });

  it('has every evidence key used, in both languages, and no others', () => {
    const evidenceKeys = [...used].filter((k) => k.startsWith('evidence.')).sort();
    expect(evidenceKeys.filter((k) => !(k in en))).toEqual([]);
    expect(evidenceKeys.filter((k) => !(k in zh))).toEqual([]);
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    expect(Object.keys(en).filter((k) => !used.has(k))).toEqual([]);
  });

  it('leaves CSV syntax errors to the existing csv.* messages', () => {
    for (const key of ['csv.unterminated_quote', 'csv.stray_quote', 'csv.text_after_quote', 'csv.field_count', ...[...used].filter((k) => k.startsWith('csv.'))]) {
      expect(domainMessages.en).toHaveProperty([key]);
      expect(domainMessages['zh-CN']).toHaveProperty([key]);
    }
  });

  it('uses the same placeholders in both languages, and Chinese in the Chinese text', () => {
    for (const key of Object.keys(en)) {
      expect([key, placeholders(zh[key]!)]).toEqual([key, placeholders(en[key]!)]);
      expect([key, /[\u4e00-\u9fff]/.test(zh[key]!)]).toEqual([key, true]);
      if (en[key]!.includes('{line}')) expect([key, zh[key]!.includes('第 {line} 行')]).toEqual([key, true]);
    }
  });

  it('reads naturally with the values filled in', () => {
    const params = { line: 12, column: 7, value: '6500O' };
    expect(translate(en, 'evidence.trade.bad_price', params)).toBe('Line 12, column 7: the price “6500O” is not a plain decimal.');
    expect(translate(zh, 'evidence.trade.bad_price', params)).toBe('第 12 行第 7 列:价格“6500O”不是有效的十进制数。');
    expect(translate(zh, 'evidence.parse.invalid_utf8', { line: 3, column: 9, byteOffset: 120 })).toBe('第 3 行第 9 列:此处不是有效的 UTF-8 编码(第 120 字节)。请以 UTF-8 编码重新导出。');
  });
});
