// docs/evidence-formats.md and the parsers stay in step: every example in the page parses as the
// page says it does.
import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { parseTrades, type GenericMapping } from '../../../shared/evidence/trades';
import { parseActivity } from '../../../shared/evidence/activity';
import { parseChat } from '../../../shared/evidence/chat';
import { parseOnchainReferences } from '../../../shared/evidence/onchain';

const page = fs.readFileSync(path.resolve(__dirname, '../../../docs/evidence-formats.md'), 'utf8');
const examples = [...page.matchAll(/<!-- example: (\S+)(?: (.+?))? -->\n```\w*\n([\s\S]*?)```/g)].map((m) => ({ kind: m[1]!, arg: m[2], text: m[3]! }));
const dataLines = (text: string) => text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')).length;

describe('docs/evidence-formats.md examples', () => {
  it('has an example for every format', () => {
    expect(examples.map((e) => e.kind).sort()).toEqual([
      'activity',
      'activity',
      'binance_order_history',
      'binance_trade_history',
      'binance_trade_history',
      'chat',
      'chat',
      'generic',
      'okx_fills',
      'okx_order_history',
      'okx_order_history',
      'onchain',
      'onchain',
    ]);
  });

  for (const [k, e] of examples.entries()) {
    it(`example ${k + 1} (${e.kind}) parses`, () => {
      if (['binance_trade_history', 'binance_order_history', 'okx_order_history', 'okx_fills'].includes(e.kind)) {
        const r = parseTrades(e.text);
        expect(r).toMatchObject({ ok: true, format: e.kind, warnings: [] });
        if (r.ok) expect(r.records).toHaveLength(dataLines(e.text) - 1);
      } else if (e.kind === 'generic') {
        const r = parseTrades(e.text, { mapping: JSON.parse(e.arg!) as GenericMapping });
        expect(r).toMatchObject({ ok: true, format: 'generic', warnings: [] });
        if (r.ok) expect(r.records).toHaveLength(dataLines(e.text) - 1);
      } else if (e.kind === 'activity') {
        expect(parseActivity(e.text)).toMatchObject({ ok: true, warnings: [] });
      } else if (e.kind === 'chat') {
        const r = parseChat(e.text, { timeZone: e.arg });
        expect(r).toMatchObject({ ok: true, warnings: [] });
      } else if (e.kind === 'onchain') {
        const r = parseOnchainReferences(e.text);
        expect(r.ok).toBe(true);
        if (r.ok) expect(r.records.length).toBe(dataLines(e.text) - (e.text.startsWith('chain,') ? 1 : 0));
      } else {
        throw new Error(`unknown example kind ${e.kind}`);
      }
    });
  }
});
