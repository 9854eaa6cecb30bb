// The trade analysis a dossier prints: per pair, executions, volume, notional, average price and
// fees; and the slippage of orders filled away from their order price — in decimals, never floats.
import { describe, expect, it } from 'vitest';
import { analyseTrades } from '../../../shared/dossier/trade-analysis';
import type { DossierExhibit, DossierRecord } from '../../../shared/dossier/snapshot';

type Exhibit = Pick<DossierExhibit, 'exhibitNumber' | 'type' | 'records'>;
let seq = 0;
const trade = (tradeKind: 'order' | 'fill' | 'trade', data: Record<string, unknown>): DossierRecord => ({ seq: ++seq, kind: 'trade', occurredAt: String(data.time ?? '2026-10-01T08:00:00.000Z'), data: { tradeKind, time: '2026-10-01T08:00:00.000Z', ...data } });
const exhibit = (exhibitNumber: string, type: string, records: DossierRecord[]): Exhibit => ({ exhibitNumber, type, records });

describe('analyseTrades', () => {
  it('is null when no exhibit holds trade records', () => {
    expect(analyseTrades([])).toBeNull();
    expect(analyseTrades([exhibit('C-1', 'chat_transcript', [{ seq: 1, kind: 'chat', occurredAt: null, data: { speaker: 'a', text: 'b' } }])])).toBeNull();
  });

  it('adds up fills per pair: executions, buys and sells, volume, notional, volume-weighted price, fees by asset', () => {
    const a = analyseTrades([
      exhibit('R-1', 'fills', [
        trade('fill', { symbol: 'BTC-USDT', side: 'buy', price: '64000', quantity: '0.1', fee: '-0.0001', feeAsset: 'BTC' }),
        trade('fill', { symbol: 'BTC-USDT', side: 'buy', price: '65000', quantity: '0.3', fee: '-0.0003', feeAsset: 'BTC' }),
        trade('fill', { symbol: 'BTC-USDT', side: 'sell', price: '66000', quantity: '0.2', total: '13200', fee: '1.32', feeAsset: 'USDT' }),
        trade('fill', { symbol: 'ETH-USDT', side: 'sell', price: '2400.5', quantity: '2', fee: '0', feeAsset: 'USDT' }),
      ]),
    ])!;
    expect(a.exhibits).toEqual(['R-1']);
    expect(a.symbols.map((s) => s.symbol)).toEqual(['BTC-USDT', 'ETH-USDT']);
    const btc = a.symbols[0]!;
    expect(btc).toMatchObject({ base: 'BTC', quote: 'USDT', executions: 3, buys: 2, sells: 1, volume: '0.6', buyVolume: '0.4', sellVolume: '0.2' });
    // 6400 + 19500 + 13200 = 39100 over 0.6 BTC.
    expect(btc.notional).toBe('39100');
    expect(btc.averagePrice).toBe('65166.66666667');
    expect(btc.fees).toEqual([
      { asset: 'BTC', amount: '0.0004' },
      { asset: 'USDT', amount: '1.32' },
    ]);
    expect(a.symbols[1]).toMatchObject({ executions: 1, volume: '2', notional: '4801', averagePrice: '2400.5', fees: [] });
  });

  it('keeps decimal precision a float would lose', () => {
    const a = analyseTrades([exhibit('R-1', 'fills', [trade('fill', { symbol: 'X-USDT', side: 'buy', price: '0.1', quantity: '0.2' }), trade('fill', { symbol: 'X-USDT', side: 'buy', price: '0.1', quantity: '0.1' })])])!;
    expect(a.symbols[0]!.volume).toBe('0.3');
    expect(a.symbols[0]!.notional).toBe('0.03');
  });

  it('measures slippage of filled orders against their order price, positive when it cost the user', () => {
    const a = analyseTrades([
      exhibit('R-1', 'order_history', [
        // A limit buy at 64,000 filled at 64,950: 1.4844 % above, 0.002 BTC → 1.9 USDT.
        trade('order', { symbol: 'BTC-USDT', side: 'buy', orderType: 'limit', price: '64000', quantity: '0.002', filledQuantity: '0.002', averagePrice: '64950', orderId: 'o1' }),
        // A limit sell at 2,400 filled at 2,390: 0.4167 % below, 0.5 ETH → 5 USDT.
        trade('order', { symbol: 'ETH-USDT', side: 'sell', orderType: 'limit', price: '2400', quantity: '0.5', filledQuantity: '0.5', averagePrice: '2390', orderId: 'o2' }),
        // A buy filled below its price: a price improvement, negative slippage.
        trade('order', { symbol: 'BTC-USDT', side: 'buy', orderType: 'limit', price: '64000', quantity: '0.001', filledQuantity: '0.001', averagePrice: '63936', orderId: 'o3' }),
        // Filled at its price, a market order without one, and an order never filled: no slippage.
        trade('order', { symbol: 'BTC-USDT', side: 'buy', price: '64000', quantity: '0.001', filledQuantity: '0.001', averagePrice: '64000', orderId: 'o4' }),
        trade('order', { symbol: 'BTC-USDT', side: 'buy', orderType: 'market', quantity: '0.001', filledQuantity: '0.001', averagePrice: '64100', orderId: 'o5' }),
        trade('order', { symbol: 'BTC-USDT', side: 'buy', price: '60000', quantity: '0.001', filledQuantity: '0', averagePrice: '--', orderId: 'o6' }),
      ]),
    ])!;
    expect(a.slippage.map((s) => [s.orderId, s.side, s.slippagePercent, s.cost])).toEqual([
      ['o1', 'buy', '1.4844', '1.9'],
      ['o2', 'sell', '0.4167', '5'],
      ['o3', 'buy', '-0.1000', '-0.064'],
    ]);
    expect(a.slippage[0]).toMatchObject({ exhibitNumber: 'R-1', orderPrice: '64000', executedPrice: '64950', filledQuantity: '0.002' });
    expect(a.slippageBySymbol).toEqual([
      { symbol: 'BTC-USDT', quote: 'USDT', orders: 2, averagePercent: '0.6922', worstPercent: '1.4844', cost: '1.836' },
      { symbol: 'ETH-USDT', quote: 'USDT', orders: 1, averagePercent: '0.4167', worstPercent: '0.4167', cost: '5' },
    ]);
    // Filled orders are the executions when there are no fills: o1, o3, o4, o5 for BTC.
    expect(a.symbols.find((s) => s.symbol === 'BTC-USDT')).toMatchObject({ executions: 4, volume: '0.005' });
  });

  it('does not count an order history and the fills of the same orders twice', () => {
    const a = analyseTrades([
      exhibit('R-1', 'order_history', [trade('order', { symbol: 'BTC-USDT', side: 'buy', price: '64000', quantity: '0.002', filledQuantity: '0.002', averagePrice: '64950' })]),
      exhibit('R-2', 'fills', [
        trade('fill', { symbol: 'BTC-USDT', side: 'buy', price: '64900', quantity: '0.001' }),
        trade('fill', { symbol: 'BTC-USDT', side: 'buy', price: '65000', quantity: '0.001' }),
      ]),
    ])!;
    expect(a.exhibits).toEqual(['R-1', 'R-2']);
    expect(a.symbols[0]).toMatchObject({ executions: 2, volume: '0.002', notional: '129.9', averagePrice: '64950' });
    expect(a.slippage).toHaveLength(1);
  });

  it('skips records it cannot read rather than guessing', () => {
    const a = analyseTrades([
      exhibit('R-1', 'trade_records', [
        trade('trade', { symbol: 'BTC-USDT', side: 'buy', price: 'abc', quantity: '1' }),
        trade('trade', { symbol: 'BTC-USDT', side: 'hold', price: '1', quantity: '1' }),
        trade('trade', { symbol: 'BTC-USDT', side: 'sell', price: '10', quantity: '1e3' }),
        trade('trade', { symbol: 'BTC-USDT', side: 'sell', price: '10', quantity: '3' }),
      ]),
    ])!;
    expect(a.symbols[0]).toMatchObject({ executions: 1, volume: '3', notional: '30' });
  });
});
