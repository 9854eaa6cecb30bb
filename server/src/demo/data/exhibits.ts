// The evidence of the panel arbitration (cases/trade.ts: a BTC perpetual stop-loss filled far below
// its trigger): every kind of exhibit the vault understands, with times relative to the stop-loss.
import { encodeRgbPng } from '../../../../shared/pdf/png-encode';
import { fakeTxHash, type DemoExhibitFile } from '../case-script';

const pad2 = (n: number) => String(n).padStart(2, '0');

/** `YYYY-MM-DD HH:MM:SS` in UTC+8, as Chinese exchange exports write times. */
function utc8(d: Date): string {
  const t = new Date(d.getTime() + 8 * 3600_000);
  return `${t.getUTCFullYear()}-${pad2(t.getUTCMonth() + 1)}-${pad2(t.getUTCDate())} ${pad2(t.getUTCHours())}:${pad2(t.getUTCMinutes())}:${pad2(t.getUTCSeconds())}`;
}
const plus = (d: Date, seconds: number) => new Date(d.getTime() + seconds * 1000);

/**
 * The files of the stop-loss arbitration, times relative to when it happened: the complainant's
 * support chats (a JSON export and a pasted transcript), their OKX order history, login activity,
 * the on-chain deposit of the margin, a screenshot, and the platform's internal matching-engine log
 * (internal only: never shared outside). Exported so tests can build a case like it.
 */
export function demoArbitrationExhibits(at: { occurredAt: Date }): DemoExhibitFile[] {
  const t0 = at.occurredAt;
  const chatJson = {
    messages: [
      { time: plus(t0, 300).toISOString(), from: '客服 小王', text: '您好，这里是在线客服，请问有什么可以帮您？' },
      { time: plus(t0, 340).toISOString(), from: '邓超', text: '我的 BTC 永续 3.5 BTC 多仓，止损设在 90,000，结果在 86,420 才成交！差了三千多美元一个币。' },
      { time: plus(t0, 400).toISOString(), from: '客服 小王', text: '已为您记录，止损单触发后以市价成交，极端行情下可能出现滑点。我为您提交交易团队核查。' },
      { time: plus(t0, 460).toISOString(), from: '邓超', text: '插针只有几秒，你们的插针保护呢？结果出来请直接打我电话 +65 8123 4542。' },
    ],
  };
  const chatText = [
    `[${utc8(plus(t0, 6 * 3600))}] 客服 小李: 邓先生您好，交易团队初步确认插针保护在 ${utc8(plus(t0, 2))} 才触发。`,
    `[${utc8(plus(t0, 6 * 3600 + 50))}] 邓超: 也就是说晚了 2 秒？那这 2 秒的损失谁承担？`,
    '我要求恢复仓位。',
    `[${utc8(plus(t0, 6 * 3600 + 120))}] 客服 小李: 我们会在 24 小时内给您书面答复。`,
    '',
  ].join('\n');
  const orders = [
    'Order ID,Order Time(UTC+8),Instrument,Side,Order Type,Order Price,Order Amount,Filled,Avg. Fill Price,Fee,Fee Currency,Status',
    `612300000000000001,${utc8(plus(t0, -3 * 86_400))},BTC-USDT-SWAP,buy,market,,3.5,3.5,"92,180.4",-0.00175,BTC,Filled`,
    `612300000000000002,${utc8(plus(t0, -3 * 86_400 + 60))},BTC-USDT-SWAP,sell,stop_market,"90,000.0",3.5,0,,0,BTC,Triggered`,
    `612300000000000003,${utc8(t0)},BTC-USDT-SWAP,sell,market,,3.5,3.5,"86,420.0",-0.00175,BTC,Filled`,
    '',
  ].join('\r\n');
  const logins = [
    '时间(UTC+8),IP地址,设备,操作,登录地点,结果',
    `${utc8(plus(t0, -3 * 86_400 - 120))},203.0.113.41,iPhone 15 Pro (iOS 19.1),登录,香港,成功`,
    `${utc8(plus(t0, -3 * 86_400 + 50))},203.0.113.41,iPhone 15 Pro (iOS 19.1),设置止损 90000,香港,成功`,
    `${utc8(plus(t0, 240))},203.0.113.41,iPhone 15 Pro (iOS 19.1),登录,香港,成功`,
    '',
  ].join('\n');
  const onchain = [
    'chain,type,value,note',
    `BTC,tx,${fakeTxHash('btc-margin-deposit-3.6')},保证金充值 3.6 BTC margin deposit`,
    'BTC,address,bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4,用户自有钱包 the complainant’s own wallet',
    '',
  ].join('\n');
  const engine = [
    'time,ip,device,action,result',
    `${plus(t0, -1).toISOString()},10.20.3.7,matching-engine-3,BTC-USDT-SWAP 价格偏离指数 1.2%,spike detected`,
    `${plus(t0, 2).toISOString()},10.20.3.7,matching-engine-3,插针保护触发 spike protection engaged (threshold 0.8%),late 2.0s`,
    '',
  ].join('\n');
  return [
    { fileName: '在线客服对话-导出.json', side: 'complainant', source: 'live_chat', type: 'chat_transcript', bytes: Buffer.from(JSON.stringify(chatJson, null, 2), 'utf8') },
    { fileName: '客服对话-第二次.txt', side: 'complainant', source: 'live_chat', type: 'chat_transcript', bytes: Buffer.from(chatText, 'utf8') },
    { fileName: 'okx-order-history.csv', side: 'complainant', source: 'okx_export', type: 'order_history', bytes: Buffer.from(orders, 'utf8') },
    { fileName: '登录记录.csv', side: 'platform', source: 'risk_system', type: 'activity_log', bytes: Buffer.from(logins, 'utf8') },
    { fileName: 'margin-deposit.csv', side: 'complainant', source: 'complainant', type: 'onchain_reference', bytes: Buffer.from(onchain, 'utf8') },
    { fileName: '止损单截图.png', side: 'complainant', source: 'app_feedback', type: 'image', bytes: demoPng(96, 54) },
    { fileName: 'matching-engine-3.log.csv', side: 'platform', source: 'matching_engine', type: 'activity_log', internalOnly: true, bytes: Buffer.from(engine, 'utf8') },
  ];
}

/** A small, valid RGB PNG (a price chart's colours: a red fall across a grey grid), the same bytes every time. */
export function demoPng(width: number, height: number): Buffer {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    for (let x = 0; x < width; x++) {
      // A line falling from the top left to the bottom right, on a grid every 8 pixels.
      const onLine = Math.abs(y - Math.round((x * (height - 1)) / (width - 1))) <= 1;
      const grid = x % 8 === 0 || y % 8 === 0;
      const [r, g, b] = onLine ? [214, 48, 49] : grid ? [220, 220, 220] : [250, 250, 250];
      raw[row + 1 + x * 3] = r;
      raw[row + 2 + x * 3] = g;
      raw[row + 3 + x * 3] = b;
    }
  }
  return Buffer.from(encodeRgbPng(width, height, raw, { level: 9 }));
}
