// The dossier bench's case: one large, seeded, deterministic case as the database would hold it,
// turned into a DossierSnapshot by the production builder (buildDossierSnapshot), plus the files
// map (sha256 hex → bytes) the renderer embeds. Nothing here is random at run time: the same seed
// gives the same snapshot and the same bytes.
//
// Sized for a pdfkit dossier of about 300 pages (shared/pdf/dossier/render.ts as of 2026-11-21 13:15:
// a page per image exhibit, about 43 trade rows, 13 activity rows, 20 chat messages and 7 custody
// entries a page): 150 image exhibits (JPEG "photos" and PNG "screenshots", 800×600 and 600×800)
// ≈ 150 pages, four Binance trade-history CSV exports with 2,700 trades in all ≈ 63 pages, three
// support-chat transcripts in Chinese (200 messages), two account activity logs (120 entries, one
// log with Chinese headers), two plain-text documents, about 330 timeline events, notes and
// communications in Chinese and English, assessments, remedies, approvals, an arbitration with a
// three-seat panel, a ruling with signatures, a dissent and an addendum, and the custody trail
// (about 190 entries). Chromium sets the same content a little denser; both page counts are
// reported. The sizes are DEFAULT_CONTENT below: when the renderer's layout changes, retune them.
//
// Every evidence file is real bytes parsed by the production parser (parseEvidence): the records
// and the metadata in the snapshot are what intake would have stored for those bytes.
import { createHash } from 'node:crypto';
import { mulberry32 } from '../../test/support/random';
import { buildDossierSnapshot, type DossierRecipient, type DossierSnapshot, type DossierSourceRows } from '../../shared/dossier/snapshot';
import { parseEvidence, type ExhibitType } from '../../shared/evidence';
import { photoJpeg, screenshotPng } from './dossier-images';

export interface DossierContentOptions {
  seed: number;
  images: number;
  /** Trades per trade-history export. */
  tradeFiles: readonly number[];
  /** Messages per chat transcript. */
  chatFiles: readonly number[];
  /** Entries per activity log. */
  activityFiles: readonly number[];
  notes: number;
  communications: number;
  /** Extra timeline events besides the ones the other rows imply. */
  events: number;
  language: 'zh-CN' | 'en';
}

export const DEFAULT_CONTENT: DossierContentOptions = {
  seed: 20261121,
  images: 150,
  tradeFiles: [1000, 800, 500, 400],
  chatFiles: [100, 60, 40],
  activityFiles: [80, 40],
  notes: 30,
  communications: 40,
  events: 60,
  language: 'zh-CN',
};

export interface DossierContent {
  snapshot: DossierSnapshot;
  files: Map<string, Uint8Array>;
  stats: {
    exhibits: number;
    images: number;
    jpegs: number;
    pngs: number;
    imageBytes: number;
    fileBytes: number;
    trades: number;
    chatMessages: number;
    activityEntries: number;
    timelineEvents: number;
    custodyEntries: number;
    snapshotJsonBytes: number;
    ms: { images: number; parse: number; total: number };
  };
}

// ---- Seeded randomness ----------------------------------------------------------------------

class Rng {
  private next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float() {
    return this.next();
  }
  int(lo: number, hi: number) {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
  chance(p: number) {
    return this.next() < p;
  }
}

const sha256hex = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

/** A uuid (version 4 layout) from a label: rows can point at each other deterministically. */
function uuid(label: string): string {
  const h = sha256hex(`arbitra-bench-dossier:${label}`);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

// ---- Text ---------------------------------------------------------------------------------------

const ZH = [
  '用户称在行情剧烈波动期间下达的市价单成交价格明显偏离下单时页面显示的报价。',
  '经核查撮合引擎日志，该笔订单在 06:14:03 进入队列，06:14:05 才完成撮合，延迟约两秒。',
  '用户提供了下单前后的手机截图，截图中的时间与服务器记录基本一致。',
  '风控团队确认该账户在事发前七日内没有异常登录记录，也未更换绑定手机。',
  '客服已多次联系用户补充材料，用户于第二天上传了银行流水和交易记录导出文件。',
  '根据平台《交易规则》第十二条，市价单按对手盘最优价格依次成交，不保证成交价格。',
  '但当时的系统公告显示撮合服务出现短暂拥堵，平台对此负有一定责任。',
  '技术团队回复：事发时段行情推送服务的延迟最高达到 1.8 秒，前端报价未能及时刷新。',
  '用户认为平台应全额赔偿价差损失，并要求对强制平仓的保证金予以返还。',
  '法务意见认为，强平本身符合合约条款，但风险提示不足的问题需要在评估中考虑。',
  '双方就赔偿比例未能达成一致，用户申请进入第三方仲裁程序。',
  '仲裁庭由一名律师、一名会计师和一名技术专家组成，各方均已签署利益冲突声明。',
  '会计师复核了三千余条成交记录，确认价差损失的计算口径与平台一致。',
  '技术专家认为，前端报价延迟属于平台可控范围内的系统缺陷。',
  '本案争议金额折合约一万二千美元，超过二级审批阈值，需主管复核。',
  '用户情绪较为激动，多次表示将向监管机构投诉，客服已做好安抚并记录。',
  '已向用户说明处理进度，并告知预计在五个工作日内给出评估结论。',
  '用户补充说明，当时网络信号良好，下单操作只点击了一次。',
  '系统记录显示同一设备在两分钟内提交了三笔相同方向的订单。',
  '根据链上记录，用户于事发后一小时将剩余资产提取至外部钱包。',
  '平台承认在高波动行情下未启用价格保护机制，这是本次争议的主要原因之一。',
  '建议今后在行情剧烈波动时自动启用滑点保护，并在下单页面明确提示风险。',
  '审批人同意按评估结论执行补偿，款项将以 USDT 形式发放至用户现货账户。',
  '用户对补偿方案提出异议，认为未计入手续费及资金占用成本。',
  '仲裁庭经合议，裁定平台承担百分之六十的责任，用户承担百分之四十。',
  '少数意见认为用户在明知行情剧烈波动的情况下仍使用市价单，应承担主要责任。',
  '补充说明：裁决书中的金额以裁决作出当日的汇率折算为美元。',
  '证据链完整，所有截图与导出文件的哈希值均已登记在案。',
  '客服：您好，这里是平台客服，请问有什么可以帮您？',
  '该笔订单的成交均价为 65,118.40 USDT，而用户看到的报价为 64,020.00 USDT。',
];

const EN = [
  'The complainant states that a market order placed during the volatility spike filled far from the quoted price.',
  'The matching-engine log shows the order entering the queue at 06:14:03 and filling at 06:14:05.',
  'Screenshots taken before and after the order match the server timestamps to within a second.',
  'Risk confirmed there were no unusual logins in the seven days before the incident.',
  'The complainant uploaded the bank statement and the trade-history export the following day.',
  'Under section 12 of the trading rules, market orders fill against the best available prices without a price guarantee.',
  'The status page at the time reported congestion in the matching service, which weighs against the platform.',
  'Engineering reports quote-feed latency of up to 1.8 seconds in that window; the front end did not refresh in time.',
  'The complainant asks for the full price difference and the return of the liquidated margin.',
  'Legal considers the liquidation itself contractually sound, but the risk warning was inadequate.',
  'The parties could not agree on the split, and the complainant asked for third-party arbitration.',
  'The panel consists of a lawyer, an accountant and a technical expert; all signed conflict-of-interest declarations.',
  'The accountant re-checked more than three thousand trade records and agrees with the loss calculation.',
  'The technical expert considers the quote delay a defect within the platform’s control.',
  'The amount in dispute is about USD 12,000, above the tier-two approval threshold.',
  'Informed the complainant of progress and promised an assessment within five business days.',
  'The same device submitted three orders in the same direction within two minutes.',
  'On-chain records show the remaining assets withdrawn to an external wallet an hour later.',
  'Recommend enabling slippage protection automatically during high volatility.',
  'The approver agrees to pay compensation in USDT to the complainant’s spot account as assessed.',
  'The panel finds the platform 60 % responsible and the complainant 40 %.',
  'All screenshots and exports are registered with their SHA-256 hashes; the chain of custody is complete.',
];

const PEOPLE = [
  { key: 'li', name: '李明 Li Ming', role: 'specialist' },
  { key: 'wang', name: '王芳 Wang Fang', role: 'legal' },
  { key: 'chen', name: 'Chen Jie 陈杰', role: 'supervisor' },
  { key: 'zhao', name: '赵磊 Zhao Lei', role: 'specialist' },
  { key: 'sarah', name: 'Sarah Okafor', role: 'specialist' },
  { key: 'arb1', name: '刘志远律师 Liu Zhiyuan', role: 'arbitrator' },
  { key: 'arb2', name: 'Priya Raman, CPA', role: 'arbitrator' },
  { key: 'arb3', name: '黄海涛 Huang Haitao', role: 'arbitrator' },
] as const;

function paragraph(rng: Rng, sentences: number, zhShare = 0.6): string {
  const out: string[] = [];
  for (let i = 0; i < sentences; i++) out.push(rng.chance(zhShare) ? rng.pick(ZH) : rng.pick(EN));
  return out.join(' ');
}

// ---- Evidence files -------------------------------------------------------------------------

const PAIRS = [
  { pair: 'BTCUSDT', base: 'BTC', price: 65000, qty: [0.0005, 0.08] },
  { pair: 'ETHUSDT', base: 'ETH', price: 3400, qty: [0.01, 2.5] },
  { pair: 'SOLUSDT', base: 'SOL', price: 145, qty: [0.5, 60] },
  { pair: 'BNBUSDT', base: 'BNB', price: 590, qty: [0.05, 8] },
] as const;

const pad2 = (n: number) => String(n).padStart(2, '0');
/** `2026-03-02 06:14:03` for an epoch ms (UTC). */
function naive(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
}

function tradeCsv(rng: Rng, rows: number, startMs: number): string {
  const lines = ['Date(UTC),Pair,Side,Price,Executed,Amount,Fee'];
  let t = startMs;
  for (let i = 0; i < rows; i++) {
    t += rng.int(20, 3600) * 1000;
    const p = rng.pick(PAIRS);
    const price = p.price * (1 + (rng.float() - 0.5) * 0.08);
    const qty = p.qty[0] + rng.float() * (p.qty[1] - p.qty[0]);
    const amount = price * qty;
    const buy = rng.chance(0.52);
    const fee = buy ? `${(qty * 0.001).toFixed(8)}${p.base}` : `${(amount * 0.001).toFixed(8)}USDT`;
    lines.push(`${naive(t)},${p.pair},${buy ? 'BUY' : 'SELL'},"${price.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}",${qty.toFixed(8)}${p.base},${amount.toFixed(8)}USDT,${fee}`);
  }
  return `${lines.join('\r\n')}\r\n`;
}

const CHAT_AGENT = ['客服 小李', '客服 Amy', '在线客服 7号'];
const CHAT_USER = ['用户 u_88213', '用户 u_88213'];
const CHAT_LINES_USER = [
  '你好，我昨天下的市价单成交价格和页面显示的差了一千多 U，这是怎么回事？',
  '我已经把截图发过来了，你们看一下第二张图里的价格。',
  '我只点了一次下单，为什么系统里有三笔？',
  '强平之前我没有收到任何预警通知。',
  '请问什么时候能给我答复？已经等了三天了。',
  '如果你们不处理，我会向监管部门投诉。',
  'I also attached the CSV export from the app, please check the fills after 06:14.',
  '好的，谢谢，我等你们的消息。',
  '补偿方案里没有算手续费，我不接受。',
  '能不能把撮合日志给我看一下？',
];
const CHAT_LINES_AGENT = [
  '您好，非常抱歉给您带来不便，我们已经记录了您的问题。',
  '麻烦您提供一下订单号和下单时的截图，我们会尽快核实。',
  '已将您的情况转交风控和技术团队，预计三个工作日内回复。',
  '经初步核查，事发时段确实存在行情推送延迟，我们会在评估中考虑这一点。',
  '撮合日志属于内部系统记录，无法直接提供，但会作为证据提交给仲裁庭。',
  'Thank you, we received the export and the screenshots; the case number is ARB-2026-000123.',
  '您的补偿申请已提交主管审批，请耐心等待。',
  '关于手续费的问题，我们会在复核时一并考虑。',
  '请问还有其他可以帮您的吗？',
];

function chatTranscript(rng: Rng, messages: number, startMs: number): string {
  const lines: string[] = [];
  let t = startMs;
  const agent = rng.pick(CHAT_AGENT);
  for (let i = 0; i < messages; i++) {
    t += rng.int(15, 900) * 1000;
    const fromUser = i % 2 === 0 ? rng.chance(0.8) : rng.chance(0.2);
    const speaker = fromUser ? rng.pick(CHAT_USER) : agent;
    let text = fromUser ? rng.pick(CHAT_LINES_USER) : rng.pick(CHAT_LINES_AGENT);
    if (rng.chance(0.3)) text += ` ${rng.pick(ZH)}`;
    lines.push(`[${naive(t)}] ${speaker}: ${text}`);
    if (rng.chance(0.12)) lines.push(rng.pick(ZH)); // a continuation line
  }
  return `${lines.join('\n')}\n`;
}

const ACTIONS_ZH = ['登录', '登录', '查看资产', '下单', '撤单', '提现申请', '修改密码', '绑定谷歌验证', 'API 密钥查看'];
const ACTIONS_EN = ['login', 'login', 'view_assets', 'place_order', 'cancel_order', 'withdrawal_request', 'password_change', 'enable_2fa', 'api_key_view'];
const PLACES_ZH = ['新加坡', '香港', '上海', '深圳', '吉隆坡', '迪拜'];
const PLACES_EN = ['Singapore', 'Hong Kong', 'Shanghai', 'Shenzhen', 'Kuala Lumpur', 'Dubai'];
const DEVICES = ['iPhone 15 Pro / iOS 18.2', 'Xiaomi 14 / Android 15', 'Windows 11 / Chrome 131', 'MacBook Air / Safari 18'];
const UAS = [
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  'Mozilla/5.0 (Linux; Android 15; 23127PN0CC) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
];

function activityCsv(rng: Rng, rows: number, startMs: number, chinese: boolean): string {
  const csvCell = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = [chinese ? '时间,IP地址,设备,操作,登录地点,结果,浏览器' : 'time,ip address,device,action,location,result,user agent'];
  let t = startMs;
  for (let i = 0; i < rows; i++) {
    t += rng.int(60, 7200) * 1000;
    const k = rng.int(0, ACTIONS_EN.length - 1);
    const place = rng.int(0, PLACES_EN.length - 1);
    const ip = rng.chance(0.85) ? `203.0.113.${rng.int(1, 254)}` : `2001:db8:${rng.int(1, 0xffff).toString(16)}::${rng.int(1, 0xfff).toString(16)}`;
    const ok = rng.chance(0.93);
    lines.push(
      [naive(t), ip, rng.pick(DEVICES), chinese ? ACTIONS_ZH[k]! : ACTIONS_EN[k]!, chinese ? PLACES_ZH[place]! : PLACES_EN[place]!, chinese ? (ok ? '成功' : '失败') : ok ? 'success' : 'failed', rng.pick(UAS)]
        .map(csvCell)
        .join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

// ---- The case -----------------------------------------------------------------------------------

const T0 = Date.parse('2026-03-02T06:14:00Z'); // the incident
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export function buildDossierContent(options: Partial<DossierContentOptions> = {}): DossierContent {
  const o = { ...DEFAULT_CONTENT, ...options };
  const t0 = performance.now();
  const rng = new Rng(o.seed);
  const userId = (key: string) => uuid(`user:${key}`);
  const users = PEOPLE.map((p) => ({ id: userId(p.key), display_name: p.name, role: p.role }));
  const caseId = uuid('case');
  const caseNumber = 'ARB-2026-000123';

  const files = new Map<string, Uint8Array>();
  const exhibits: Record<string, unknown>[] = [];
  const records: Record<string, unknown>[] = [];
  const custody: Record<string, unknown>[] = [];
  const events: Record<string, unknown>[] = [];
  let custodySeq = 1000n;
  let prevHash = '0'.repeat(64);
  const seq = { complainant: 0, platform: 0 };
  const stats = { images: 0, jpegs: 0, pngs: 0, imageBytes: 0, fileBytes: 0, trades: 0, chatMessages: 0, activityEntries: 0 };
  let imageMs = 0;
  let parseMs = 0;
  const specialists = [userId('li'), userId('zhao'), userId('sarah')];

  const addExhibit = (x: { side: 'complainant' | 'platform'; type: ExhibitType; source: string; fileName: string; bytes: Uint8Array; description: string; at: number; internalOnly?: boolean }) => {
    const t = performance.now();
    const parsed = parseEvidence({ bytes: x.bytes, type: x.type, timeZone: '+08:00' });
    parseMs += performance.now() - t;
    if (parsed.status === 'failed') throw new Error(`dossier content: ${x.fileName} did not parse: ${JSON.stringify(parsed.error)}`);
    const sha = sha256hex(x.bytes);
    files.set(sha, x.bytes);
    stats.fileBytes += x.bytes.length;
    const n = ++seq[x.side];
    const id = uuid(`exhibit:${x.side}:${n}`);
    const exhibitNumber = `${x.side === 'complainant' ? 'C' : 'R'}-${n}`;
    const takenInBy = rng.pick(specialists);
    const parsedRecords = parsed.status === 'parsed' ? parsed.records : [];
    exhibits.push({
      id,
      case_id: caseId,
      exhibit_number: exhibitNumber,
      side: x.side,
      type: x.type,
      source: x.source,
      file_name: x.fileName,
      media_type: parsed.metadata.mediaType,
      size: x.bytes.length,
      blob_sha256: sha,
      description: x.description,
      internal_only: x.internalOnly ?? false,
      taken_in_by: takenInBy,
      taken_in_at: new Date(x.at),
      device_id: rng.chance(0.3) ? uuid(`device:${rng.int(1, 3)}`) : null,
      parse_status: parsed.status,
      parse_error: null,
      metadata: { ...parsed.metadata, ...(parsed.status === 'parsed' && parsed.warnings.length ? { warnings: parsed.warnings.slice(0, 100) } : {}) },
      deleted_at: null,
    });
    for (const r of parsedRecords) {
      const { searchText: _s, ...data } = r as typeof r & { searchText?: string };
      const time = (r as { time?: string }).time;
      records.push({ exhibit_id: id, seq: r.seq, kind: r.kind, occurred_at: time ?? null, data });
    }
    // Custody: intake, then views, exports and verifications, hash-chained as the audit log is.
    const steps: { action: string; at: number; actor: string; details: Record<string, unknown> }[] = [
      { action: 'custody.intake', at: x.at, actor: takenInBy, details: { exhibitNumber, sha256: sha, size: x.bytes.length, fileName: x.fileName, side: x.side, type: x.type, source: x.source, parseStatus: parsed.status } },
    ];
    const more = rng.chance(0.2) ? 1 : 0;
    for (let k = 0; k < more; k++)
      steps.push({ action: rng.pick(['custody.viewed', 'custody.viewed', 'custody.exported', 'custody.verified']), at: x.at + rng.int(1, 40) * HOUR, actor: rng.pick(users).id, details: { sha256: sha, reason: rng.pick(['assessment', 'review', '仲裁庭调阅', 'verify-blobs']) } });
    for (const s of steps) {
      custodySeq += 1n;
      const hash = sha256hex(`${prevHash}|${custodySeq}|${s.action}|${id}|${s.at}`);
      prevHash = hash;
      custody.push({ seq: String(custodySeq), exhibit_id: id, at: new Date(s.at), actor_label: users.find((u) => u.id === s.actor)!.display_name, action: s.action, details: s.details, hash, deleted_at: null });
    }
    events.push({ id: uuid(`event:exhibit:${id}`), type: 'exhibit.added', actor_id: takenInBy, at: new Date(x.at), payload: { exhibitId: id, exhibitNumber, type: x.type, parseStatus: parsed.status }, deleted_at: null });
    return parsedRecords.length;
  };

  // Images: two in three are photos (JPEG), the rest phone screenshots (PNG); some portrait.
  for (let i = 0; i < o.images; i++) {
    const at = T0 + DAY + i * 47 * 60_000;
    const side = i % 5 === 4 ? 'platform' : 'complainant';
    const portrait = i % 4 === 3;
    const [w, h] = portrait ? [600, 800] : [800, 600];
    const t = performance.now();
    const jpeg = i % 3 !== 2;
    const bytes = jpeg ? photoJpeg(w, h, o.seed * 31 + i) : screenshotPng(w, h, o.seed * 37 + i);
    imageMs += performance.now() - t;
    stats.images++;
    if (jpeg) stats.jpegs++;
    else stats.pngs++;
    stats.imageBytes += bytes.length;
    const what = jpeg
      ? rng.pick(['手机拍摄的电脑屏幕照片，显示下单时的报价', 'Photo of the order screen taken with a second phone', '银行转账回单照片 bank transfer receipt', '用户身份证明材料（已打码）'])
      : rng.pick(['App 截图：订单详情页', 'Screenshot of the support chat in the app', '截图：强平通知推送', 'Screenshot: price chart at 06:14 UTC']);
    addExhibit({
      side,
      type: 'image',
      source: side === 'platform' ? 'platform_system' : rng.pick(['live_chat', 'email', 'web_form']),
      fileName: jpeg ? `IMG_${String(4100 + i)}.jpg` : `Screenshot_20260302_${String(61400 + i * 7)}.png`,
      bytes,
      description: `${what}。${paragraph(rng, rng.int(1, 2))}`,
      at,
    });
  }
  // Trade-history exports.
  o.tradeFiles.forEach((rows, k) => {
    const bytes = new TextEncoder().encode(tradeCsv(rng, rows, T0 - (30 - k * 5) * DAY));
    stats.trades += addExhibit({
      side: k % 2 === 0 ? 'complainant' : 'platform',
      type: 'trade_records',
      source: k % 2 === 0 ? 'web_form' : 'platform_export',
      fileName: `binance-spot-trade-history-${k + 1}.csv`,
      bytes,
      description: `交易记录导出 Trade history export ${k + 1}: ${paragraph(rng, 2)}`,
      at: T0 + 2 * DAY + k * HOUR,
    });
  });
  // Chat transcripts.
  o.chatFiles.forEach((messages, k) => {
    const bytes = new TextEncoder().encode(chatTranscript(rng, messages, T0 + k * 2 * DAY));
    stats.chatMessages += addExhibit({
      side: 'platform',
      type: 'chat_transcript',
      source: 'live_chat',
      fileName: `support-chat-${k + 1}.txt`,
      bytes,
      description: `在线客服聊天记录 Support chat transcript ${k + 1}。${paragraph(rng, 1)}`,
      at: T0 + (3 + k) * DAY,
    });
  });
  // Activity logs.
  o.activityFiles.forEach((rows, k) => {
    const bytes = new TextEncoder().encode(activityCsv(rng, rows, T0 - 20 * DAY, k % 2 === 0));
    stats.activityEntries += addExhibit({
      side: 'platform',
      type: 'activity_log',
      source: 'platform_export',
      fileName: `account-activity-${k + 1}.csv`,
      bytes,
      description: `账户活动日志 Account activity log ${k + 1}。${paragraph(rng, 1)}`,
      at: T0 + 4 * DAY + k * HOUR,
    });
  });
  // Other files, listed with their hash.
  for (let k = 0; k < 2; k++) {
    const bytes = new TextEncoder().encode(`${paragraph(rng, 40)}\n`);
    addExhibit({ side: 'complainant', type: 'document', source: 'email', fileName: `用户陈述-${k + 1}.txt`, bytes, description: `用户书面陈述 Written statement ${k + 1}`, at: T0 + 5 * DAY + k * HOUR });
  }

  // Timeline, notes, communications.
  const add = (type: string, at: number, actor: string | null, payload: Record<string, unknown>) =>
    events.push({ id: uuid(`event:${type}:${events.length}`), type, actor_id: actor, at: new Date(at), payload, deleted_at: null });
  add('case.received', T0 + 2 * HOUR, null, { channel: 'live_chat', caseNumber });
  add('case.classified', T0 + 3 * HOUR, userId('li'), { category: 'trade', subcategory: 'execution_price', tier: 'L2' });
  const states = ['initial_review', 'investigation', 'awaiting_material', 'investigation', 'assessment', 'pending_approval', 'resolution_proposed', 'arbitration', 'execution'];
  states.forEach((to, k) => add('case.transition', T0 + (4 + k * 4) * DAY, userId('li'), { from: k ? states[k - 1] : 'received', to, note: rng.pick(ZH) }));
  const notes = Array.from({ length: o.notes }, (_, k) => {
    const at = T0 + k * 13 * HOUR;
    const author = rng.pick(specialists);
    add('note.added', at, author, { preview: rng.pick(ZH).slice(0, 20) });
    return { id: uuid(`note:${k}`), created_at: new Date(at), author_id: author, body: paragraph(rng, rng.int(2, 6)), deleted_at: null };
  });
  const communications = Array.from({ length: o.communications }, (_, k) => {
    const at = T0 + k * 9 * HOUR;
    const by = rng.pick(specialists);
    add('communication.logged', at, by, { direction: k % 2 ? 'outbound' : 'inbound' });
    return { id: uuid(`comm:${k}`), at: new Date(at), direction: k % 2 ? 'outbound' : 'inbound', channel: rng.pick(['live_chat', 'email', 'phone']), body: paragraph(rng, rng.int(1, 4), 0.7), recorded_by: by, deleted_at: null };
  });
  for (let k = 0; k < o.events; k++)
    add(rng.pick(['case.fields_updated', 'case.assigned', 'sla.reminder', 'case.viewed_by_supervisor']), T0 + k * 5 * HOUR + 17 * 60_000, rng.pick(users).id, { field: rng.pick(['priority', 'next_action', 'handler_summary']), note: rng.pick(ZH) });
  const consultations = (['technical', 'risk', 'legal', 'technical', 'risk', 'legal', 'technical', 'legal'] as const).map((team, k) => ({
    id: uuid(`consult:${k}`),
    team,
    question: paragraph(rng, 2),
    asked_by: userId('li'),
    asked_at: new Date(T0 + (2 + k) * DAY),
    answer: paragraph(rng, 3),
    answered_by: rng.pick([userId('wang'), userId('chen')]),
    answered_at: new Date(T0 + (3 + k) * DAY),
    deleted_at: null,
  }));
  for (const q of consultations) {
    add('consultation.asked', q.asked_at.getTime(), q.asked_by, { team: q.team });
    add('consultation.answered', q.answered_at.getTime(), q.answered_by, { team: q.team });
  }
  const assessments = [0, 1].map((k) => ({
    id: uuid(`assessment:${k}`),
    platform_share: k ? '60' : '50', // percentages, summing to 100 with the third party's
    user_share: k ? '40' : '50',
    third_party_share: '0',
    third_party_kind: null,
    findings: paragraph(rng, 14),
    author_id: userId('li'),
    created_at: new Date(T0 + (18 + k * 6) * DAY),
    superseded_at: k ? null : new Date(T0 + 24 * DAY),
    deleted_at: null,
  }));
  const remedies = [
    { kind: 'compensation', asset: 'USDT', amount: '7215.48', usd_value: '7215.48' },
    { kind: 'refund', asset: 'USDT', amount: '312.60', usd_value: '312.60' },
    { kind: 'security_advice', asset: null, amount: null, usd_value: null },
  ].map((r, k) => ({ id: uuid(`remedy:${k}`), ...r, details: paragraph(rng, 3), status: k < 2 ? 'approved' : 'proposed', proposed_by: userId('li'), created_at: new Date(T0 + (25 + k) * DAY), deleted_at: null }));
  const approvals = [0, 1].map((k) => ({
    id: uuid(`approval:${k}`),
    requested_by: userId('li'),
    requested_at: new Date(T0 + (26 + k * 3) * DAY),
    usd_total: '7528.08',
    threshold_usd: '5000',
    decision: k ? 'approved' : 'declined',
    decided_by: userId('chen'),
    decided_at: new Date(T0 + (27 + k * 3) * DAY),
    reason: paragraph(rng, 2),
    deleted_at: null,
  }));
  const escalationId = uuid('escalation:1');
  const rulingId = uuid('ruling:1');
  const seats = ['lawyer', 'accountant', 'technical_expert'];
  const escalation_members = ['arb1', 'arb2', 'arb3'].map((key, k) => ({ escalation_id: escalationId, user_id: userId(key), role: 'arbitrator', seat: seats[k], disclosure: paragraph(rng, 1), accepted_at: new Date(T0 + (36 + k) * DAY), deleted_at: null }));
  const ruling_signatures = ['arb1', 'arb2', 'arb3'].map((key, k) => ({ ruling_id: rulingId, signer_id: userId(key), seat: seats[k], signed_at: new Date(T0 + 50 * DAY + k * HOUR), signature_hash: sha256hex(`signature:${key}`), deleted_at: null }));
  const ruling_opinions = [
    { kind: 'dissent', author_id: userId('arb3'), body: paragraph(rng, 10), created_at: new Date(T0 + 50 * DAY + 5 * HOUR) },
    { kind: 'addendum', author_id: userId('arb1'), body: paragraph(rng, 4), created_at: new Date(T0 + 51 * DAY) },
  ].map((x) => ({ ...x, ruling_id: rulingId, deleted_at: null }));
  add('escalation.created', T0 + 35 * DAY, userId('chen'), { kind: 'arbitration' });
  add('ruling.recorded', T0 + 50 * DAY, userId('chen'), { rulingId });

  const rows: DossierSourceRows = {
    case: {
      id: caseId,
      case_number: caseNumber,
      external_ref: 'TKT-8842119',
      channel: 'live_chat',
      category: 'trade',
      subcategory: 'execution_price',
      description: `${paragraph(rng, 8)}\n\n${paragraph(rng, 6)}`,
      language: o.language,
      status: 'execution',
      tier: 'L2',
      priority: 'high',
      urgent: false,
      usd_equivalent: '12034.50',
      occurred_at: new Date(T0),
      received_at: new Date(T0 + 2 * HOUR),
      first_response_due_at: new Date(T0 + 6 * HOUR),
      resolution_due_at: new Date(T0 + 15 * DAY),
      first_responded_at: new Date(T0 + 3 * HOUR),
      resolved_at: null,
      closed_at: null,
      archived_at: null,
      handler_summary: paragraph(rng, 5),
      next_action: '执行补偿并回访用户 Pay out and follow up',
      satisfaction_score: null,
      satisfaction_comment: null,
      assignee_id: userId('li'),
    },
    complainant: { exchange_uid: '88213904', vip_level: 2, region: 'SG', language: 'zh-CN' },
    team: { name: '交易争议组 Trade disputes' },
    users,
    case_amounts: [
      { id: uuid('amount:1'), asset: 'USDT', amount: '10250.00', usd_rate: '1', usd_value: '10250', deleted_at: null },
      { id: uuid('amount:2'), asset: 'BTC', amount: '0.0275', usd_rate: '64890.12', usd_value: '1784.48', deleted_at: null },
    ],
    case_events: events,
    notes,
    consultations,
    communications,
    objections: [{ at: new Date(T0 + 30 * DAY), reason: paragraph(rng, 3), recorded_by: userId('li'), deleted_at: null }],
    assessments,
    remedies,
    approvals,
    escalations: [{ id: escalationId, kind: 'arbitration', status: 'closed', panel_size: 3, reason: paragraph(rng, 3), outcome: 'award', created_by: userId('chen'), created_at: new Date(T0 + 35 * DAY), closed_at: new Date(T0 + 52 * DAY), deleted_at: null }],
    escalation_members,
    rulings: [{ id: rulingId, escalation_id: escalationId, kind: 'award', text: `${paragraph(rng, 12)}\n\n${paragraph(rng, 8)}`, decided_at: new Date(T0 + 50 * DAY), recorded_by: userId('chen'), deleted_at: null }],
    ruling_signatures,
    ruling_opinions,
    exhibits,
    exhibit_records: records,
    custody_entries: custody,
    evidence_signals: [{ other_case_number: 'ARB-2026-000098', blob_sha256: [...files.keys()][3]!, kind: 'shared_file_across_complainants', created_at: new Date(T0 + 2 * DAY), deleted_at: null }],
  };
  const recipient: DossierRecipient = { kind: 'internal', userId: userId('wang'), name: PEOPLE[1].name, role: 'legal', language: o.language };
  const snapshot = buildDossierSnapshot(rows, recipient);
  // Every exhibit's bytes are in the map, and nothing else.
  for (const e of snapshot.exhibits) if (!files.has(e.sha256)) throw new Error(`dossier content: no bytes for ${e.exhibitNumber}`);
  return {
    snapshot,
    files,
    stats: {
      exhibits: snapshot.exhibits.length,
      ...stats,
      timelineEvents: snapshot.timeline.length,
      custodyEntries: snapshot.custody.length,
      snapshotJsonBytes: Buffer.byteLength(JSON.stringify(snapshot)),
      ms: { images: imageMs, parse: parseMs, total: performance.now() - t0 },
    },
  };
}
