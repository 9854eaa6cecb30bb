// The evidence parsers' shared pieces: time zones and timestamps, header names, positions in
// characters, the JSON reader with positions, and the CSV parser's field positions.
import { describe, it, expect } from 'vitest';
import { TextPositions, formatZone, headerName, parseJson, parseTimestamp, parseZone } from '../../../shared/evidence/common';
import { parseCsv } from '../../../shared/csv';

describe('time zones and timestamps', () => {
  it('parseZone reads UTC and offsets; formatZone writes them', () => {
    expect(['UTC', 'Z', 'gmt', '+08:00', '+8', '+0800', 'UTC+8', 'GMT-05:30', 'UTC +08:00', '-00:00'].map(parseZone)).toEqual([0, 0, 0, 480, 480, 480, 480, -330, 480, 0]);
    expect(['Asia/Shanghai', '+15:00', '+14:30', '+8:60', 'CST', ''].map(parseZone)).toEqual([null, null, null, null, null, null]);
    expect([0, 480, -330, 345].map(formatZone)).toEqual(['UTC', '+08:00', '-05:30', '+05:45']);
  });

  it('parseTimestamp: naive times in the given zone, offsets and epochs as they say', () => {
    expect(parseTimestamp('2026-03-01 12:00:00', 480)).toEqual({ ok: true, iso: '2026-03-01T04:00:00.000Z', naive: true });
    expect(parseTimestamp('2026/3/1 0:05', 0)).toEqual({ ok: true, iso: '2026-03-01T00:05:00.000Z', naive: true });
    expect(parseTimestamp('2026-03-01T12:00:00.123456', 0)).toEqual({ ok: true, iso: '2026-03-01T12:00:00.123Z', naive: true });
    expect(parseTimestamp('2026-03-01T12:00:00Z', 480)).toEqual({ ok: true, iso: '2026-03-01T12:00:00.000Z', naive: false });
    expect(parseTimestamp('2026-03-01 12:00:00 +0800', 0)).toEqual({ ok: true, iso: '2026-03-01T04:00:00.000Z', naive: false });
    expect(parseTimestamp('2026-03-01 12:00:00 UTC+8', 0)).toEqual({ ok: true, iso: '2026-03-01T04:00:00.000Z', naive: false });
    expect(parseTimestamp('2026-03-01 00:30:00', 480)).toEqual({ ok: true, iso: '2026-02-28T16:30:00.000Z', naive: true }); // across the day
    expect(parseTimestamp('1772366400000', 480)).toEqual({ ok: true, iso: '2026-03-01T12:00:00.000Z', naive: false });
    expect(parseTimestamp('1772366400', 480)).toEqual({ ok: true, iso: '2026-03-01T12:00:00.000Z', naive: false });
    expect(parseTimestamp('2024-02-29 00:00:00', 0)).toMatchObject({ ok: true }); // leap year
    for (const bad of ['2026-02-29 00:00:00', '2026-04-31 00:00:00', '2026-13-01 00:00:00', '2026-03-01 24:00:00', '2026-03-01 12:60:00', '2026-03-01', '1969-12-31 23:59:59', '12:00:00', 'yesterday', '177236640000', '2026-03-01 12:00:00 CST'])
      expect([bad, parseTimestamp(bad, 0).ok]).toEqual([bad, false]);
  });
});

describe('headerName', () => {
  it('folds case, spaces, punctuation and full-width forms; takes the zone out', () => {
    expect(headerName(' Date(UTC) ')).toEqual({ key: 'date', zone: 0 });
    expect(headerName('Order Time(UTC+8)')).toEqual({ key: 'order time', zone: 480 });
    expect(headerName('时间（UTC+8）')).toEqual({ key: '时间', zone: 480 });
    expect(headerName('Time (UTC+08:00)')).toEqual({ key: 'time', zone: 480 });
    expect(headerName('Time GMT-5')).toEqual({ key: 'time', zone: -300 });
    expect(headerName('Avg. Fill Price')).toEqual({ key: 'avg fill price', zone: null });
    expect(headerName('IP地址')).toEqual({ key: 'ip地址', zone: null });
    expect(headerName('User_Agent')).toEqual({ key: 'user agent', zone: null });
    expect(headerName('ＩＰ')).toEqual({ key: 'ip', zone: null });
    expect(headerName('Date(Local)')).toEqual({ key: 'date(local)', zone: null });
  });
});

describe('TextPositions', () => {
  it('gives lines and character columns, CRLF/LF/CR, BOM not a column, surrogate pairs one column', () => {
    const text = '\uFEFFab\r\n😀x\rc\nd';
    const p = new TextPositions(text);
    expect(p.at(1)).toEqual({ line: 1, column: 1 }); // 'a' after the BOM
    expect(p.at(2)).toEqual({ line: 1, column: 2 });
    expect(p.at(5)).toEqual({ line: 2, column: 1 }); // the emoji
    expect(p.at(7)).toEqual({ line: 2, column: 2 }); // 'x' after a surrogate pair
    expect(p.at(9)).toEqual({ line: 3, column: 1 });
    expect(p.at(11)).toEqual({ line: 4, column: 1 });
    expect(p.charColumn(2, 3)).toBe(2); // UTF-16 column 3 on line 2 is the second character
  });
});

describe('parseJson', () => {
  it('keeps where values start and numbers as written', () => {
    const r = parseJson('{"a": [1.50, "x", true, null], "b": {"c": -0}}');
    expect(r).toEqual({
      ok: true,
      node: {
        type: 'object',
        offset: 0,
        entries: [
          {
            key: 'a',
            keyOffset: 1,
            value: {
              type: 'array',
              offset: 6,
              items: [
                { type: 'number', offset: 7, raw: '1.50' },
                { type: 'string', offset: 13, value: 'x' },
                { type: 'boolean', offset: 18, value: true },
                { type: 'null', offset: 24 },
              ],
            },
          },
          { key: 'b', keyOffset: 31, value: { type: 'object', offset: 36, entries: [{ key: 'c', keyOffset: 37, value: { type: 'number', offset: 42, raw: '-0' } }] } },
        ],
      },
    });
    expect(parseJson('"\\u4e2d\\n\\"é"')).toEqual({ ok: true, node: { type: 'string', offset: 0, value: '中\n"é' } });
  });

  it('reports malformed JSON with the offset of the problem', () => {
    expect(parseJson('[1, 2,]')).toEqual({ ok: false, messageKey: 'evidence.json.unexpected_token', offset: 6, params: { token: ']' } });
    expect(parseJson('[01]')).toEqual({ ok: false, messageKey: 'evidence.json.bad_number', offset: 1, params: {} });
    expect(parseJson('[1e]')).toEqual({ ok: false, messageKey: 'evidence.json.bad_number', offset: 1, params: {} });
    expect(parseJson('{"a" 1}')).toEqual({ ok: false, messageKey: 'evidence.json.unexpected_token', offset: 5, params: { token: '1' } });
    expect(parseJson('"abc')).toEqual({ ok: false, messageKey: 'evidence.json.unterminated_string', offset: 0, params: {} });
    expect(parseJson('[1] x')).toEqual({ ok: false, messageKey: 'evidence.json.trailing_content', offset: 4, params: { token: 'x' } });
    expect(parseJson('')).toEqual({ ok: false, messageKey: 'evidence.json.unexpected_end', offset: 0, params: {} });
    expect(parseJson("{'a': 1}")).toEqual({ ok: false, messageKey: 'evidence.json.unexpected_token', offset: 1, params: { token: "'" } });
    expect(parseJson('[tru]')).toMatchObject({ ok: false, messageKey: 'evidence.json.unexpected_token', offset: 1 });
    expect(parseJson('['.repeat(300) + ']'.repeat(300))).toMatchObject({ ok: false, messageKey: 'evidence.json.too_deep', params: { max: 256 } });
    // Within a range: the rest of the text is not looked at.
    expect(parseJson('{"a":1}\n{"b":2}', 0, 7)).toMatchObject({ ok: true });
    expect(parseJson('{"a":1}\n{"b":2}')).toMatchObject({ ok: false, messageKey: 'evidence.json.trailing_content', offset: 8 });
  });
});

describe('parseCsv positions (shared/csv.ts extension)', () => {
  it('tells where each field starts only when asked, counting lines inside quoted fields', () => {
    expect(parseCsv('a,b\n').records[0]).toEqual({ index: 0, line: 1, fields: ['a', 'b'] });
    const r = parseCsv('\uFEFFh1,"h2"\r\n"multi\r\nline",x,\r\n', { positions: true });
    expect(r.records).toEqual([
      { index: 0, line: 1, fields: ['h1', 'h2'], offsets: [1, 4] },
      { index: 1, line: 2, fields: ['multi\r\nline', 'x', ''], offsets: [10, 24, 26] },
    ]);
    // With TextPositions: line 3, columns 7 and 9; the BOM is not a column.
    const p = new TextPositions('\uFEFFh1,"h2"\r\n"multi\r\nline",x,\r\n');
    expect([1, 4, 10, 24, 26].map((o) => p.at(o))).toEqual([
      { line: 1, column: 1 },
      { line: 1, column: 4 },
      { line: 2, column: 1 },
      { line: 3, column: 7 },
      { line: 3, column: 9 },
    ]);
  });
});
