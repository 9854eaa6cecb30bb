// What the trade records of a case add up to, for the dossier's trade analysis: per pair, the
// executions, volume, notional, volume-weighted average price and fees; and for orders that carry
// both an order (limit) price and an average execution price, the slippage between them.
// Pure and decimal throughout (never floats): the same records give the same figures everywhere.
import { Money } from '../money';
import type { DossierExhibit } from './snapshot';

export interface FeeTotal {
  asset: string;
  /** Fees paid, as a positive amount (OKX writes charges as negative numbers). */
  amount: string;
}

export interface SymbolSummary {
  symbol: string;
  base: string;
  quote: string;
  executions: number;
  buys: number;
  sells: number;
  /** Base asset. */
  volume: string;
  buyVolume: string;
  sellVolume: string;
  /** Quote asset. */
  notional: string;
  /** Notional ÷ volume, to 8 decimal places; null when nothing was executed. */
  averagePrice: string | null;
  fees: FeeTotal[];
}

export interface SlippageRow {
  exhibitNumber: string;
  seq: number;
  orderId: string | null;
  time: string;
  symbol: string;
  side: 'buy' | 'sell';
  orderPrice: string;
  executedPrice: string;
  filledQuantity: string;
  /** Relative slippage, positive to the user's disadvantage, as a percentage to 4 places. */
  slippagePercent: string;
  /** What the slippage cost the user in the quote asset (negative: a price improvement). */
  cost: string;
}

export interface SlippageSummary {
  symbol: string;
  quote: string;
  orders: number;
  averagePercent: string;
  worstPercent: string;
  cost: string;
}

export interface TradeAnalysis {
  /** Exhibits the figures come from. */
  exhibits: string[];
  symbols: SymbolSummary[];
  /** Orders whose execution differs from their order price, in exhibit and record order. */
  slippage: SlippageRow[];
  slippageBySymbol: SlippageSummary[];
}

/** A trade record as stored (shared/evidence TradeEvidence, minus its search text). */
interface TradeData {
  tradeKind?: unknown;
  time?: unknown;
  symbol?: unknown;
  side?: unknown;
  orderType?: unknown;
  price?: unknown;
  quantity?: unknown;
  filledQuantity?: unknown;
  averagePrice?: unknown;
  total?: unknown;
  fee?: unknown;
  feeAsset?: unknown;
  orderId?: unknown;
}

const DECIMAL = /^-?\d+(\.\d+)?$/;
function decimal(v: unknown): Money | null {
  if (typeof v === 'number' && Number.isFinite(v)) return new Money(String(v));
  if (typeof v !== 'string' || !DECIMAL.test(v.trim())) return null;
  return new Money(v.trim());
}
const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);

function splitSymbol(symbol: string): { base: string; quote: string } {
  const [base, quote] = symbol.split('-');
  return { base: base ?? symbol, quote: quote ?? '' };
}

interface Execution {
  symbol: string;
  side: 'buy' | 'sell';
  quantity: Money;
  notional: Money;
  fee: Money | null;
  feeAsset: string | null;
}

export function isTradeRecord(kind: string, exhibitType: string): boolean {
  return kind === 'trade' || (kind !== 'activity' && kind !== 'chat' && kind !== 'onchain' && ['trade_records', 'order_history', 'fills'].includes(exhibitType));
}

/** The analysis of every trade record in the exhibits, or null when there are none. */
export function analyseTrades(exhibits: readonly Pick<DossierExhibit, 'exhibitNumber' | 'type' | 'records'>[]): TradeAnalysis | null {
  const used = new Set<string>();
  const fills: Execution[] = [];
  const orders: Execution[] = [];
  const slippage: SlippageRow[] = [];

  for (const exhibit of exhibits) {
    for (const record of exhibit.records) {
      if (!isTradeRecord(record.kind, exhibit.type)) continue;
      const d = record.data as TradeData;
      const symbol = text(d.symbol);
      const side = d.side === 'buy' || d.side === 'sell' ? d.side : null;
      if (!symbol || !side) continue;
      used.add(exhibit.exhibitNumber);
      const kind = d.tradeKind === 'order' ? 'order' : 'fill';
      const fee = decimal(d.fee);
      const feeAsset = text(d.feeAsset);
      if (kind === 'order') {
        const filled = decimal(d.filledQuantity);
        const average = decimal(d.averagePrice);
        const total = decimal(d.total);
        if (filled && filled.gt(0) && (average?.gt(0) || total?.gt(0))) {
          orders.push({ symbol, side, quantity: filled, notional: total?.gt(0) ? total : filled.times(average!), fee, feeAsset });
        }
        const orderPrice = decimal(d.price);
        if (filled && filled.gt(0) && average && average.gt(0) && orderPrice && orderPrice.gt(0) && !average.eq(orderPrice)) {
          // Positive when the user paid more (buy) or received less (sell) than the order price.
          const adverse = side === 'buy' ? average.minus(orderPrice) : orderPrice.minus(average);
          slippage.push({
            exhibitNumber: exhibit.exhibitNumber,
            seq: record.seq,
            orderId: text(d.orderId),
            time: text(d.time) ?? record.occurredAt ?? '',
            symbol,
            side,
            orderPrice: orderPrice.toFixed(),
            executedPrice: average.toFixed(),
            filledQuantity: filled.toFixed(),
            slippagePercent: adverse.div(orderPrice).times(100).toDecimalPlaces(4).toFixed(4),
            cost: adverse.times(filled).toDecimalPlaces(8).toFixed(),
          });
        }
      } else {
        const quantity = decimal(d.quantity);
        const price = decimal(d.price);
        const total = decimal(d.total);
        if (!quantity || quantity.lte(0) || (!price && !total)) continue;
        fills.push({ symbol, side, quantity, notional: total?.gt(0) ? total : quantity.times(price!), fee, feeAsset });
      }
    }
  }
  if (used.size === 0) return null;

  // Fills and trades are the executions; order records count only for pairs without any, so an
  // order history and the fills of the same orders are not counted twice.
  const filledSymbols = new Set(fills.map((f) => f.symbol));
  const executions = [...fills, ...orders.filter((o) => !filledSymbols.has(o.symbol))];
  const bySymbol = new Map<string, Execution[]>();
  for (const e of executions) {
    const list = bySymbol.get(e.symbol);
    if (list) list.push(e);
    else bySymbol.set(e.symbol, [e]);
  }

  const symbols: SymbolSummary[] = [...bySymbol.keys()].sort().map((symbol) => {
    const list = bySymbol.get(symbol)!;
    const sum = (xs: Money[]) => xs.reduce((a, b) => a.plus(b), new Money(0));
    const volume = sum(list.map((e) => e.quantity));
    const notional = sum(list.map((e) => e.notional));
    const fees = new Map<string, Money>();
    for (const e of list) if (e.fee && !e.fee.isZero()) fees.set(e.feeAsset ?? '', (fees.get(e.feeAsset ?? '') ?? new Money(0)).plus(e.fee.abs()));
    return {
      symbol,
      ...splitSymbol(symbol),
      executions: list.length,
      buys: list.filter((e) => e.side === 'buy').length,
      sells: list.filter((e) => e.side === 'sell').length,
      volume: volume.toFixed(),
      buyVolume: sum(list.filter((e) => e.side === 'buy').map((e) => e.quantity)).toFixed(),
      sellVolume: sum(list.filter((e) => e.side === 'sell').map((e) => e.quantity)).toFixed(),
      notional: notional.toFixed(),
      averagePrice: volume.isZero() ? null : notional.div(volume).toDecimalPlaces(8).toFixed(),
      fees: [...fees.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([asset, amount]) => ({ asset, amount: amount.toFixed() })),
    };
  });

  const slippageBySymbol: SlippageSummary[] = [...new Set(slippage.map((s) => s.symbol))].sort().map((symbol) => {
    const rows = slippage.filter((s) => s.symbol === symbol);
    const percents = rows.map((r) => new Money(r.slippagePercent));
    const total = percents.reduce((a, b) => a.plus(b), new Money(0));
    return {
      symbol,
      quote: splitSymbol(symbol).quote,
      orders: rows.length,
      averagePercent: total.div(rows.length).toDecimalPlaces(4).toFixed(4),
      worstPercent: Money.max(...percents).toFixed(4),
      cost: rows.reduce((a, r) => a.plus(new Money(r.cost)), new Money(0)).toFixed(),
    };
  });

  return { exhibits: [...used], symbols, slippage, slippageBySymbol };
}
