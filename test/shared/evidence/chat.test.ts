// Chat transcripts: text exports with continuation lines, JSON (also malformed, with positions), CSV.
import { describe, it, expect } from 'vitest';
import { parseChat, type ParseChatResult } from '../../../shared/evidence/chat';

const ok = (r: ParseChatResult) => {
  if (!r.ok) throw new Error(`expected success, got ${JSON.stringify(r.error)}`);
  return r;
};
const err = (r: ParseChatResult) => {
  if (r.ok) throw new Error('expected an error');
  return r.error;
};

describe('parseChat: text', () => {
  it('reads bracketed and bare timestamps, Chinese speakers, full-width colons and continuation lines', () => {
    const text = [
      '[2026-03-01 12:00:05] 客服 Alice: 您好,请问有什么可以帮您?',
      '[2026-03-01 12:00:41] User123: 我的提币 0.5 BTC 三天了还没到账',
      '订单号 W20260226-0001',
      '',
      '截图见附件',
      '',
      '2026-03-01 12:01:10 客服 Alice：已为您查询,请稍候。',
      '[2026-03-01 12:02:00] User123: ok: thanks',
      '',
    ].join('\r\n');
    const r = ok(parseChat(text, { timeZone: '+08:00' }));
    expect(r.source).toBe('text');
    expect(r.warnings).toEqual([]);
    expect(r.records).toEqual([
      { seq: 1, line: 1, time: '2026-03-01T04:00:05.000Z', speaker: '客服 Alice', text: '您好,请问有什么可以帮您?' },
      { seq: 2, line: 2, time: '2026-03-01T04:00:41.000Z', speaker: 'User123', text: '我的提币 0.5 BTC 三天了还没到账\n订单号 W20260226-0001\n\n截图见附件' },
      { seq: 3, line: 7, time: '2026-03-01T04:01:10.000Z', speaker: '客服 Alice', text: '已为您查询,请稍候。' },
      { seq: 4, line: 8, time: '2026-03-01T04:02:00.000Z', speaker: 'User123', text: 'ok: thanks' },
    ]);
  });

  it('assumes UTC (with one warning) when no zone is given; an offset in the line wins', () => {
    const r = ok(parseChat('2026-03-01 12:00:05 User123: hello\n2026-03-01 12:00:06 User123: again\n[2026-03-01T12:00:07+08:00] Bob: hi\n'));
    expect(r.records.map((x) => x.time)).toEqual(['2026-03-01T12:00:05.000Z', '2026-03-01T12:00:06.000Z', '2026-03-01T04:00:07.000Z']);
    expect(r.timeZoneSource).toBe('assumed');
    expect(r.warnings).toEqual([{ messageKey: 'evidence.parse.time_zone_assumed', line: 1, column: 1, params: { line: 1, column: 1, timeZone: 'UTC' } }]);
  });

  it('treats a bracket that is not a timestamp as text', () => {
    const r = ok(parseChat('[2026-03-01 12:00:05] Alice: see\n[image] receipt.png\n', { timeZone: 'UTC' }));
    expect(r.records).toEqual([{ seq: 1, line: 1, time: '2026-03-01T12:00:05.000Z', speaker: 'Alice', text: 'see\n[image] receipt.png' }]);
  });

  it('reports a transcript that does not start with a message, a missing speaker, an impossible date', () => {
    expect(err(parseChat('  hello there\n[2026-03-01 12:00:05] Alice: hi\n'))).toEqual({
      messageKey: 'evidence.chat.no_timestamp',
      line: 1,
      column: 3,
      params: { line: 1, column: 3 },
    });
    expect(err(parseChat('[2026-03-01 12:00:05] Alice: hi\n[2026-03-01 12:00:06] 系统通知 用户已离开\n', { timeZone: 'UTC' }))).toEqual({
      messageKey: 'evidence.chat.missing_speaker',
      line: 2,
      column: 23,
      params: { line: 2, column: 23 },
    });
    expect(err(parseChat('[2026-03-01 12:00:05] Alice: hi\n[2026-02-30 12:00:06] Bob: hi\n', { timeZone: 'UTC' }))).toEqual({
      messageKey: 'evidence.parse.bad_time',
      line: 2,
      column: 2,
      params: { line: 2, column: 2, value: '2026-02-30 12:00:06' },
    });
  });
});

describe('parseChat: JSON and CSV', () => {
  it('reads an array with from/text keys and Chinese speakers', () => {
    const r = ok(parseChat('[\n  {"time": "2026-03-01T04:00:05Z", "from": "客服 Alice", "text": "您好"},\n  {"time": "2026-03-01T04:00:41Z", "from": "User123", "text": "hello"}\n]'));
    expect(r.source).toBe('json');
    expect(r.records).toEqual([
      { seq: 1, line: 2, time: '2026-03-01T04:00:05.000Z', speaker: '客服 Alice', text: '您好' },
      { seq: 2, line: 3, time: '2026-03-01T04:00:41.000Z', speaker: 'User123', text: 'hello' },
    ]);
  });

  it('reads a wrapped export with text given in pieces (Telegram style) and epoch times', () => {
    const r = ok(
      parseChat('{"name": "support", "messages": [{"id": 1, "date": "1772337605", "from": "Alice", "text": ["see ", {"type": "link", "text": "https://example.com"}, " please"]}]}'),
    );
    expect(r.records).toEqual([{ seq: 1, line: 1, time: '2026-03-01T04:00:05.000Z', speaker: 'Alice', text: 'see https://example.com please' }]);
  });

  it('reports malformed JSON at its line and column', () => {
    // A missing comma between two objects on line 3.
    expect(err(parseChat('[\n  {"time": "2026-03-01T04:00:05Z", "from": "A", "text": "x"}\n  {"time": "2026-03-01T04:00:06Z", "from": "B", "text": "y"}\n]'))).toEqual({
      messageKey: 'evidence.json.unexpected_token',
      line: 3,
      column: 3,
      params: { line: 3, column: 3, token: '{' },
    });
    // A string closed too early (the quote after 客服 is missing): the next key is unexpected.
    expect(err(parseChat('[{"time": "2026-03-01T04:00:05Z",\n "from": "客服, "text": "x"}]'))).toMatchObject({ messageKey: 'evidence.json.unexpected_token', line: 2, column: 16, params: { token: 't' } });
    expect(err(parseChat('[{"time": "2026-03-01T04:00:05Z", "from": "A", "text": "x\n"}]'))).toEqual({
      messageKey: 'evidence.json.control_character',
      line: 1,
      column: 58,
      params: { line: 1, column: 58, token: 'U+000A' },
    });
    expect(err(parseChat('[{"time": "2026-03-01T04:00:05Z", "from": "A", "text": "x"},]'))).toMatchObject({ messageKey: 'evidence.json.unexpected_token', line: 1, column: 61, params: { token: ']' } });
    expect(err(parseChat('[{"time": "2026-03-01T04:00:05Z", "from": "A", "text": "x"}'))).toMatchObject({ messageKey: 'evidence.json.unexpected_end', line: 1, column: 60 });
    expect(err(parseChat('[{"time": "2026-03-01T04:00:05Z", "from": "A", "text": "\\q"}]'))).toMatchObject({ messageKey: 'evidence.json.bad_escape', line: 1, column: 57 });
  });

  it('reports a message without a speaker at its value', () => {
    expect(err(parseChat('[{"time": "2026-03-01T04:00:05Z", "from": " ", "text": "x"}]'))).toEqual({
      messageKey: 'evidence.parse.missing_value',
      line: 1,
      column: 43,
      params: { line: 1, column: 43, name: 'speaker' },
    });
  });

  it('reads a CSV transcript with a header', () => {
    const r = ok(parseChat('时间,发送者,内容\n2026-03-01 12:00:05,客服 Alice,"您好,\n请问"\n', { timeZone: '+08:00' }));
    expect(r.source).toBe('csv');
    expect(r.records).toEqual([{ seq: 1, line: 2, time: '2026-03-01T04:00:05.000Z', speaker: '客服 Alice', text: '您好,\n请问' }]);
  });
});
