// The RFC 4180 parser: what a spreadsheet or an exchange's export can put in a CSV file, and how
// malformed input is reported (line and column) without losing the rest of the file.
import { describe, expect, it } from 'vitest';
import { parseCsv, parseCsvObjects } from '../../shared/csv';
import { translate } from '../../shared/i18n';

const fields = (text: string, options?: Parameters<typeof parseCsv>[1]) => {
  const r = parseCsv(text, options);
  expect(r.errors).toEqual([]);
  return r.records.map((rec) => rec.fields);
};

describe('parseCsv: well-formed input', () => {
  it('splits plain records and fields', () => {
    expect(fields('a,b,c\n1,2,3\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ]);
  });

  it('reads the last record with or without a trailing line break, and never invents an empty one', () => {
    expect(fields('a,b\n1,2')).toEqual([['a', 'b'], ['1', '2']]);
    expect(fields('a,b\n1,2\n')).toEqual([['a', 'b'], ['1', '2']]);
    expect(fields('a,b\r\n1,2\r\n')).toEqual([['a', 'b'], ['1', '2']]);
    expect(fields('a,b\n1,2\n', { skipEmptyLines: false })).toEqual([['a', 'b'], ['1', '2']]);
    expect(fields('')).toEqual([]);
  });

  it('accepts CRLF, LF and lone CR line endings, mixed', () => {
    expect(fields('a\r\nb\nc\rd')).toEqual([['a'], ['b'], ['c'], ['d']]);
  });

  it('drops a leading byte-order mark, and only a leading one', () => {
    expect(fields('\uFEFFexternalRef,channel\r\nx,email\r\n')).toEqual([['externalRef', 'channel'], ['x', 'email']]);
    expect(fields('a,\uFEFFb')).toEqual([['a', '\uFEFFb']]);
  });

  it('keeps empty fields, at the start, middle and end of a record', () => {
    expect(fields(',a,,b,\n')).toEqual([['', 'a', '', 'b', '']]);
    expect(fields('a,b\n,\n')).toEqual([['a', 'b'], ['', '']]);
  });

  it('unquotes quoted fields, with embedded delimiters, doubled quotes and line breaks kept as written', () => {
    expect(fields('"a,b","say ""hi""","line 1\nline 2","crlf\r\ninside"\n')).toEqual([['a,b', 'say "hi"', 'line 1\nline 2', 'crlf\r\ninside']]);
  });

  it('keeps a quoted empty field and a field that is only a doubled quote', () => {
    expect(fields('"",""""\n')).toEqual([['', '"']]);
    // A line holding only "" is a record with one empty field, not a blank line.
    expect(fields('a\n""\nb')).toEqual([['a'], [''], ['b']]);
  });

  it('keeps spaces around values (RFC 4180: spaces are part of a field)', () => {
    expect(fields(' a , b \n')).toEqual([[' a ', ' b ']]);
  });

  it('keeps Chinese text, emoji and numbers as they are written: values stay strings', () => {
    expect(fields('描述,金额\n"提币未到账,已等 3 天",0.000000000000000001\n😀,1e5\n')).toEqual([
      ['描述', '金额'],
      ['提币未到账,已等 3 天', '0.000000000000000001'],
      ['😀', '1e5'],
    ]);
  });

  it('skips blank lines by default and keeps them as one empty field when asked', () => {
    expect(fields('a\n\n\nb\n')).toEqual([['a'], ['b']]);
    expect(fields('a\n\nb\n', { skipEmptyLines: false })).toEqual([['a'], [''], ['b']]);
  });

  it('numbers records and tells on which line each starts, counting line breaks inside quotes', () => {
    const r = parseCsv('h1,h2\r\n"multi\r\nline",x\r\n\r\nlast,y\r\n');
    expect(r.records.map((rec) => [rec.index, rec.line])).toEqual([
      [0, 1],
      [1, 2],
      [2, 5],
    ]);
  });

  it('takes another one-character delimiter, and refuses a quote or line break as one', () => {
    expect(fields('a;"b;c"\n1;2', { delimiter: ';' })).toEqual([['a', 'b;c'], ['1', '2']]);
    expect(fields('a\tb', { delimiter: '\t' })).toEqual([['a', 'b']]);
    expect(() => parseCsv('a', { delimiter: '"' })).toThrow(RangeError);
    expect(() => parseCsv('a', { delimiter: '\n' })).toThrow(RangeError);
    expect(() => parseCsv('a', { delimiter: ';;' })).toThrow(RangeError);
  });

  it('handles a large file in linear time', () => {
    const row = '"ticket-1","a, b","line\nbreak",1200.25\n';
    const text = row.repeat(50_000);
    const started = Date.now();
    const r = parseCsv(text);
    expect(r.records).toHaveLength(50_000);
    expect(r.records[49_999]!.line).toBe(99_999);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe('parseCsv: malformed input', () => {
  it('reports an unterminated quote where the quote opened', () => {
    const r = parseCsv('a,b\n1,"never closed\n2,3\n');
    expect(r.records.map((x) => x.fields)).toEqual([['a', 'b']]);
    expect(r.errors).toEqual([{ messageKey: 'csv.unterminated_quote', line: 2, column: 3, record: 1, params: { line: 2, column: 3 } }]);
  });

  it('reports a stray quote inside an unquoted field, and goes on with the next line', () => {
    const r = parseCsv('a,b\nab"c,d\ne,f\n');
    expect(r.records.map((x) => [x.index, x.fields])).toEqual([
      [0, ['a', 'b']],
      [2, ['e', 'f']],
    ]);
    expect(r.errors).toEqual([{ messageKey: 'csv.stray_quote', line: 2, column: 3, record: 1, params: { line: 2, column: 3 } }]);
  });

  it('reports text after a closing quote', () => {
    const r = parseCsv('x\n"ab"c,d\nok\n');
    expect(r.errors).toEqual([{ messageKey: 'csv.text_after_quote', line: 2, column: 5, record: 1, params: { line: 2, column: 5 } }]);
    expect(r.records.map((x) => x.fields)).toEqual([['x'], ['ok']]);
  });

  it('counts lines and columns after multi-line quoted fields, CRLF and the BOM', () => {
    const r = parseCsv('\uFEFFh1,h2\r\n"one\r\ntwo",x\r\nfine,"bad"!\r\nlast,1\r\n');
    expect(r.errors).toEqual([{ messageKey: 'csv.text_after_quote', line: 4, column: 11, record: 2, params: { line: 4, column: 11 } }]);
    expect(r.records.map((x) => x.fields)).toEqual([['h1', 'h2'], ['one\r\ntwo', 'x'], ['last', '1']]);
    // The BOM is not a column: a stray quote right at the start of line 1 is column 2.
    expect(parseCsv('\uFEFFa"b').errors[0]).toMatchObject({ line: 1, column: 2 });
  });

  it('reports several bad records in one pass', () => {
    const r = parseCsv('h\na"\nok1\n"x"y\nok2\n"open');
    expect(r.errors.map((e) => [e.messageKey, e.line, e.column, e.record])).toEqual([
      ['csv.stray_quote', 2, 2, 1],
      ['csv.text_after_quote', 4, 4, 3],
      ['csv.unterminated_quote', 6, 1, 5],
    ]);
    expect(r.records.map((x) => x.fields[0])).toEqual(['h', 'ok1', 'ok2']);
  });

  it('has an English and a Chinese message for every error, with line and column filled in', () => {
    const r = parseCsv('a\n"x"y\nb"\n"open');
    for (const e of r.errors) {
      const en = translate('en', e.messageKey, e.params);
      const zh = translate('zh-CN', e.messageKey, e.params);
      expect(en).not.toBe(e.messageKey);
      expect(en).toContain(String(e.line));
      expect(zh).toMatch(/[\u4e00-\u9fff]/);
      expect(zh).toContain(`第 ${e.line} 行`);
      expect(zh).not.toContain('{');
    }
  });
});

describe('parseCsvObjects', () => {
  it('maps each data row to the header’s column names, with 1-based row and line numbers', () => {
    const r = parseCsvObjects('externalRef,description\r\nT-1,"two\r\nlines"\r\nT-2,plain\r\n');
    expect(r.header).toEqual(['externalRef', 'description']);
    expect(r.errors).toEqual([]);
    expect(r.rows).toEqual([
      { row: 1, line: 2, values: { externalRef: 'T-1', description: 'two\r\nlines' } },
      { row: 2, line: 4, values: { externalRef: 'T-2', description: 'plain' } },
    ]);
  });

  it('reports rows with too few or too many fields and keeps the rest', () => {
    const r = parseCsvObjects('a,b\n1,2\n3\n4,5,6\n7,8\n');
    expect(r.rows.map((x) => x.row)).toEqual([1, 4]);
    expect(r.errors).toEqual([
      { messageKey: 'csv.field_count', line: 3, column: 1, record: 2, row: 2, params: { line: 3, column: 1, found: 1, expected: 2 } },
      { messageKey: 'csv.field_count', line: 4, column: 1, record: 3, row: 3, params: { line: 4, column: 1, found: 3, expected: 2 } },
    ]);
  });

  it('gives row numbers to malformed rows in order with the others', () => {
    const r = parseCsvObjects('a,b\n1,2\n3,"4\n');
    expect(r.rows.map((x) => x.row)).toEqual([1]);
    expect(r.errors).toEqual([expect.objectContaining({ messageKey: 'csv.unterminated_quote', row: 2, line: 3, column: 3 })]);
  });

  it('has no header for empty input or a malformed first record', () => {
    expect(parseCsvObjects('')).toEqual({ header: null, rows: [], errors: [] });
    expect(parseCsvObjects('\uFEFF\r\n\r\n').header).toBeNull();
    const bad = parseCsvObjects('a"b,c\n1,2\n');
    expect(bad.header).toBeNull();
    expect(bad.errors[0]).toMatchObject({ messageKey: 'csv.stray_quote', line: 1, column: 2 });
  });

  it('treats a header-only file as no rows', () => {
    expect(parseCsvObjects('a,b\r\n')).toEqual({ header: ['a', 'b'], rows: [], errors: [] });
  });
});
