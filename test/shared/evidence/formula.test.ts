// CSV injection: formula-like cells are recognised, and every CSV export neutralises them.
import { describe, it, expect } from 'vitest';
import { isFormulaLike, isFormulaWarning, neutralizeFormula, toSafeCsv } from '../../../shared/evidence/formula';
import { parseCsv } from '../../../shared/csv';

describe('isFormulaLike', () => {
  it('flags the OWASP triggers, also after spaces', () => {
    for (const cell of [
      '=HYPERLINK("http://x","y")',
      `+cmd|' /C calc'!A0`,
      '@SUM(1)',
      '-2+3',
      '=1+1',
      '  =HYPERLINK("http://evil")',
      '\t=1+1',
      '\tplain text after a tab',
      '\rcarriage return',
      '-',
      '+',
      '@',
      '＝HYPERLINK("http://x")', // full-width equals sign
      '-1e5',
      '-12.5abc',
    ])
      expect([cell, isFormulaLike(cell)]).toEqual([cell, true]);
  });

  it('leaves plain numbers, including negative ones, and ordinary text alone', () => {
    for (const cell of ['-12.5', '-0.0001', '+3', '-1,234.50', ' -12.5 ', '12.5', 'BTC-USDT', 'a=b', '', '   ', '客服 Alice', "'=already neutral"])
      expect([cell, isFormulaLike(cell)]).toEqual([cell, false]);
  });
});

describe('isFormulaWarning', () => {
  it('does not flag the dashes exports write for no value, which are still neutralised on export', () => {
    expect(['-', '--', ' -- ', '+'].map(isFormulaWarning)).toEqual([false, false, false, false]);
    expect(neutralizeFormula('--')).toBe("'--");
    expect(['=1+1', '-2+3', '@SUM(1)', '---x', '\t'].map(isFormulaWarning)).toEqual([true, true, true, true, true]);
    expect(isFormulaWarning('-12.5')).toBe(false);
  });
});

describe('neutralizeFormula and toSafeCsv', () => {
  it('prefixes a single quote to formula-like cells only', () => {
    expect(neutralizeFormula('=HYPERLINK("http://x","y")')).toBe(`'=HYPERLINK("http://x","y")`);
    expect(neutralizeFormula(`+cmd|' /C calc'!A0`)).toBe(`'+cmd|' /C calc'!A0`);
    expect(neutralizeFormula('@SUM(1)')).toBe("'@SUM(1)");
    expect(neutralizeFormula('-2+3')).toBe("'-2+3");
    expect(neutralizeFormula('\t=1')).toBe("'\t=1");
    expect(neutralizeFormula('-12.5')).toBe('-12.5');
    expect(neutralizeFormula('hello')).toBe('hello');
  });

  it('quotes every cell (RFC 4180), doubles quotes, ends records with CRLF', () => {
    const csv = toSafeCsv([
      ['seq', 'status', 'note'],
      ['1', '=HYPERLINK("http://evil","click")', 'say "hi", twice\nplease'],
      ['2', `+cmd|' /C calc'!A0`, '-12.5'],
    ]);
    expect(csv).toBe(
      '"seq","status","note"\r\n' +
        `"1","'=HYPERLINK(""http://evil"",""click"")","say ""hi"", twice\nplease"\r\n` +
        `"2","'+cmd|' /C calc'!A0","-12.5"\r\n`,
    );
    // Read back, no cell starts a formula any more, and the text is otherwise intact.
    const back = parseCsv(csv).records.map((r) => r.fields);
    expect(back[1]).toEqual(['1', `'=HYPERLINK("http://evil","click")`, 'say "hi", twice\nplease']);
    for (const row of back) for (const cell of row) expect(isFormulaLike(cell)).toBe(false);
  });

  it('writes a byte-order mark when asked (Excel and Chinese text), nothing for no rows', () => {
    expect(toSafeCsv([['客服']], { bom: true })).toBe('\uFEFF"客服"\r\n');
    expect(toSafeCsv([])).toBe('');
  });
});
