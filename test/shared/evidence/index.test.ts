// parseEvidence: from bytes and exhibit type to records, or a failure with line and column; and
// suggestExhibitType. The original is never touched: these only read.
import { describe, it, expect } from 'vitest';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { EXHIBIT_TYPES, parseEvidence, suggestExhibitType, type ParseResult } from '../../../shared/evidence';

const enc = (s: string) => new TextEncoder().encode(s);
const cat = (...parts: (Uint8Array | number[])[]) => Uint8Array.from(parts.flatMap((p) => Array.from(p)));
const failed = (r: ParseResult) => {
  if (r.status !== 'failed') throw new Error(`expected a failure, got ${r.status}`);
  return r.error;
};
const parsed = (r: ParseResult) => {
  if (r.status !== 'parsed') throw new Error(`expected records, got ${JSON.stringify(r)}`);
  return r;
};

const u32be = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
function png(width: number, height: number): Uint8Array {
  const ihdr = [...enc('IHDR'), ...u32be(width), ...u32be(height), 8, 2, 0, 0, 0];
  return cat([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], u32be(13), ihdr, u32be(zlibCrc32(Uint8Array.from(ihdr)) >>> 0));
}
const ELF = cat([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0], new Array(56).fill(0));

const BINANCE = 'Date(UTC),Pair,Side,Price,Executed,Amount,Fee\r\n2026-03-01 12:00:00,BTCUSDT,BUY,"65,000.50",0.00100000BTC,65.0005USDT,0.00000100BTC\r\n';

describe('parseEvidence: what is refused before reading', () => {
  it('lists the exhibit types', () => {
    expect([...EXHIBIT_TYPES]).toEqual(['image', 'pdf', 'trade_records', 'order_history', 'fills', 'activity_log', 'chat_transcript', 'onchain_reference', 'document']);
  });

  it('an empty file, or one holding only a byte-order mark and blanks, is empty', () => {
    for (const type of EXHIBIT_TYPES) expect(parseEvidence({ bytes: new Uint8Array(0), type })).toEqual({ status: 'failed', error: { messageKey: 'evidence.parse.empty', params: {} } });
    expect(failed(parseEvidence({ bytes: cat([0xef, 0xbb, 0xbf], enc(' \r\n\r\n')), type: 'trade_records' }))).toEqual({ messageKey: 'evidence.parse.empty', params: {} });
  });

  it('a disallowed type behind an allowed extension or exhibit type is refused, whatever it is declared as', () => {
    for (const type of ['image', 'trade_records', 'document'] as const)
      expect(failed(parseEvidence({ bytes: ELF, type }))).toEqual({ messageKey: 'evidence.parse.disallowed_type', params: { mediaType: 'application/x-elf' } });
    expect(failed(parseEvidence({ bytes: enc('<html><script>alert(1)</script></html>'), type: 'chat_transcript' }))).toEqual({
      messageKey: 'evidence.parse.disallowed_type',
      params: { mediaType: 'text/html' },
    });
    expect(failed(parseEvidence({ bytes: enc('<svg xmlns="http://www.w3.org/2000/svg"/>'), type: 'image' }))).toMatchObject({ messageKey: 'evidence.parse.disallowed_type' });
  });

  it('an allowed type that is not what the exhibit says is a mismatch', () => {
    expect(failed(parseEvidence({ bytes: enc('%PDF-1.7\n%%EOF\n'), type: 'image' }))).toEqual({ messageKey: 'evidence.parse.type_mismatch', params: { expected: 'image', mediaType: 'application/pdf' } });
    expect(failed(parseEvidence({ bytes: png(2, 2), type: 'trade_records' }))).toEqual({ messageKey: 'evidence.parse.not_text', params: { mediaType: 'image/png' } });
    expect(failed(parseEvidence({ bytes: enc('hello'), type: 'pdf' }))).toMatchObject({ messageKey: 'evidence.parse.type_mismatch' });
  });

  it('invalid UTF-8 fails with its line and column (a GBK export, say)', () => {
    // "时间" in GBK is CA B1 BC E4. CA B1 happens to be valid UTF-8 (one character, ʱ); BC is not.
    const gbk = cat(enc('Date(UTC),Pair\r\n2026-03-01,'), [0xca, 0xb1, 0xbc, 0xe4], enc('\r\n'));
    expect(failed(parseEvidence({ bytes: gbk, type: 'trade_records' }))).toEqual({
      messageKey: 'evidence.parse.invalid_utf8',
      line: 2,
      column: 13,
      byteOffset: 29,
      params: { line: 2, column: 13, byteOffset: 29 },
    });
  });

  it('a line over the limit fails quickly, before the size limit, without reading on', () => {
    const long = enc('time,ip,device,action\n' + 'x'.repeat(5000) + '\n');
    expect(failed(parseEvidence({ bytes: long, type: 'activity_log', maxLineLength: 1000 }))).toEqual({
      messageKey: 'evidence.parse.line_too_long',
      line: 2,
      column: 1001,
      byteOffset: 1022,
      params: { line: 2, column: 1001, maxLength: 1000 },
    });
    // One long line larger than the size limit is still reported as a line too long.
    const single = new Uint8Array(3 * 1024 * 1024).fill(0x61);
    expect(failed(parseEvidence({ bytes: single, type: 'trade_records', maxTextBytes: 2 * 1024 * 1024 }))).toMatchObject({ messageKey: 'evidence.parse.line_too_long', line: 1, column: 1048577 });
    // Many short lines over the size limit: too large.
    expect(failed(parseEvidence({ bytes: enc('a\n'.repeat(600)), type: 'trade_records', maxTextBytes: 1000 }))).toEqual({ messageKey: 'evidence.parse.too_large', params: { maximum: 1000 } });
  });
});

describe('parseEvidence: records', () => {
  it('trade records, a UTF-8 BOM skipped without shifting columns; flat records with searchText', () => {
    const r = parsed(parseEvidence({ bytes: cat([0xef, 0xbb, 0xbf], enc(BINANCE)), type: 'trade_records' }));
    expect(r.metadata).toEqual({ mediaType: 'text/plain', size: 3 + enc(BINANCE).length, format: 'binance_trade_history', recordCount: 1, timeZone: 'UTC', timeZoneSource: 'header' });
    expect(r.warnings).toEqual([]);
    expect(r.records).toEqual([
      {
        seq: 1,
        line: 2,
        kind: 'trade',
        tradeKind: 'trade',
        time: '2026-03-01T12:00:00.000Z',
        symbol: 'BTC-USDT',
        side: 'buy',
        price: '65000.5',
        quantity: '0.001',
        total: '65.0005',
        fee: '0.000001',
        feeAsset: 'BTC',
        raw: { 'Date(UTC)': '2026-03-01 12:00:00', Pair: 'BTCUSDT', Side: 'BUY', Price: '65,000.50', Executed: '0.00100000BTC', Amount: '65.0005USDT', Fee: '0.00000100BTC' },
        searchText: '2026-03-01t12:00:00.000z btc-usdt buy 65000.5 0.001 btc',
      },
    ]);
    // With a BOM, a bad cell on line 1 still counts from column 1 after it.
    expect(failed(parseEvidence({ bytes: cat([0xef, 0xbb, 0xbf], enc('a"b,c\n')), type: 'trade_records' }))).toMatchObject({ messageKey: 'csv.stray_quote', line: 1, column: 2 });
  });

  it('a malformed trade file fails with line and column, warnings travel with records', () => {
    expect(failed(parseEvidence({ bytes: enc(BINANCE.replace('0.00100000BTC', '1e5')), type: 'order_history' }))).toEqual({
      messageKey: 'evidence.trade.bad_quantity',
      line: 2,
      column: 45,
      params: { line: 2, column: 45, value: '1e5' },
    });
    const r = parsed(parseEvidence({ bytes: enc('id,Time,Symbol,Action,Amount,Filled Price\n=1+1,2026-03-01 20:00:00,BTC-USDT,买入,1,65000\n'), type: 'fills' }));
    expect(r.records[0]).toMatchObject({ kind: 'trade', tradeKind: 'fill', tradeId: '=1+1', side: 'buy', time: '2026-03-01T20:00:00.000Z' });
    expect(r.metadata.timeZoneSource).toBe('assumed');
    expect(r.warnings.map((w) => [w.messageKey, w.line, w.column])).toEqual([
      ['evidence.parse.formula_cell', 2, 1],
      ['evidence.parse.time_zone_assumed', 2, 6],
    ]);
  });

  it('takes a stored mapping (strings only) with its time zone', () => {
    const mapping: Record<string, string> = { time: '成交时间', symbol: '币对', side: '方向', price: '价格', quantity: '数量', timeZone: '+08:00', kind: 'fill' };
    const r = parsed(parseEvidence({ bytes: enc('成交时间,币对,方向,价格,数量\n2026-03-01 20:00:00,ETH/USDT,卖出,"3,000",2\n'), type: 'fills', mapping }));
    expect(r.metadata.format).toBe('generic');
    expect(r.records[0]).toMatchObject({ kind: 'trade', tradeKind: 'fill', time: '2026-03-01T12:00:00.000Z', symbol: 'ETH-USDT', side: 'sell', price: '3000', quantity: '2' });
  });

  it('activity, chat and on-chain records, each with its kind and search text (Chinese kept)', () => {
    const activity = parsed(parseEvidence({ bytes: enc('时间,IP地址,设备,操作\n2026-03-01T12:00:00Z,2001:DB8::1,iPhone,登录\n'), type: 'activity_log' }));
    expect(activity.records).toEqual([
      { seq: 1, line: 2, kind: 'activity', time: '2026-03-01T12:00:00.000Z', ip: '2001:db8::1', device: 'iPhone', action: '登录', raw: { 时间: '2026-03-01T12:00:00Z', IP地址: '2001:DB8::1', 设备: 'iPhone', 操作: '登录' }, searchText: '2026-03-01t12:00:00.000z 2001:db8::1 iphone 登录' },
    ]);
    const chat = parsed(parseEvidence({ bytes: enc('[2026-03-01 12:00:05] 客服 Alice: 您好 Hello\n'), type: 'chat_transcript', timeZone: '+08:00' }));
    expect(chat.records).toEqual([{ seq: 1, line: 1, kind: 'chat', time: '2026-03-01T04:00:05.000Z', speaker: '客服 Alice', text: '您好 Hello', searchText: '2026-03-01t04:00:05.000z 客服 alice 您好 hello' }]);
    expect(chat.metadata).toMatchObject({ format: 'text', timeZone: '+08:00', timeZoneSource: 'option' });
    const onchain = parsed(parseEvidence({ bytes: enc('TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t USDT 合约\n'), type: 'onchain_reference' }));
    expect(onchain.records).toEqual([{ seq: 1, line: 1, kind: 'onchain', referenceKind: 'address', chain: 'TRON', value: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t', note: 'USDT 合约', searchText: 'tron address tr7nhqjekqxgtci8q8zy4pl8otszgjlj6t usdt 合约' }]);
    expect(failed(parseEvidence({ bytes: enc('abc\n'), type: 'onchain_reference' }))).toEqual({ messageKey: 'evidence.onchain.unknown_format', line: 1, column: 1, params: { line: 1, column: 1, value: 'abc' } });
  });

  it('images and PDFs: kept as they are, with dimensions and page count', () => {
    expect(parseEvidence({ bytes: png(640, 480), type: 'image' })).toEqual({ status: 'not_applicable', metadata: { mediaType: 'image/png', size: 33, format: 'png', width: 640, height: 480 } });
    expect(failed(parseEvidence({ bytes: png(640, 480).subarray(0, 24), type: 'image' }))).toMatchObject({ messageKey: 'evidence.media.truncated' });
    const pdf = enc('%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Count 2 /Kids [3 0 R 4 0 R] >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');
    expect(parseEvidence({ bytes: pdf, type: 'pdf' })).toEqual({ status: 'not_applicable', metadata: { mediaType: 'application/pdf', size: pdf.length, version: '1.4', pageCount: 2, pageCountMethod: 'root_count' } });
    expect(parseEvidence({ bytes: enc('any text at all'), type: 'document' })).toEqual({ status: 'not_applicable', metadata: { mediaType: 'text/plain', size: 15 } });
  });
});

describe('suggestExhibitType', () => {
  it('images and PDFs by their type; other binaries are documents', () => {
    expect(suggestExhibitType('image/png', '')).toBe('image');
    expect(suggestExhibitType('image/webp', '')).toBe('image');
    expect(suggestExhibitType('application/pdf', '')).toBe('pdf');
    expect(suggestExhibitType('image/svg+xml', '<svg/>')).toBe('document');
    expect(suggestExhibitType('application/zip', '')).toBe('document');
  });

  it('trade exports by their header, even cut mid-line', () => {
    expect(suggestExhibitType('text/plain', BINANCE)).toBe('trade_records');
    expect(suggestExhibitType('text/plain', 'Date(UTC),OrderNo,Pair,Type,Side,Order Price,Order Amount,Time,Executed,Average Price,Trading total,Status\n2026-03-01 12:00:00,83897')).toBe('order_history');
    expect(suggestExhibitType('text/plain', '\uFEFF订单编号,下单时间(UTC+8),交易品种,方向,订单类型,委托价格,委托数量,已成交数量,成交均价,手续费,手续费币种,状态\n6123')).toBe('order_history');
    expect(suggestExhibitType('text/plain', 'id,Order id,Time,Trade Type,Symbol,Action,Amount,Trading Unit,Filled Price\n901,6')).toBe('fills');
  });

  it('activity logs, chats and references by their columns, keys or lines', () => {
    expect(suggestExhibitType('text/plain', '时间,IP地址,设备,操作\n2026')).toBe('activity_log');
    expect(suggestExhibitType('text/plain', '[{"timestamp": "2026-03-01T12:00:00Z", "ip": "1.2.3.4", "device": "x", "action": "login"}, {"timest')).toBe('activity_log');
    expect(suggestExhibitType('text/plain', '[2026-03-01 12:00:05] 客服 Alice: 您好\n[2026-03-01 12:00:41] User123: 我的提币\n订单号 W1\n[2026-03-01 12:01')).toBe('chat_transcript');
    expect(suggestExhibitType('text/plain', '{"name": "support", "messages": [{"date": "2026-03-01T12:00:00", "from": "Alice", "text": "hi"}, {"da')).toBe('chat_transcript');
    expect(suggestExhibitType('text/plain', 'chain,type,value,note\nBTC,tx,4a5e')).toBe('onchain_reference');
    expect(suggestExhibitType('text/plain', '# refs\nTRON:4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b\n0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed\n')).toBe('onchain_reference');
  });

  it('anything else is a document', () => {
    expect(suggestExhibitType('text/plain', 'Dear support, I lost my funds.\nPlease help.\n')).toBe('document');
    expect(suggestExhibitType('text/plain', '')).toBe('document');
    expect(suggestExhibitType('text/plain', '{"unrelated": true}')).toBe('document');
  });
});
