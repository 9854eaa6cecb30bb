// Account activity logs: CSV or JSON, IP addresses checked and made canonical.
import { describe, it, expect } from 'vitest';
import { normalizeIp, parseActivity, type ParseActivityResult } from '../../../shared/evidence/activity';

const ok = (r: ParseActivityResult) => {
  if (!r.ok) throw new Error(`expected success, got ${JSON.stringify(r.error)}`);
  return r;
};
const err = (r: ParseActivityResult) => {
  if (r.ok) throw new Error('expected an error');
  return r.error;
};

describe('normalizeIp', () => {
  it('accepts IPv4 and IPv6 and writes them canonically (RFC 5952)', () => {
    const cases: [string, string][] = [
      ['203.0.113.7', '203.0.113.7'],
      [' 0.0.0.0 ', '0.0.0.0'],
      ['255.255.255.255', '255.255.255.255'],
      ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
      ['2001:0db8:0000:0000:0001:0000:0000:0001', '2001:db8::1:0:0:1'], // the first longest run
      ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // a single zero group is not compressed
      ['::', '::'],
      ['::1', '::1'],
      ['fe80::', 'fe80::'],
      ['[2001:db8::1]', '2001:db8::1'],
      ['::ffff:192.0.2.1', '::ffff:192.0.2.1'],
      ['::FFFF:C000:0201', '::ffff:192.0.2.1'],
      ['64:ff9b::192.0.2.33', '64:ff9b::c000:221'],
      ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
    ];
    for (const [input, expected] of cases) expect([input, normalizeIp(input)]).toEqual([input, expected]);
  });

  it('refuses what is not an address', () => {
    for (const bad of ['1.2.3.256', '1.2.3', '1.2.3.4.5', '010.0.0.1', '1.2.3.4:8080', 'fe80::1%eth0', '1:2:3:4:5:6:7:8:9', '1::2::3', '12345::1', 'g::1', ':1', '1:2:3:4:5:6:7::8:9', 'localhost', '', '::1.2.3'])
      expect([bad, normalizeIp(bad)]).toEqual([bad, null]);
  });
});

describe('parseActivity: CSV', () => {
  it('reads a Chinese export with the zone in the header', () => {
    const r = ok(
      parseActivity(
        '时间(UTC+8),IP地址,设备,操作,登录地点,结果\r\n' +
          '2026-03-01 20:00:00,203.0.113.7,iPhone 15 (iOS 19.1),登录,上海,成功\r\n' +
          '2026-03-01 20:03:12,2001:DB8:0:0:0:0:0:1,Chrome 140 / Windows,提币申请 0.5 BTC,Frankfurt,成功\r\n',
      ),
    );
    expect(r.source).toBe('csv');
    expect(r.timeZone).toBe('+08:00');
    expect(r.warnings).toEqual([]);
    expect(r.records).toEqual([
      {
        seq: 1,
        line: 2,
        time: '2026-03-01T12:00:00.000Z',
        ip: '203.0.113.7',
        device: 'iPhone 15 (iOS 19.1)',
        action: '登录',
        location: '上海',
        result: '成功',
        raw: { '时间(UTC+8)': '2026-03-01 20:00:00', IP地址: '203.0.113.7', 设备: 'iPhone 15 (iOS 19.1)', 操作: '登录', 登录地点: '上海', 结果: '成功' },
      },
      expect.objectContaining({ seq: 2, line: 3, time: '2026-03-01T12:03:12.000Z', ip: '2001:db8::1', action: '提币申请 0.5 BTC', location: 'Frankfurt' }),
    ]);
  });

  it('accepts English synonyms and an empty device', () => {
    const r = ok(parseActivity('Timestamp,IP Address,Device Name,Event,Status,User-Agent\n2026-03-01T12:00:00Z,198.51.100.23,,password_change,failed,Mozilla/5.0\n'));
    expect(r.records[0]).toEqual({
      seq: 1,
      line: 2,
      time: '2026-03-01T12:00:00.000Z',
      ip: '198.51.100.23',
      device: '',
      action: 'password_change',
      result: 'failed',
      userAgent: 'Mozilla/5.0',
      raw: { Timestamp: '2026-03-01T12:00:00Z', 'IP Address': '198.51.100.23', 'Device Name': '', Event: 'password_change', Status: 'failed', 'User-Agent': 'Mozilla/5.0' },
    });
  });

  it('reports a bad IP at its line and column, after a multi-line quoted field', () => {
    const text = 'time,device,action,ip\n2026-03-01 12:00:00,"iPhone\n(new)",登录,1.2.3.4\n2026-03-01 12:00:01,"Pixel",登录,1.2.3.256\n';
    expect(err(parseActivity(text, { timeZone: 'UTC' }))).toEqual({
      messageKey: 'evidence.activity.bad_ip',
      line: 4,
      column: 32,
      params: { line: 4, column: 32, value: '1.2.3.256' },
    });
  });

  it('names a missing column and a missing value', () => {
    expect(err(parseActivity('time,ip,action\n2026-03-01 12:00:00,1.2.3.4,login\n'))).toEqual({
      messageKey: 'evidence.header.missing_column',
      line: 1,
      column: 1,
      params: { line: 1, column: 1, name: 'device' },
    });
    expect(err(parseActivity('time,ip,device,action\n2026-03-01 12:00:00,,iPhone,login\n'))).toEqual({
      messageKey: 'evidence.parse.missing_value',
      line: 2,
      column: 21,
      params: { line: 2, column: 21, name: 'ip' },
    });
  });

  it('warns when the zone is assumed, and flags formula cells', () => {
    const r = ok(parseActivity('time,ip,device,action\n2026-03-01 12:00:00,1.2.3.4,"=HYPERLINK(""http://x"")",login\n'));
    expect(r.timeZoneSource).toBe('assumed');
    expect(r.warnings.map((w) => [w.messageKey, w.line, w.column])).toEqual([
      ['evidence.parse.formula_cell', 2, 29],
      ['evidence.parse.time_zone_assumed', 2, 1],
    ]);
  });
});

describe('parseActivity: JSON', () => {
  it('reads an array of objects, epochs and ISO times', () => {
    const r = ok(
      parseActivity(
        '[\n  {"timestamp": "2026-03-01T12:00:00Z", "ip": "203.0.113.7", "device": "iPhone", "action": "login", "result": "success"},\n  {"timestamp": 1772366592000, "ip": "198.51.100.23", "device": "Chrome / Windows", "action": "withdrawal_request"}\n]\n',
      ),
    );
    expect(r.source).toBe('json');
    expect(r.records).toEqual([
      { seq: 1, line: 2, time: '2026-03-01T12:00:00.000Z', ip: '203.0.113.7', device: 'iPhone', action: 'login', result: 'success', raw: { timestamp: '2026-03-01T12:00:00Z', ip: '203.0.113.7', device: 'iPhone', action: 'login', result: 'success' } },
      { seq: 2, line: 3, time: '2026-03-01T12:03:12.000Z', ip: '198.51.100.23', device: 'Chrome / Windows', action: 'withdrawal_request', raw: { timestamp: '1772366592000', ip: '198.51.100.23', device: 'Chrome / Windows', action: 'withdrawal_request' } },
    ]);
  });

  it('reads JSON lines and wrapped arrays; reports a bad IP in a JSON line at its position', () => {
    const lines = '{"time":"2026-03-01 12:00:00","ip":"::1","device":"d","action":"a"}\n{"time":"2026-03-01 12:00:01","ip":"1.2.3.4","device":"d","action":"b"}\n';
    expect(ok(parseActivity(lines, { timeZone: 'UTC' })).records.map((x) => [x.line, x.ip, x.action])).toEqual([
      [1, '::1', 'a'],
      [2, '1.2.3.4', 'b'],
    ]);
    const wrapped = '{"records": [{"时间": "2026-03-01T12:00:00Z", "IP地址": "1.2.3.4", "设备": "d", "操作": "登录"}]}';
    expect(ok(parseActivity(wrapped)).records[0]).toMatchObject({ ip: '1.2.3.4', action: '登录' });
    const bad = '{"time":"2026-03-01T12:00:00Z","ip":"1.2.3.4","device":"d","action":"a"}\n{"time":"2026-03-01T12:00:01Z","ip":"999.1.1.1","device":"d","action":"b"}\n';
    expect(err(parseActivity(bad))).toEqual({ messageKey: 'evidence.activity.bad_ip', line: 2, column: 37, params: { line: 2, column: 37, value: '999.1.1.1' } });
  });

  it('reports malformed JSON, a missing key and a non-object entry with their positions', () => {
    expect(err(parseActivity('[\n {"time": "2026-03-01T12:00:00Z", "ip": "1.2.3.4" "device": "d"}\n]'))).toEqual({
      messageKey: 'evidence.json.unexpected_token',
      line: 2,
      column: 51,
      params: { line: 2, column: 51, token: '"' },
    });
    expect(err(parseActivity('[{"time": "2026-03-01T12:00:00Z", "ip": "1.2.3.4", "device": "d"}]'))).toEqual({
      messageKey: 'evidence.parse.missing_field',
      line: 1,
      column: 2,
      params: { line: 1, column: 2, name: 'action' },
    });
    expect(err(parseActivity('[1]'))).toMatchObject({ messageKey: 'evidence.json.not_object', line: 1, column: 2 });
  });
});
