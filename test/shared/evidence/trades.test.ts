// Trade records, order history and fills: OKX and Binance exports, the generic mapping, and
// malformed rows reported at the line and column of the offending cell.
import { describe, it, expect } from 'vitest';
import { detectTradeFormat, normalizeSide, normalizeSymbol, parseDecimal, parseTrades, type ParseTradesResult } from '../../../shared/evidence/trades';
import { toSafeCsv, isFormulaLike } from '../../../shared/evidence/formula';

const ok = (r: ParseTradesResult) => {
  if (!r.ok) throw new Error(`expected success, got ${JSON.stringify(r.error)}`);
  return r;
};
const err = (r: ParseTradesResult) => {
  if (r.ok) throw new Error('expected an error');
  return r.error;
};
const csv = (...lines: string[]) => lines.join('\r\n') + '\r\n';

describe('detectTradeFormat', () => {
  it('recognises each export by its header', () => {
    expect(detectTradeFormat(['Date(UTC)', 'Pair', 'Side', 'Price', 'Executed', 'Amount', 'Fee'])).toBe('binance_trade_history');
    expect(detectTradeFormat(['Date(UTC)', 'Market', 'Type', 'Price', 'Amount', 'Total', 'Fee', 'Fee Coin'])).toBe('binance_trade_history');
    expect(
      detectTradeFormat(['Date(UTC)', 'OrderNo', 'Pair', 'Type', 'Side', 'Order Price', 'Order Amount', 'Time', 'Executed', 'Average Price', 'Trading total', 'Status']),
    ).toBe('binance_order_history');
    expect(
      detectTradeFormat(['Order ID', 'Order Time(UTC+8)', 'Instrument', 'Side', 'Order Type', 'Order Price', 'Order Amount', 'Filled', 'Avg. Fill Price', 'Fee', 'Fee Currency', 'Status']),
    ).toBe('okx_order_history');
    expect(detectTradeFormat(['id', 'Order id', 'Time', 'Trade Type', 'Symbol', 'Action', 'Amount', 'Trading Unit', 'Filled Price', 'PnL', 'Fee', 'Fee Unit'])).toBe('okx_fills');
  });

  it('accepts case, spacing, full-width and Chinese variants', () => {
    expect(detectTradeFormat([' date(utc) ', 'PAIR', 'side ', 'price', 'EXECUTED', 'amount', 'fee'])).toBe('binance_trade_history');
    expect(detectTradeFormat(['日期（UTC）', '交易对', '方向', '价格', '已成交', '成交额', '手续费'])).toBe('binance_trade_history');
    expect(detectTradeFormat(['订单编号', '下单时间(UTC+8)', '交易品种', '方向', '订单类型', '委托价格', '委托数量', '已成交数量', '成交均价', '手续费', '手续费币种', '状态'])).toBe(
      'okx_order_history',
    );
    expect(detectTradeFormat(['成交ID', '订单ID', '成交时间', '交易品种', '方向', '成交数量', '成交价格', '手续费', '手续费单位'])).toBe('okx_fills');
    expect(detectTradeFormat(['ordId', 'cTime', 'instId', 'side', 'ordType', 'px', 'sz', 'accFillSz', 'avgPx', 'fee', 'feeCcy', 'state'])).toBe('okx_order_history');
  });

  it('returns null for anything else', () => {
    expect(detectTradeFormat(['Trade Time', 'Market', 'Direction', 'Deal Price', 'Volume'])).toBeNull();
    expect(detectTradeFormat(['time', 'ip', 'device', 'action'])).toBeNull();
    expect(detectTradeFormat([])).toBeNull();
  });
});

describe('values', () => {
  it('parseDecimal: plain decimals, canonical, thousands separators out, exponents refused', () => {
    expect(parseDecimal('1,234.5')).toEqual({ ok: true, value: '1234.5' });
    expect(parseDecimal(' 0.00100000 ')).toEqual({ ok: true, value: '0.001' });
    expect(parseDecimal('56000.00')).toEqual({ ok: true, value: '56000' });
    expect(parseDecimal('0.000000000000000000000001')).toEqual({ ok: true, value: '0.000000000000000000000001' });
    expect(parseDecimal('-0.0001', { signed: true })).toEqual({ ok: true, value: '-0.0001' });
    expect(parseDecimal('-0', { signed: true })).toEqual({ ok: true, value: '0' });
    for (const bad of ['1e5', '1E-3', '-1', '.5', '5.', '1,23', '1,2345', 'NaN', 'Infinity', '0x10', '1.2.3', '', '12 345', '٣'])
      expect([bad, parseDecimal(bad).ok]).toEqual([bad, false]);
  });

  it('parseDecimal: an asset after the number, the pair’s assets first', () => {
    expect(parseDecimal('0.00100000BTC', { assets: ['BTC', 'USDT'] })).toEqual({ ok: true, value: '0.001', asset: 'BTC' });
    expect(parseDecimal('65.0005 USDT', { assets: true })).toEqual({ ok: true, value: '65.0005', asset: 'USDT' });
    expect(parseDecimal('0.51INCH', { assets: ['1INCH', 'USDT'] })).toEqual({ ok: true, value: '0.5', asset: '1INCH' });
    expect(parseDecimal('1e5', { assets: true })).toEqual({ ok: false });
    expect(parseDecimal('BTC', { assets: true })).toEqual({ ok: false });
    expect(parseDecimal('6500O', { assets: true })).toEqual({ ok: false }); // a one-letter "asset" is a typo
    expect(parseDecimal('1ETH', { assets: ['BTC', 'USDT'] })).toEqual({ ok: false });
  });

  it('normalizeSymbol and normalizeSide', () => {
    expect(normalizeSymbol('BTCUSDT')).toBe('BTC-USDT');
    expect(normalizeSymbol('ethbtc')).toBe('ETH-BTC');
    expect(normalizeSymbol('BTC/USDT')).toBe('BTC-USDT');
    expect(normalizeSymbol('btc_usdt')).toBe('BTC-USDT');
    expect(normalizeSymbol('BTC-USDT-SWAP')).toBe('BTC-USDT-SWAP');
    expect(normalizeSymbol('ETHFDUSD')).toBe('ETH-FDUSD');
    expect(normalizeSymbol('币安人生USDT')).toBe('币安人生-USDT');
    expect(normalizeSymbol('ＢＴＣ／ＵＳＤＴ')).toBe('BTC-USDT');
    expect(normalizeSymbol('XYZ')).toBe('XYZ');
    for (const bad of ['', '=HYPERLINK("x")', 'BTC USDT!', 'BTC--USDT']) expect([bad, normalizeSymbol(bad)]).toEqual([bad, null]);
    expect(['BUY', 'Sell', '买入', '卖出', '买', 'open long', 'Close Long', '开空', 'bid'].map(normalizeSide)).toEqual(['buy', 'sell', 'buy', 'sell', 'buy', 'buy', 'sell', 'sell', 'buy']);
    expect(normalizeSide('hold')).toBeNull();
  });
});

describe('parseTrades: Binance', () => {
  it('reads spot trade history: UTC from the header, assets split off, pair split', () => {
    const r = ok(
      parseTrades(
        csv(
          'Date(UTC),Pair,Side,Price,Executed,Amount,Fee',
          '2026-03-01 12:00:00,BTCUSDT,BUY,"65,000.50",0.00100000BTC,65.00050000USDT,0.00000100BTC',
          '2026-03-01 12:05:31,ETHBTC,SELL,0.05123,0.50000000ETH,0.02561500BTC,0.00010000BNB',
        ),
      ),
    );
    expect(r.format).toBe('binance_trade_history');
    expect(r.timeZone).toBe('UTC');
    expect(r.timeZoneSource).toBe('header');
    expect(r.warnings).toEqual([]);
    expect(r.records).toEqual([
      {
        seq: 1,
        line: 2,
        kind: 'trade',
        time: '2026-03-01T12:00:00.000Z',
        symbol: 'BTC-USDT',
        side: 'buy',
        price: '65000.5',
        quantity: '0.001',
        total: '65.0005',
        fee: '0.000001',
        feeAsset: 'BTC',
        raw: {
          'Date(UTC)': '2026-03-01 12:00:00',
          Pair: 'BTCUSDT',
          Side: 'BUY',
          Price: '65,000.50',
          Executed: '0.00100000BTC',
          Amount: '65.00050000USDT',
          Fee: '0.00000100BTC',
        },
      },
      expect.objectContaining({ seq: 2, line: 3, time: '2026-03-01T12:05:31.000Z', symbol: 'ETH-BTC', side: 'sell', price: '0.05123', quantity: '0.5', total: '0.025615', fee: '0.0001', feeAsset: 'BNB' }),
    ]);
  });

  it('reads the older trade history with Market, Type and Fee Coin', () => {
    const r = ok(parseTrades(csv('Date(UTC),Market,Type,Price,Amount,Total,Fee,Fee Coin', '2020-11-03 08:15:00,BNBUSDT,SELL,28.5,10,285,0.0075,BNB')));
    expect(r.format).toBe('binance_trade_history');
    const { raw, ...rest } = r.records[0]!;
    expect(rest).toEqual({ seq: 1, line: 2, kind: 'trade', time: '2020-11-03T08:15:00.000Z', symbol: 'BNB-USDT', side: 'sell', price: '28.5', quantity: '10', total: '285', fee: '0.0075', feeAsset: 'BNB' });
    expect(raw['Fee Coin']).toBe('BNB');
  });

  it('reads spot order history, including market and cancelled orders', () => {
    const r = ok(
      parseTrades(
        csv(
          'Date(UTC),OrderNo,Pair,Type,Side,Order Price,Order Amount,Time,Executed,Average Price,Trading total,Status',
          '2026-03-01 12:00:00,8389765512,BTCUSDT,LIMIT,BUY,65000,0.002BTC,2026-03-01 12:00:04,0.002BTC,65000,130USDT,FILLED',
          '2026-03-01 12:10:00,8389765601,ETHUSDT,MARKET,SELL,Market,1.5ETH,2026-03-01 12:10:00,1.5ETH,3012.45,4518.675USDT,FILLED',
          '2026-03-01 12:20:00,8389765777,SOLUSDT,LIMIT,BUY,120,10SOL,2026-03-01 13:00:00,0SOL,0,0USDT,CANCELED',
        ),
      ),
    );
    expect(r.format).toBe('binance_order_history');
    expect(r.records.map(({ raw, ...rest }) => rest)).toEqual([
      { seq: 1, line: 2, kind: 'order', time: '2026-03-01T12:00:00.000Z', symbol: 'BTC-USDT', side: 'buy', orderType: 'LIMIT', price: '65000', quantity: '0.002', filledQuantity: '0.002', averagePrice: '65000', total: '130', status: 'FILLED', orderId: '8389765512' },
      { seq: 2, line: 3, kind: 'order', time: '2026-03-01T12:10:00.000Z', symbol: 'ETH-USDT', side: 'sell', orderType: 'MARKET', quantity: '1.5', filledQuantity: '1.5', averagePrice: '3012.45', total: '4518.675', status: 'FILLED', orderId: '8389765601' },
      { seq: 3, line: 4, kind: 'order', time: '2026-03-01T12:20:00.000Z', symbol: 'SOL-USDT', side: 'buy', orderType: 'LIMIT', price: '120', quantity: '10', filledQuantity: '0', averagePrice: '0', total: '0', status: 'CANCELED', orderId: '8389765777' },
    ]);
    expect(r.records[0]!.raw.Time).toBe('2026-03-01 12:00:04');
  });

  it('reads a Chinese Binance trade export with a full-width zone note', () => {
    const r = ok(parseTrades(csv('日期（UTC）,交易对,方向,价格,已成交,成交额,手续费', '2026-03-01 12:00:00,币安人生USDT,买入,0.1234,"1,000",123.4USDT,0.1234USDT')));
    expect(r.format).toBe('binance_trade_history');
    expect(r.timeZoneSource).toBe('header');
    const { raw, ...rest } = r.records[0]!;
    expect(rest).toEqual({ seq: 1, line: 2, kind: 'trade', time: '2026-03-01T12:00:00.000Z', symbol: '币安人生-USDT', side: 'buy', price: '0.1234', quantity: '1000', total: '123.4', fee: '0.1234', feeAsset: 'USDT' });
  });
});

describe('parseTrades: OKX', () => {
  it('reads order history in UTC+8 (from the header), with negative fees and -- for no value', () => {
    const r = ok(
      parseTrades(
        csv(
          'Order ID,Order Time(UTC+8),Instrument,Side,Order Type,Order Price,Order Amount,Filled,Avg. Fill Price,Fee,Fee Currency,Status',
          '612345678901234567,2026-03-01 20:00:00,BTC-USDT,buy,limit,65000,0.002,0.002,65000,-0.000002,BTC,Filled',
          '612345678901234569,2026-03-01 21:00:00,SOL-USDT,buy,limit,120,10,0,--,0,SOL,Canceled',
        ),
      ),
    );
    expect(r.format).toBe('okx_order_history');
    expect(r.timeZone).toBe('+08:00');
    expect(r.records.map(({ raw, ...rest }) => rest)).toEqual([
      { seq: 1, line: 2, kind: 'order', time: '2026-03-01T12:00:00.000Z', symbol: 'BTC-USDT', side: 'buy', orderType: 'limit', price: '65000', quantity: '0.002', filledQuantity: '0.002', averagePrice: '65000', fee: '-0.000002', feeAsset: 'BTC', status: 'Filled', orderId: '612345678901234567' },
      { seq: 2, line: 3, kind: 'order', time: '2026-03-01T13:00:00.000Z', symbol: 'SOL-USDT', side: 'buy', orderType: 'limit', price: '120', quantity: '10', filledQuantity: '0', fee: '0', feeAsset: 'SOL', status: 'Canceled', orderId: '612345678901234569' },
    ]);
  });

  it('reads the Chinese order history: Chinese symbols, sides, types and statuses', () => {
    const r = ok(
      parseTrades(
        csv(
          '订单编号,下单时间(UTC+8),交易品种,方向,订单类型,委托价格,委托数量,已成交数量,成交均价,手续费,手续费币种,状态',
          '612345678901234570,2026-03-02 09:15:00,BTC/USDT,买入,限价,"64,800",0.01,0.01,64800,-0.00001,BTC,完全成交',
          '612345678901234571,2026-03-02 09:16:30,币安人生/USDT,卖出,市价,,1000,1000,0.1234,-0.1234,USDT,完全成交',
        ),
      ),
    );
    expect(r.format).toBe('okx_order_history');
    expect(r.records.map(({ raw, ...rest }) => rest)).toEqual([
      { seq: 1, line: 2, kind: 'order', time: '2026-03-02T01:15:00.000Z', symbol: 'BTC-USDT', side: 'buy', orderType: '限价', price: '64800', quantity: '0.01', filledQuantity: '0.01', averagePrice: '64800', fee: '-0.00001', feeAsset: 'BTC', status: '完全成交', orderId: '612345678901234570' },
      { seq: 2, line: 3, kind: 'order', time: '2026-03-02T01:16:30.000Z', symbol: '币安人生-USDT', side: 'sell', orderType: '市价', quantity: '1000', filledQuantity: '1000', averagePrice: '0.1234', fee: '-0.1234', feeAsset: 'USDT', status: '完全成交', orderId: '612345678901234571' },
    ]);
    expect(r.records[1]!.raw['交易品种']).toBe('币安人生/USDT');
  });

  it('reads fills with millisecond epochs (no zone needed)', () => {
    const r = ok(
      parseTrades(
        csv(
          'id,Order id,Time,Trade Type,Symbol,Action,Amount,Trading Unit,Filled Price,PnL,Fee,Fee Unit,Position Change,Position Balance,Balance Change,Balance,Balance Unit',
          '901,612345678901234567,1772366400000,Spot,BTC-USDT,Buy,0.002,BTC,65000,0,-0.000002,BTC,,,0.001998,0.051998,BTC',
          '902,612345678901234568,1772368200123,Spot,ETH-USDT,Sell,1.5,ETH,3012.45,0,-4.518675,USDT,,,4514.156325,10514.156325,USDT',
        ),
      ),
    );
    expect(r.format).toBe('okx_fills');
    expect(r.warnings).toEqual([]); // epochs: nothing assumed
    expect(r.timeZoneSource).toBe('assumed');
    expect(r.records.map(({ raw, ...rest }) => rest)).toEqual([
      { seq: 1, line: 2, kind: 'fill', time: '2026-03-01T12:00:00.000Z', symbol: 'BTC-USDT', side: 'buy', price: '65000', quantity: '0.002', fee: '-0.000002', feeAsset: 'BTC', orderId: '612345678901234567', tradeId: '901' },
      { seq: 2, line: 3, kind: 'fill', time: '2026-03-01T12:30:00.123Z', symbol: 'ETH-USDT', side: 'sell', price: '3012.45', quantity: '1.5', fee: '-4.518675', feeAsset: 'USDT', orderId: '612345678901234568', tradeId: '902' },
    ]);
    expect(r.records[0]!.raw['Balance Unit']).toBe('BTC');
  });

  it('reads naive times in the zone given by the caller, else UTC with one warning', () => {
    const text = csv('id,Time,Symbol,Action,Amount,Filled Price', '1,2026-03-01 20:00:00,BTC-USDT,Buy,1,65000', '2,2026-03-01 20:00:01,BTC-USDT,Buy,1,65000');
    const given = ok(parseTrades(text, { timeZone: '+08:00' }));
    expect(given.records.map((x) => x.time)).toEqual(['2026-03-01T12:00:00.000Z', '2026-03-01T12:00:01.000Z']);
    expect(given.timeZoneSource).toBe('option');
    expect(given.warnings).toEqual([]);
    const assumed = ok(parseTrades(text));
    expect(assumed.records[0]!.time).toBe('2026-03-01T20:00:00.000Z');
    expect(assumed.timeZone).toBe('UTC');
    expect(assumed.timeZoneSource).toBe('assumed');
    expect(assumed.warnings).toEqual([{ messageKey: 'evidence.parse.time_zone_assumed', line: 2, column: 3, params: { line: 2, column: 3, timeZone: 'UTC' } }]);
    // A zone in the header wins over the option; an offset in the cell wins over both.
    const header = ok(parseTrades(csv('id,Time(UTC),Symbol,Action,Amount,Filled Price', '1,2026-03-01 20:00:00,BTC-USDT,Buy,1,1', '2,2026-03-01T20:00:00+08:00,BTC-USDT,Buy,1,1'), { timeZone: '+08:00' }));
    expect(header.records.map((x) => x.time)).toEqual(['2026-03-01T20:00:00.000Z', '2026-03-01T12:00:00.000Z']);
    expect(err(parseTrades(text, { timeZone: 'Asia/Shanghai' }))).toEqual({ messageKey: 'evidence.parse.bad_time_zone', params: { value: 'Asia/Shanghai' } });
  });

  it('skips a title line before the header', () => {
    const r = ok(parseTrades(csv('OKX trading history export,,,,,', 'id,Time,Symbol,Action,Amount,Filled Price', '1,1772366400000,BTC-USDT,Buy,1,65000')));
    expect(r.format).toBe('okx_fills');
    expect(r.records.map((x) => [x.seq, x.line])).toEqual([[1, 3]]);
  });
});

describe('parseTrades: generic mapping', () => {
  const mapping = { time: 'Trade Time', symbol: 'Market', side: 'Direction', price: 'Deal Price', quantity: 'Volume', fee: 'Commission', timeZone: '+08:00' };

  it('reads any export whose columns are named', () => {
    const r = ok(parseTrades(csv('Trade Time,Market,Direction,Deal Price,Volume,Commission,Memo', '2026-03-01 20:00:00,btc_usdt,Buy,"65,000",0.5,3.25,first'), { mapping }));
    expect(r.format).toBe('generic');
    expect(r.timeZoneSource).toBe('option');
    expect(r.records).toEqual([
      {
        seq: 1,
        line: 2,
        kind: 'trade',
        time: '2026-03-01T12:00:00.000Z',
        symbol: 'BTC-USDT',
        side: 'buy',
        price: '65000',
        quantity: '0.5',
        fee: '3.25',
        raw: { 'Trade Time': '2026-03-01 20:00:00', Market: 'btc_usdt', Direction: 'Buy', 'Deal Price': '65,000', Volume: '0.5', Commission: '3.25', Memo: 'first' },
      },
    ]);
    // Names compare like headers (case, spaces); the kind can be set.
    const orders = ok(parseTrades(csv(' trade time ,MARKET,direction', '2026-03-01 20:00:00,ETHUSDT,sell'), { mapping: { time: 'Trade Time', symbol: 'market', side: 'Direction', kind: 'order', timeZone: 'UTC' } }));
    expect(orders.records[0]).toMatchObject({ kind: 'order', symbol: 'ETH-USDT', side: 'sell', time: '2026-03-01T20:00:00.000Z' });
  });

  it('names a mapped column the header lacks', () => {
    expect(err(parseTrades(csv('Trade Time,Market,Direction,Price', '2026-03-01 20:00:00,BTCUSDT,Buy,1'), { mapping }))).toEqual({
      messageKey: 'evidence.header.missing_column',
      line: 1,
      column: 1,
      params: { line: 1, column: 1, name: 'Deal Price' },
    });
  });

  it('without a mapping, an unknown header is an unknown format', () => {
    expect(err(parseTrades(csv('Trade Time,Market,Direction', '2026-03-01 20:00:00,BTCUSDT,Buy')))).toEqual({
      messageKey: 'evidence.trade.unknown_format',
      line: 1,
      column: 1,
      params: { line: 1, column: 1 },
    });
    expect(err(parseTrades(csv('Date(UTC),Pair,Side,Price,Executed,Amount'), { format: 'binance_trade_history' }))).toMatchObject({
      messageKey: 'evidence.header.missing_column',
      params: { name: 'fee' },
    });
  });
});

describe('parseTrades: malformed rows, at the line and column of the cell', () => {
  const header = 'Date(UTC),OrderNo,Pair,Type,Side,Order Price,Order Amount,Time,Executed,Average Price,Trading total,Status';

  it('a bad price after a quoted field that spans lines', () => {
    const text = csv(header, '2026-03-01 12:00:00,1,BTCUSDT,LIMIT,BUY,65000,0.002,2026-03-01 12:00:04,0.002,65000,130,FILLED', '2026-03-01 12:00:00,2,BTCUSDT,"LIMIT', 'MAKER",BUY,6500O,0.002,x,0.002,65000,130,FILLED');
    expect(err(parseTrades(text))).toEqual({ messageKey: 'evidence.trade.bad_price', line: 4, column: 12, params: { line: 4, column: 12, value: '6500O' } });
  });

  it('counts columns in characters after Chinese text', () => {
    const text = csv('订单编号,下单时间(UTC+8),交易品种,方向,订单类型,委托价格,委托数量,已成交数量,成交均价,手续费,手续费币种,状态', '61,2026-03-02 09:15:00,币安人生/USDT,买入,限价,1,10,1e5,0,0,USDT,完全成交');
    // "61," 3 + "2026-03-02 09:15:00," 20 + "币安人生/USDT," 10 + "买入," 3 + "限价," 3 + "1," 2 + "10," 3 = 44 → column 45.
    expect(err(parseTrades(text))).toEqual({ messageKey: 'evidence.trade.bad_filled_quantity', line: 2, column: 45, params: { line: 2, column: 45, value: '1e5' } });
  });

  it('reports bad times, sides, symbols and fees, and empty required cells', () => {
    const head = 'Date(UTC),Pair,Side,Price,Executed,Amount,Fee';
    expect(err(parseTrades(csv(head, '2026-02-30 10:00:00,BTCUSDT,BUY,1,1,1,0')))).toEqual({
      messageKey: 'evidence.parse.bad_time',
      line: 2,
      column: 1,
      params: { line: 2, column: 1, value: '2026-02-30 10:00:00' },
    });
    expect(err(parseTrades(csv(head, '2026-03-01 10:00:00,BTCUSDT,HOLD,1,1,1,0')))).toMatchObject({ messageKey: 'evidence.trade.bad_side', line: 2, column: 29 });
    expect(err(parseTrades(csv(head, '2026-03-01 10:00:00,BTC USDT!,BUY,1,1,1,0')))).toMatchObject({ messageKey: 'evidence.trade.bad_symbol', line: 2, column: 21 });
    expect(err(parseTrades(csv(head, '2026-03-01 10:00:00,BTCUSDT,BUY,1,1,1,0.1.2BTC')))).toMatchObject({ messageKey: 'evidence.trade.bad_fee', line: 2, column: 39 });
    // A quantity may only carry the pair's assets; a price none.
    expect(err(parseTrades(csv(head, '2026-03-01 10:00:00,BTCUSDT,BUY,1,1ETH,1,0')))).toMatchObject({ messageKey: 'evidence.trade.bad_quantity', line: 2, column: 35 });
    expect(err(parseTrades(csv(head, '2026-03-01 10:00:00,BTCUSDT,BUY,1USDT,1,1,0')))).toMatchObject({ messageKey: 'evidence.trade.bad_price', line: 2, column: 33 });
    expect(err(parseTrades(csv(head, '2026-03-01 10:00:00,BTCUSDT,BUY,-1,1,1,0')))).toMatchObject({ messageKey: 'evidence.trade.bad_price', line: 2, column: 33 });
    expect(err(parseTrades(csv(head, '2026-03-01 10:00:00,,BUY,1,1,1,0')))).toEqual({
      messageKey: 'evidence.parse.missing_value',
      line: 2,
      column: 21,
      params: { line: 2, column: 21, name: 'symbol' },
    });
  });

  it('reports the first problem in file order: a CSV syntax error after a bad cell comes second', () => {
    const head = 'Date(UTC),Pair,Side,Price,Executed,Amount,Fee';
    expect(err(parseTrades(csv(head, '2026-03-01 10:00:00,BTCUSDT,BUY,x,1,1,0', '2026-03-01 10:00:00,"BTCUSDT,BUY,1,1,1,0')))).toMatchObject({ messageKey: 'evidence.trade.bad_price', line: 2 });
    expect(err(parseTrades(csv(head, '2026-03-01 10:00:00,BTCUSDT,BUY,1,1,1,0', '币,"BTCUSDT,BUY,1,1,1,0')))).toEqual({
      messageKey: 'csv.unterminated_quote',
      line: 3,
      column: 3,
      params: { line: 3, column: 3 },
    });
  });

  it('reports rows with too many or too few fields, letting trailing empty fields go', () => {
    const head = 'Date(UTC),Pair,Side,Price,Executed,Amount,Fee';
    expect(ok(parseTrades(csv(head, '2026-03-01 10:00:00,BTCUSDT,BUY,1,1,1,0,,'))).records).toHaveLength(1);
    expect(err(parseTrades(csv(head, '2026-03-01 10:00:00,BTCUSDT,BUY,1,1,1,0,extra')))).toEqual({
      messageKey: 'csv.field_count',
      line: 2,
      column: 41,
      params: { line: 2, column: 41, found: 8, expected: 7 },
    });
    expect(err(parseTrades(csv(head, '2026-03-01 10:00:00,BTCUSDT,BUY,1')))).toMatchObject({ messageKey: 'csv.field_count', line: 2, column: 1, params: { found: 4, expected: 7 } });
  });

  it('an empty text is empty', () => {
    expect(err(parseTrades(''))).toEqual({ messageKey: 'evidence.parse.empty', params: {} });
  });
});

describe('parseTrades: size', () => {
  it('reads 50,000 rows in linear time, holding only the records', () => {
    const head = 'Order ID,Order Time(UTC+8),Instrument,Side,Order Type,Order Price,Order Amount,Filled,Avg. Fill Price,Fee,Fee Currency,Status\n';
    const rows = Array.from({ length: 50_000 }, (_, k) => `61234567890${String(k).padStart(6, '0')},2026-03-01 20:00:00,BTC-USDT,buy,limit,"65,000.5",0.002,0.002,65000,-0.000002,BTC,完全成交\n`);
    const started = Date.now();
    const r = ok(parseTrades(head + rows.join('')));
    expect(r.records).toHaveLength(50_000);
    expect(r.records[49_999]).toMatchObject({ seq: 50_000, line: 50_001, orderId: '61234567890049999', price: '65000.5', time: '2026-03-01T12:00:00.000Z' });
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('parseTrades: formula cells', () => {
  it('keeps them verbatim, flags them with line and column, and exports them neutralised', () => {
    const text = csv(
      'Date(UTC),OrderNo,Pair,Type,Side,Order Price,Order Amount,Time,Executed,Average Price,Trading total,Status',
      `2026-03-01 12:00:00,"+cmd|' /C calc'!A0",BTCUSDT,LIMIT,BUY,65000,0.002,x,0.002,65000,130,"=HYPERLINK(""http://evil.example"",""refund"")"`,
      '2026-03-01 12:00:01,2,BTCUSDT,@SUM(1),BUY,65000,0.002,-2+3,0.002,65000,130,FILLED',
    );
    const r = ok(parseTrades(text));
    expect(r.records[0]!.status).toBe('=HYPERLINK("http://evil.example","refund")');
    expect(r.records[0]!.orderId).toBe(`+cmd|' /C calc'!A0`);
    expect(r.records[0]!.raw.Status).toBe('=HYPERLINK("http://evil.example","refund")');
    expect(r.warnings).toEqual([
      { messageKey: 'evidence.parse.formula_cell', line: 2, column: 21, params: { line: 2, column: 21, value: `+cmd|' /C calc'!A0` } },
      { messageKey: 'evidence.parse.formula_cell', line: 2, column: 90, params: { line: 2, column: 90, value: '=HYPERLINK("http://evil.example","refund")' } },
      { messageKey: 'evidence.parse.formula_cell', line: 3, column: 31, params: { line: 3, column: 31, value: '@SUM(1)' } },
      { messageKey: 'evidence.parse.formula_cell', line: 3, column: 55, params: { line: 3, column: 55, value: '-2+3' } },
    ]);
    const exported = toSafeCsv(r.records.map((x) => [x.orderId ?? '', x.orderType ?? '', x.status ?? '', x.raw.Time!]));
    expect(exported).toBe(`"'+cmd|' /C calc'!A0","LIMIT","'=HYPERLINK(""http://evil.example"",""refund"")","x"\r\n"2","'@SUM(1)","FILLED","'-2+3"\r\n`);
    for (const x of r.records) expect(isFormulaLike(x.fee ?? '')).toBe(false);
  });
});
