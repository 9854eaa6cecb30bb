// The demo organisation a new database starts with (`npm start` with demo on): teams, one user per
// role (three arbitrators, for a panel), an intake key, and 44 cases worked through the same
// services the apps call, so every case has a coherent timeline and audit trail. A three-member
// arbitration runs its course (exhibits of every kind taken in through the evidence service, seats
// disclosed and accepted, an award signed by the panel, a dissent and an addendum) and a mediation
// ends in a settlement the mediator records and signs: their dossiers have real content. Runs only on a database without users; a second run is
// a no-op that answers `{ cases: 0, alreadySeeded: true }` and leaves the credentials file alone.
//
// Content is fixed (no randomness): names, texts, amounts and the order of work. Only the secrets
// (passwords, TOTP secrets, the intake key) are random, and they are shown once: through
// `options.log` and in `<dataDir>/demo-credentials.txt` (mode 0600).
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { encodeRgbPng } from '../../../shared/pdf/png-encode';
import { sql } from 'kysely';
import type { DB } from '../db/database';
import { systemContext, type IntakeActor, type ServiceContext, type UserActor } from '../context';
import { audit } from '../audit/audit.service';
import { hashPassword } from '../auth/password';
import { authenticator } from '../auth/totp';
import { createIntakeKey, createTeam, createUser } from '../admin/admin.service';
import { addOpinion, answerSeat, assignMember, disclose, recordRuling, signRuling } from '../escalations/escalations.service';
import { DEFAULT_MAX_UPLOAD_BYTES, type EvidenceDeps } from '../evidence/evidence-deps';
import { FsBlobStore } from '../evidence/fs-blob-store';
import { appendChunk, beginUpload } from '../evidence/upload.service';
import type { ExhibitType } from '../../../shared/evidence';
import type { MemberSeat, OpinionKind, RulingKind } from '../../../shared/rulings';
import { receiveComplaint } from '../intake/intake.service';
import {
  addConsultation,
  addNote,
  answerConsultation,
  assignCase,
  classifyCase,
  logCommunication,
  proposeRemedy,
  recordRelation,
  recordSatisfaction,
  setAssessment,
  transitionCase,
  withdrawRemedy,
} from '../cases/cases.service';
import { complaintIntake } from '../../../shared/schemas';
import {
  MONETARY_REMEDY_KINDS,
  TOTP_REQUIRED_ROLES,
  type CaseAction,
  type CaseState,
  type Category,
  type Channel,
  type ConsultationTeam,
  type Language,
  type Priority,
  type RemedyKind,
  type Role,
  type Subcategory,
  type Tier,
} from '../../../shared/domain';

export const DEMO_CREDENTIALS_FILE = 'demo-credentials.txt';

export interface DemoCredential {
  email: string;
  role: Role;
  password: string;
  /** Base32 TOTP secret, already enrolled, for the roles that must use TOTP. */
  totpSecret?: string;
}

export interface SeedDemoResult {
  /** Where the credentials are (written by the run that seeded; untouched by later runs). */
  credentialsFile: string;
  /** Empty when the database was already seeded. */
  users: DemoCredential[];
  /** The demo intake key in full; '' when the database was already seeded. */
  intakeKey: string;
  /** Cases created by this run: 0 when the database already had users. */
  cases: number;
  /** True when the database already had users and nothing was done. */
  alreadySeeded: boolean;
}

// ---------------------------------------------------------------------------------------------
// The organisation
// ---------------------------------------------------------------------------------------------

type TeamKey = 'trade' | 'funds' | 'compliance' | 'service';
type UserKey = 'zhang' | 'emily' | 'lina' | 'arjun' | 'legal' | 'supervisor' | 'admin' | 'arbitrator' | 'kenneth' | 'priya' | 'mediator';

const TEAMS: { key: TeamKey; name: string }[] = [
  { key: 'trade', name: '交易纠纷组 Trade disputes' },
  { key: 'funds', name: '资金与安全组 Funds & security' },
  { key: 'compliance', name: '合规组 KYC/AML & P2P' },
  { key: 'service', name: '客服质量组 Service quality (L1)' },
];

interface DemoUserSpec {
  key: UserKey;
  email: string;
  displayName: string;
  role: Role;
  language: Language;
  teams: TeamKey[];
}

const STAFF_DOMAIN = 'arbitra-demo.example.com';

/** The admin comes first: the others are created by the admin through the admin service. */
const USERS: DemoUserSpec[] = [
  { key: 'admin', email: `sam.okafor@${STAFF_DOMAIN}`, displayName: 'Sam Okafor 欧萨姆 (Admin)', role: 'admin', language: 'en', teams: [] },
  { key: 'supervisor', email: `chen.jing@${STAFF_DOMAIN}`, displayName: '陈静 Chen Jing (主管)', role: 'supervisor', language: 'zh-CN', teams: ['trade', 'funds', 'compliance', 'service'] },
  { key: 'zhang', email: `zhang.wei@${STAFF_DOMAIN}`, displayName: '张伟 Zhang Wei', role: 'specialist', language: 'zh-CN', teams: ['trade', 'service'] },
  { key: 'emily', email: `emily.carter@${STAFF_DOMAIN}`, displayName: 'Emily Carter 卡艾米', role: 'specialist', language: 'en', teams: ['trade'] },
  { key: 'lina', email: `li.na@${STAFF_DOMAIN}`, displayName: '李娜 Li Na', role: 'specialist', language: 'zh-CN', teams: ['funds'] },
  { key: 'arjun', email: `arjun.mehta@${STAFF_DOMAIN}`, displayName: 'Arjun Mehta 梅阿俊', role: 'specialist', language: 'en', teams: ['compliance', 'service'] },
  { key: 'legal', email: `wang.fang@${STAFF_DOMAIN}`, displayName: '王芳 Wang Fang (法务 Legal)', role: 'legal', language: 'zh-CN', teams: [] },
  { key: 'arbitrator', email: `helen.lau.arbitrator@${STAFF_DOMAIN}`, displayName: '刘海伦 Helen Lau (Arbitrator)', role: 'arbitrator', language: 'en', teams: [] },
  // The rest of a three-member panel: an accountant and a technical expert beside Helen Lau (a lawyer).
  { key: 'kenneth', email: `kenneth.cheng.arbitrator@${STAFF_DOMAIN}`, displayName: '郑国华 Kenneth Cheng (Arbitrator, CPA)', role: 'arbitrator', language: 'zh-CN', teams: [] },
  { key: 'priya', email: `priya.raman.arbitrator@${STAFF_DOMAIN}`, displayName: 'Priya Raman 拉曼 (Arbitrator, technical expert)', role: 'arbitrator', language: 'en', teams: [] },
  { key: 'mediator', email: `tan.ming.mediator@${STAFF_DOMAIN}`, displayName: '陈明 Marcus Tan (调解员)', role: 'mediator', language: 'zh-CN', teams: [] },
];

const INTAKE_KEY_NAME = '演示客服系统 Demo customer-service desk';

// ---------------------------------------------------------------------------------------------
// The cases: fixed data, worked step by step through the services
// ---------------------------------------------------------------------------------------------

type Step =
  | { do: 'assign'; to: UserKey }
  | { do: 'classify'; by: UserKey; subcategory?: Subcategory; tier?: Tier; priority?: Priority }
  | { do: 't'; action: CaseAction; by: UserKey; reason?: string; panelSize?: 1 | 3 }
  | { do: 'assess'; by: UserKey; shares: [string, string, string]; thirdPartyKind?: string; findings: string }
  | { do: 'remedy'; by: UserKey; kind: RemedyKind; details: string; asset?: string; amount?: string }
  | { do: 'withdraw_monetary'; by: UserKey }
  | { do: 'note'; by: UserKey; body: string }
  | { do: 'consult'; by: UserKey; team: ConsultationTeam; question: string; answer?: { by: UserKey; text: string } }
  | { do: 'comm'; by: UserKey; direction: 'inbound' | 'outbound'; body: string }
  | { do: 'satisfaction'; by: UserKey; score: number; comment?: string }
  | { do: 'relation'; user: UserKey; relation: string }
  /** Files taken in through the evidence service (a resumable upload in one chunk), by a handler of the case. */
  | { do: 'exhibits'; by: UserKey; files: (at: { receivedAt: Date; occurredAt: Date }) => DemoExhibitFile[] }
  /** A seat on the case's open escalation: assigned by `by`, disclosed and answered by the member. */
  | { do: 'seat'; by: UserKey; member: UserKey; seat?: MemberSeat; disclosure: string; answer: 'accept' | 'decline' }
  | { do: 'ruling'; by: UserKey; kind: RulingKind; text: string }
  /** Signs the case's latest ruling. */
  | { do: 'sign'; by: UserKey }
  | { do: 'opinion'; by: UserKey; kind: OpinionKind; body: string };

/** A file of a demo case, as a person would upload it. */
export interface DemoExhibitFile {
  fileName: string;
  side: 'complainant' | 'platform';
  source: string;
  type?: ExhibitType;
  internalOnly?: boolean;
  bytes: Buffer;
}

interface Complainant {
  uid: string;
  name: string;
  email: string;
  phone: string;
  idDocumentNumber?: string;
  vipLevel: number;
  region: string;
  language: Language;
}

interface CaseSpec {
  ref: string;
  channel: Channel;
  /** Entered by hand by this specialist (a phone call); otherwise posted by the demo intake key. */
  enteredBy?: UserKey;
  team: TeamKey | null;
  /** received_at = now − ageMinutes. */
  ageMinutes: number;
  /** occurred_at = received_at − occurredMinutesBefore. */
  occurredMinutesBefore: number;
  complainant: Complainant;
  category: Category;
  subcategory: Subcategory;
  description: string;
  amounts: { asset: string; amount: string }[];
  urgent?: boolean;
  steps: Step[];
  /** The state the steps must leave the case in (checked). */
  state: CaseState;
}

const H = 60;
const D = 24 * H;

/** A deterministic, obviously synthetic transaction hash. */
const fakeHash = (seed: string) => createHash('sha256').update(`arbitra-demo:${seed}`).digest('hex');
const TRON_DEPOSIT_TX = fakeHash('tron-deposit-150-usdt');
const TRON_WITHDRAWAL_TX = fakeHash('tron-withdrawal-12000-trx');
const ETH_THEFT_TX = `0x${fakeHash('eth-theft-1.234567890123456789')}`;
const BTC_THEFT_TX = fakeHash('btc-theft-3.5');
const BTC_MARGIN_DEPOSIT_TX = fakeHash('btc-margin-deposit-3.6');

// Texts speak of dates relative to when the complaint happened, so the demo reads right whenever it
// is seeded: {rcv} (received, YYYYMMDD), {occ_ymd}, {occ_zh} (11 月 3 日), {occ_en} (3 November)
// and {occ_time} (HH:MM, UTC) are filled in per case.
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const pad2 = (n: number) => String(n).padStart(2, '0');
const ymd = (d: Date) => `${d.getUTCFullYear()}${pad2(d.getUTCMonth() + 1)}${pad2(d.getUTCDate())}`;

function fillDates<T>(value: T, at: { receivedAt: Date; occurredAt: Date }): T {
  if (typeof value === 'string') {
    const o = at.occurredAt;
    return value
      .replaceAll('{rcv}', ymd(at.receivedAt))
      .replaceAll('{occ_ymd}', ymd(o))
      .replaceAll('{occ_zh}', `${o.getUTCMonth() + 1} 月 ${o.getUTCDate()} 日`)
      .replaceAll('{occ_en}', `${o.getUTCDate()} ${MONTHS[o.getUTCMonth()]}`)
      .replaceAll('{occ_time}', `${pad2(o.getUTCHours())}:${pad2(o.getUTCMinutes())}`) as T;
  }
  if (Array.isArray(value)) return value.map((v) => fillDates(v, at)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillDates(v, at)])) as T;
  }
  return value;
}

// Step builders
const assign = (to: UserKey): Step => ({ do: 'assign', to });
const T = (action: CaseAction, by: UserKey, reason?: string, panelSize?: 1 | 3): Step => ({ do: 't', action, by, reason, panelSize });
const classify = (by: UserKey, o: { subcategory?: Subcategory; tier?: Tier; priority?: Priority } = {}): Step => ({ do: 'classify', by, ...o });
const note = (by: UserKey, body: string): Step => ({ do: 'note', by, body });
const out = (by: UserKey, body: string): Step => ({ do: 'comm', by, direction: 'outbound', body });
const inbound = (by: UserKey, body: string): Step => ({ do: 'comm', by, direction: 'inbound', body });
const consult = (by: UserKey, team: ConsultationTeam, question: string, answer?: { by: UserKey; text: string }): Step => ({ do: 'consult', by, team, question, answer });
const assess = (by: UserKey, shares: [string, string, string], findings: string, thirdPartyKind?: string): Step => ({ do: 'assess', by, shares, findings, thirdPartyKind });
const remedy = (by: UserKey, kind: RemedyKind, details: string, asset?: string, amount?: string): Step => ({ do: 'remedy', by, kind, details, asset, amount });
const satisfaction = (by: UserKey, score: number, comment?: string): Step => ({ do: 'satisfaction', by, score, comment });
const seat = (member: UserKey, seatName: MemberSeat | undefined, disclosure: string): Step => ({ do: 'seat', by: 'legal', member, seat: seatName, disclosure, answer: 'accept' });
const ruling = (by: UserKey, kind: RulingKind, text: string): Step => ({ do: 'ruling', by, kind, text });
const sign = (by: UserKey): Step => ({ do: 'sign', by });
const opinion = (by: UserKey, kind: OpinionKind, body: string): Step => ({ do: 'opinion', by, kind, body });

/** Assigned by the supervisor, then opened for initial review (the first response). */
const opened = (who: UserKey): Step[] => [assign(who), T('start_review', who)];
/** Opened, classification confirmed, accepted into investigation. */
const accepted = (who: UserKey, o: { subcategory?: Subcategory; tier?: Tier; priority?: Priority } = {}): Step[] => [...opened(who), classify(who, o), T('accept', who)];

const CASES: CaseSpec[] = [
  // ------------------------------------------------------------------ received
  {
    ref: 'WF-{rcv}-118204',
    channel: 'web_form',
    team: 'service',
    ageMinutes: 8,
    occurredMinutesBefore: 3 * D,
    complainant: { uid: '30417729', name: 'Oliver Bennett', email: 'oliver.bennett@example.com', phone: '+65 8123 4501', vipLevel: 2, region: 'GB', language: 'en' },
    category: 'service',
    subcategory: 'fees',
    description:
      'I am VIP 2 on spot, which per your fee schedule should give me 0.08% maker / 0.10% taker. For the past three weeks every maker order I placed on BTC/USDT has been charged 0.10%. Over about 140 orders that is roughly 42.37 USDT too much. Please check my fee tier and refund the difference.',
    amounts: [{ asset: 'USDT', amount: '42.37' }],
    steps: [],
    state: 'received',
  },
  {
    ref: 'APP-FB-7730192',
    channel: 'app_feedback',
    team: null,
    ageMinutes: 3 * H,
    occurredMinutesBefore: 2 * H,
    complainant: { uid: '51880342', name: '林志强', email: 'lin.zhiqiang@example.com', phone: '+65 8123 4502', vipLevel: 0, region: 'MY', language: 'zh-CN' },
    category: 'deposit_withdrawal',
    subcategory: 'deposit_not_credited',
    description: `我今天通过 TRC20 网络向平台充值地址转入 150 USDT，TRONSCAN 显示交易已确认（超过 20 个区块确认），交易哈希：${TRON_DEPOSIT_TX}。但账户资产里一直没有到账，App 的充值记录里也查不到这笔。请尽快帮我核实入账。`,
    amounts: [{ asset: 'USDT', amount: '150' }],
    steps: [],
    state: 'received',
  },
  {
    ref: 'SOC-X-DM-4471208',
    channel: 'social',
    team: 'funds',
    ageMinutes: 12,
    occurredMinutesBefore: 40,
    complainant: { uid: '62203915', name: 'Mia Thompson', email: 'mia.thompson@example.com', phone: '+65 8123 4503', vipLevel: 1, region: 'AU', language: 'en' },
    category: 'account_security',
    subcategory: 'malicious_login',
    description:
      "DM to the official support account on X: I just got a 'New device login' email from an IP in another country at {occ_time} UTC. It was not me. I have changed my password but I cannot see whether anything was withdrawn. Please lock my account and check the login history.",
    amounts: [],
    steps: [],
    state: 'received',
  },

  // ------------------------------------------------------------------ initial_review
  {
    ref: 'LC-88310427',
    channel: 'live_chat',
    team: 'trade',
    ageMinutes: 40,
    occurredMinutesBefore: 25,
    complainant: { uid: '40992281', name: '王小明', email: 'wang.xiaoming@example.com', phone: '+65 8123 4504', vipLevel: 1, region: 'HK', language: 'zh-CN' },
    category: 'trade',
    subcategory: 'order_error',
    description:
      '在线客服转人工：我下的是 ETH/USDT 限价买单，价格 3,420，数量 0.6 ETH，但 App 显示成了 6 ETH，并且已经部分成交 2.1 ETH。我从来没有输入过 6，怀疑是 App 更新后输入框出错（订单号 7261538840192）。请冻结这笔订单并核查，多成交的部分让我损失约 2,000 USDT。',
    amounts: [{ asset: 'USDT', amount: '2000' }],
    steps: [
      ...opened('zhang'),
      out('zhang', '您好，已收到您的投诉。专员张伟正在调取您的下单日志与 App 版本信息，未成交部分已为您撤单，我们会在 24 小时内给出初步结论。'),
    ],
    state: 'initial_review',
  },
  {
    ref: 'EM-{rcv}-52291',
    channel: 'email',
    team: 'compliance',
    ageMinutes: 5 * H,
    occurredMinutesBefore: 2 * D,
    complainant: { uid: '73310558', name: 'Lukas Schneider', email: 'lukas.schneider@example.com', phone: '+65 8123 4505', idDocumentNumber: 'DEMO-DE-0001', vipLevel: 0, region: 'DE', language: 'en' },
    category: 'kyc_aml',
    subcategory: 'verification_failed',
    description:
      "My identity verification has failed four times with the message 'document could not be verified'. I am using my German passport, the photos are sharp and it is not expired. Because verification is incomplete I cannot withdraw my 3,100 USDC. Please resolve this.",
    amounts: [{ asset: 'USDC', amount: '3100' }],
    steps: [
      ...opened('arjun'),
      note('arjun', 'All four rejections came from the automated document check (glare on the MRZ line). Asking the KYC vendor for a manual review before requesting new material.'),
    ],
    state: 'initial_review',
  },
  {
    ref: 'CALL-{rcv}-0031',
    channel: 'phone',
    enteredBy: 'lina',
    team: 'funds',
    ageMinutes: 2 * H,
    occurredMinutesBefore: 5 * H,
    complainant: { uid: '28817460', name: '陈思远', email: 'chen.siyuan@example.com', phone: '+65 8123 4506', vipLevel: 3, region: 'SG', language: 'zh-CN' },
    category: 'deposit_withdrawal',
    subcategory: 'withdrawal_failed',
    description: '电话来电记录：用户称从平台提现 0.8 ETH 到自己的硬件钱包，提现状态显示"失败"，但资产中 0.8 ETH 已被扣除，没有退回。用户要求说明原因，并尽快退回或重新发起提现。',
    amounts: [{ asset: 'ETH', amount: '0.8' }],
    steps: [
      ...opened('lina'),
      classify('lina', { priority: 'high' }),
      note('lina', '资金已扣但状态为失败，属于资金在途异常，按高优先级处理；已请钱包运维核对该笔提现是否已广播。'),
    ],
    state: 'initial_review',
  },

  // ------------------------------------------------------------------ awaiting_material
  {
    ref: 'TKT-5523810',
    channel: 'ticket',
    team: 'compliance',
    ageMinutes: 1 * D,
    occurredMinutesBefore: 10 * H,
    complainant: { uid: '81145023', name: 'Grace Wanjiru', email: 'grace.wanjiru@example.com', phone: '+65 8123 4507', vipLevel: 0, region: 'KE', language: 'en' },
    category: 'p2p',
    subcategory: 'payment_not_received',
    description:
      'I sold 1,500 USDT on P2P (order P2P-{occ_ymd}-77213). The buyer marked the order as paid and uploaded a screenshot, but no money has arrived in my bank account. The buyer keeps pressing me to release the coins. I have not released and I opened an appeal.',
    amounts: [{ asset: 'USDT', amount: '1500' }],
    steps: [
      ...opened('arjun'),
      T('request_material', 'arjun', "Please upload your bank statement covering the last three days (PDF issued by your bank) showing that no transfer from the buyer's name arrived, so we can rule on the appeal. The 1,500 USDT stays in escrow meanwhile."),
    ],
    state: 'awaiting_material',
  },
  {
    ref: 'APP-FB-7729015',
    channel: 'app_feedback',
    team: 'compliance',
    ageMinutes: 2 * D,
    occurredMinutesBefore: 3 * D,
    complainant: { uid: '19928374', name: '黄蕾', email: 'huang.lei@example.com', phone: '+65 8123 4508', vipLevel: 4, region: 'TW', language: 'zh-CN' },
    category: 'kyc_aml',
    subcategory: 'account_frozen',
    description: '我的账户被冻结，提示"风控审核中"，无法交易和提现，账户内约 25,000 USDT。最近只是通过 OTC 从朋友那里收了一笔 USDT。客服只说等待审核，已经三天没有任何进展。',
    amounts: [{ asset: 'USDT', amount: '25000' }],
    steps: [
      ...accepted('arjun'),
      consult('arjun', 'risk', 'Which deposit triggered the freeze on this account, and what is its exposure score?', {
        by: 'supervisor',
        text: '风控团队回复：冻结前一天入金 18,000 USDT，来源地址与受制裁混币器存在 37% 间接关联，需完成增强尽调 (EDD)：资金来源证明及交易对手信息。',
      }),
      T('request_material', 'arjun', '请提供这笔 18,000 USDT 的资金来源证明（OTC 交易聊天记录、付款凭证）以及交易对手信息，以完成增强尽调 (EDD)。'),
    ],
    state: 'awaiting_material',
  },
  {
    ref: 'EM-{rcv}-51873',
    channel: 'email',
    team: 'trade',
    ageMinutes: 26 * H,
    occurredMinutesBefore: 8 * H,
    complainant: { uid: '55019283', name: 'Ethan Clarke', email: 'ethan.clarke@example.com', phone: '+65 8123 4509', vipLevel: 2, region: 'CA', language: 'en' },
    category: 'trade',
    subcategory: 'liquidation',
    description:
      'My BTC-USDT perpetual long was liquidated at {occ_time} UTC although the last price on your chart never went below my liquidation price of 61,250. I lost 0.12 BTC of margin. I believe the mark price was wrong.',
    amounts: [{ asset: 'BTC', amount: '0.12' }],
    steps: [
      ...opened('emily'),
      T('request_material', 'emily', 'Please send the position ID, the screenshot of the liquidation notification and confirm whether the position was in cross or isolated margin mode.'),
    ],
    state: 'awaiting_material',
  },

  // ------------------------------------------------------------------ rejected
  {
    ref: 'SOC-WB-3308817',
    channel: 'social',
    team: 'service',
    ageMinutes: 6 * D,
    occurredMinutesBefore: 2 * D,
    complainant: { uid: '66710394', name: '郑浩', email: 'zheng.hao@example.com', phone: '+65 8123 4510', vipLevel: 0, region: 'MY', language: 'zh-CN' },
    category: 'service',
    subcategory: 'service_quality',
    description: '微博私信：你们平台的币一直在跌，我买的币亏了 30%，客服只会复制粘贴回复，要求平台赔偿我的亏损。',
    amounts: [],
    steps: [
      ...opened('zhang'),
      T('reject', 'zhang', '投诉内容为对市场行情下跌造成投资亏损的不满，不涉及平台操作或系统故障，不属于平台受理范围；已向用户说明投资风险提示，并将客服回复质量问题转交服务改进渠道。'),
      out('zhang', '您好，经初步审核，行情波动造成的投资亏损不在平台赔付范围内。关于客服回复质量的意见我们已记录并反馈给客服团队，感谢您的监督。'),
    ],
    state: 'rejected',
  },
  {
    ref: 'WF-{rcv}-117455',
    channel: 'web_form',
    team: 'trade',
    ageMinutes: 4 * D,
    occurredMinutesBefore: 20 * H,
    complainant: { uid: '37702218', name: 'Daniel Reyes', email: 'daniel.reyes@example.com', phone: '+65 8123 4511', vipLevel: 1, region: 'PH', language: 'en' },
    category: 'trade',
    subcategory: 'execution_price',
    description:
      'My stop-limit sell order for 40 SOL (stop 171, limit 170) was triggered but never filled, and then the price dropped to 158. I expected to be sold at 170. Your system failed to execute my order, I want 480 USDT compensation.',
    amounts: [{ asset: 'USDT', amount: '480' }],
    steps: [
      ...opened('emily'),
      consult('emily', 'technical', 'Please pull the matching-engine log for SOL/USDT around the trigger of this stop-limit order.', {
        by: 'emily',
        text: 'Tech team: stop triggered at 171.02; the limit order at 170.00 rested on the book; the market gapped from 170.40 to 168.40 within one second, no trades at or above 170.00 after the trigger.',
      }),
      T('reject', 'emily', 'A stop-limit order does not guarantee execution. The limit order at 170.00 rested on the book and the market gapped through it with no counterparty at 170.00 or better; the order behaved as the published order-type rules describe.'),
      out('emily', 'We reviewed the matching log: your stop triggered correctly and the limit order was placed at 170.00, but the price moved through it in under a second. We have explained the difference between stop-limit and stop-market orders in the attached guide.'),
    ],
    state: 'rejected',
  },

  // ------------------------------------------------------------------ investigation
  {
    ref: 'LC-88290114',
    channel: 'live_chat',
    team: 'trade',
    ageMinutes: 23 * H + 20,
    occurredMinutesBefore: 50,
    complainant: { uid: '24481736', name: '刘洋', email: 'liu.yang@example.com', phone: '+65 8123 4512', vipLevel: 3, region: 'HK', language: 'zh-CN' },
    category: 'trade',
    subcategory: 'slippage',
    description:
      '我在 BTC/USDT 现货下了一笔 0.9 BTC 的市价卖单，下单时盘口价格约 94,800 USDT，但实际成交均价只有 89,700 USDT，市价单成交价格与预期偏差超过5%滑点，损失约 4,590 USDT。当时并没有大的行情波动，怀疑是撮合系统延迟或盘口深度异常。',
    amounts: [{ asset: 'USDT', amount: '4590' }],
    steps: [
      ...accepted('zhang'),
      consult('zhang', 'technical', '请导出成交时刻前后 10 秒 BTC/USDT 的订单簿快照与撮合日志，确认成交时的盘口深度及是否存在撮合延迟。', {
        by: 'zhang',
        text: '技术团队回复：成交前 2 秒有做市商集中撤单，买一至买十档深度由 38 BTC 降至 4.2 BTC；撮合引擎无延迟，成交均价与当时盘口一致。',
      }),
      note('zhang', '市价单未设置滑点保护；需核对 App 下单页是否展示了"预计滑点"提示，以及做市商撤单是否违反做市协议。'),
    ],
    state: 'investigation',
  },
  {
    ref: 'TKT-5521047',
    channel: 'ticket',
    team: 'funds',
    ageMinutes: 2 * D,
    occurredMinutesBefore: 6 * H,
    complainant: { uid: '90032817', name: 'Hannah Wright', email: 'hannah.wright@example.com', phone: '+65 8123 4513', vipLevel: 2, region: 'GB', language: 'en' },
    category: 'account_security',
    subcategory: 'account_takeover',
    description:
      "Someone logged into my account, switched my 2FA to a new device and withdrew 2.1 ETH and 5,000 USDT to addresses I don't know. I received no email about the 2FA change. My email may have been compromised, but your platform should have held withdrawals after a security change.",
    amounts: [
      { asset: 'ETH', amount: '2.1' },
      { asset: 'USDT', amount: '5000' },
    ],
    steps: [
      ...accepted('lina'),
      out('lina', 'Your account is now locked and all API keys are revoked. Please change the password of your email account, enable 2FA there, and do not reuse passwords. We are tracing the withdrawals and will update you within 24 hours.'),
      consult('lina', 'risk', 'Why did the 24-hour withdrawal lock after a 2FA reset not apply to this account?', {
        by: 'supervisor',
        text: "Risk team: the reset used the 'lost device' flow with a selfie match score of 0.91 (above the 0.85 threshold); that flow only imposes a 2-hour lock. Recommending a 24-hour lock for all resets.",
      }),
      note('lina', '已向两家接收地址所属交易所发送冻结请求；ETH 已经过一次跨链桥，追回可能性较低。'),
    ],
    state: 'investigation',
  },
  {
    ref: 'EM-{rcv}-52318',
    channel: 'email',
    team: 'trade',
    ageMinutes: 6 * H,
    occurredMinutesBefore: 14 * H,
    complainant: { uid: '47719302', name: 'Priya Nair', email: 'priya.nair@example.com', phone: '+65 8123 4514', vipLevel: 4, region: 'SG', language: 'en' },
    category: 'trade',
    subcategory: 'execution_price',
    description:
      'I placed a take-profit limit sell of 0.35 BTC at 97,500 USDT. The market traded at 97,650, but my order was filled at 96,100, below my limit price. That is impossible for a limit order. The difference is about 490 USDT but the principle matters.',
    amounts: [{ asset: 'BTC', amount: '0.35' }],
    steps: [
      ...accepted('emily'),
      { do: 'relation', user: 'emily', relation: '前同事：2023 年前与投诉人在同一公司任职（本人申报）/ Former colleague of the complainant until 2023 (self-declared)' },
      note('supervisor', '因 Emily Carter 申报与投诉人曾为同事，依回避制度 (recusal) 改派张伟处理。'),
      assign('zhang'),
      note('zhang', 'Order history shows the TP order was a take-profit MARKET order, not a limit order; checking whether the app labelled it correctly in v6.2.'),
    ],
    state: 'investigation',
  },
  {
    ref: 'CALL-{rcv}-0017',
    channel: 'phone',
    enteredBy: 'arjun',
    team: 'compliance',
    ageMinutes: 3 * D,
    occurredMinutesBefore: 3 * H,
    complainant: { uid: '35520981', name: '吴芳', email: 'wu.fang@example.com', phone: '+65 8123 4515', vipLevel: 1, region: 'HK', language: 'zh-CN' },
    category: 'p2p',
    subcategory: 'payment_not_released',
    description: '电话投诉记录：用户在 P2P 买入 6,800 USDT（订单号 P2P-{occ_ymd}-55830），已通过银行转账付款 52,900 港币并上传付款凭证，P2P 买家已付款但卖家未放币，卖家超过 2 小时不回复消息，订单已进入申诉。用户要求平台立即放币。',
    amounts: [{ asset: 'USDT', amount: '6800' }],
    steps: [
      ...accepted('arjun'),
      consult('arjun', 'legal', "The seller says the payer name differs from the buyer's KYC name (third-party payment). May we release escrow to the buyer if the bank confirms the transfer?", {
        by: 'legal',
        text: '不可以直接放币：第三方代付违反 P2P 用户协议第 7.3 条。请先要求买家证明付款账户为本人名下；如确认为本人账户，可将托管的 USDT 放给买家。',
      }),
      out('arjun', '您好，您的申诉已受理。请上传付款银行账户的户名证明（银行 App 截图或对账单），确认付款账户为您本人名下后，我们将处理托管资产。'),
      note('arjun', 'Escrow of 6,800 USDT stays locked; seller has been notified that P2P ads are paused during the appeal.'),
    ],
    state: 'investigation',
  },
  {
    ref: 'CALL-{rcv}-0044',
    channel: 'phone',
    enteredBy: 'lina',
    team: 'funds',
    ageMinutes: 90,
    occurredMinutesBefore: 60,
    urgent: true,
    complainant: { uid: '12093847', name: '马超', email: 'ma.chao@example.com', phone: '+65 8123 4516', vipLevel: 4, region: 'SG', language: 'zh-CN' },
    category: 'deposit_withdrawal',
    subcategory: 'withdrawal_failed',
    description: '紧急来电：用户提现 50,000 USDT（ERC20）状态显示失败，但余额已扣除且未退回。用户今天需要用这笔资金支付货款，情绪激动，要求立即处理。',
    amounts: [{ asset: 'USDT', amount: '50000' }],
    steps: [
      ...accepted('lina'),
      out('lina', '马先生您好，已按紧急工单处理您的提现问题，钱包团队正在核对该笔交易的链上状态，预计 2 小时内给您回电。'),
      note('lina', 'Wallet ops: the transaction was dropped from the mempool after a gas-price spike; nonce 18342 is free. Preparing a reissue or a balance refund.'),
    ],
    state: 'investigation',
  },

  // ------------------------------------------------------------------ awaiting_third_party
  {
    ref: 'TKT-5520633',
    channel: 'ticket',
    team: 'funds',
    ageMinutes: 2 * D,
    occurredMinutesBefore: 48 * H,
    complainant: { uid: '63382017', name: '周杰', email: 'zhou.jie@example.com', phone: '+65 8123 4517', vipLevel: 2, region: 'SG', language: 'zh-CN' },
    category: 'deposit_withdrawal',
    subcategory: 'withdrawal_delayed',
    description: `我于 {occ_zh}从平台提现 12,000 TRX 至外部地址（另一家交易所的充值地址），平台显示"已完成"，但提现至外部地址48小时未到账。平台给的交易哈希是 ${TRON_WITHDRAWAL_TX}，接收方交易所说查不到这笔入账。`,
    amounts: [{ asset: 'TRX', amount: '12000' }],
    steps: [
      ...accepted('lina'),
      consult('lina', 'technical', '请确认该 TRON 交易哈希的链上状态及接收地址。', {
        by: 'lina',
        text: '技术团队回复：交易已在区块 #67,120,455 确认，接收地址为对方交易所的归集充值地址；用户未填写 memo，需对方交易所人工入账。',
      }),
      T('request_third_party', 'lina', '已向接收方交易所发送协查函（附链上确认证明及用户身份信息），等待其确认并为用户人工入账。'),
    ],
    state: 'awaiting_third_party',
  },
  {
    ref: 'EM-{rcv}-51902',
    channel: 'email',
    team: 'funds',
    ageMinutes: 1 * D,
    occurredMinutesBefore: 5 * H,
    complainant: { uid: '70045519', name: 'Sean Murphy', email: 'sean.murphy@example.com', phone: '+65 8123 4518', vipLevel: 1, region: 'IE', language: 'en' },
    category: 'account_security',
    subcategory: 'funds_stolen',
    description: `After I connected my account to a third-party trading bot via API, 1.234567890123456789 ETH was withdrawn to an unknown address (tx ${ETH_THEFT_TX}) and swapped on a DEX. My API key did not have withdrawal permission, I checked. How was a withdrawal possible?`,
    amounts: [{ asset: 'ETH', amount: '1.234567890123456789' }],
    steps: [
      ...accepted('lina'),
      consult('lina', 'risk', 'Was the withdrawal made through the API key or through a web session?', {
        by: 'supervisor',
        text: "Risk team: through a web session, not the API. The session was opened with the complainant's password and an email code from a new device 40 minutes before the withdrawal; the bot is not involved.",
      }),
      T('request_third_party', 'lina', 'Freeze request sent to the receiving exchange for the swapped proceeds; waiting for their answer and for the police report reference from the complainant.'),
    ],
    state: 'awaiting_third_party',
  },
  {
    ref: 'APP-FB-7731480',
    channel: 'app_feedback',
    team: 'compliance',
    ageMinutes: 30 * H,
    occurredMinutesBefore: 7 * H,
    complainant: { uid: '58830146', name: '何静', email: 'he.jing@example.com', phone: '+65 8123 4519', vipLevel: 0, region: 'MY', language: 'zh-CN' },
    category: 'p2p',
    subcategory: 'payment_not_received',
    description: '我在 P2P 卖出 3,200 USDC，买家标记已付款并称通过 DuitNow 转账，但我的银行显示该笔款项"处理中"后被退回。买家坚持已付款，一直催我放币。',
    amounts: [{ asset: 'USDC', amount: '3200' }],
    steps: [
      ...accepted('arjun'),
      T('request_third_party', 'arjun', "Asked the payment provider (DuitNow, through the buyer's bank) to confirm whether the transfer settled or was reversed; the 3,200 USDC stays in escrow meanwhile."),
    ],
    state: 'awaiting_third_party',
  },

  // ------------------------------------------------------------------ assessment
  {
    ref: 'LC-88301955',
    channel: 'live_chat',
    team: 'trade',
    ageMinutes: 10 * H,
    occurredMinutesBefore: 3 * H,
    complainant: { uid: '81207733', name: 'Omar Haddad', email: 'omar.haddad@example.com', phone: '+65 8123 4520', vipLevel: 3, region: 'AE', language: 'en' },
    category: 'trade',
    subcategory: 'slippage',
    description:
      'My ETH-USDT perpetual short at 20x was closed at 3,712 while the index was 3,590. The price spiked for a few seconds only on your exchange. I lost 18,500 USDT of margin. This was a slippage / wick problem on your side.',
    amounts: [{ asset: 'USDT', amount: '18500' }],
    steps: [
      ...accepted('emily', { subcategory: 'liquidation' }),
      T('complete_investigation', 'emily'),
      assess(
        'emily',
        ['60', '40', '0'],
        'Reclassified as liquidation. The liquidation was triggered by the mark price (correct), but the liquidation engine then closed the position at the last traded price during a 3-second wick caused by a market maker quoting error, 2.1% worse than the mark price. Platform 60%; user 40% for 20x leverage with no stop-loss.',
      ),
      note('emily', 'Draft remedy pending: 60% of the execution difference, to be computed from the fill report.'),
      consult('emily', 'legal', 'Can we recover part of the loss from the market maker under the market-making agreement (faulty quote during the wick)?'),
    ],
    state: 'assessment',
  },
  {
    ref: 'EM-{rcv}-51377',
    channel: 'email',
    team: 'funds',
    ageMinutes: 3 * D,
    occurredMinutesBefore: 3 * D,
    complainant: { uid: '29910457', name: '孙丽', email: 'sun.li@example.com', phone: '+65 8123 4521', vipLevel: 1, region: 'TW', language: 'zh-CN' },
    category: 'deposit_withdrawal',
    subcategory: 'deposit_not_credited',
    description: '我从另一个平台提币 4.2 BNB（BNB Beacon Chain / BEP2 网络）到你们的充值地址，但忘记填写 Memo，已经 3 天没有到账。请帮我找回。',
    amounts: [{ asset: 'BNB', amount: '4.2' }],
    steps: [
      ...accepted('lina'),
      T('complete_investigation', 'lina'),
      assess('lina', ['0', '100', '0'], '用户充值时未填写 Memo，属用户操作失误；资金已进入平台归集地址，可通过人工找回流程入账，按规则收取找回手续费。'),
      remedy('lina', 'technical_support', '人工找回：核验用户身份与转出凭证后手动入账 4.2 BNB，扣除找回手续费 0.05 BNB。'),
    ],
    state: 'assessment',
  },
  {
    ref: 'TKT-5519902',
    channel: 'ticket',
    team: 'trade',
    ageMinutes: 2 * D,
    occurredMinutesBefore: 10 * H,
    complainant: { uid: '44108826', name: 'Lucas Martin', email: 'lucas.martin@example.com', phone: '+65 8123 4522', vipLevel: 2, region: 'FR', language: 'en' },
    category: 'trade',
    subcategory: 'order_error',
    description:
      "The app froze when I pressed 'Buy' on BTC/USDT. After restarting, the same 0.4 BTC market buy had been executed twice, leaving me with 0.8 BTC I did not want. I sold the extra 0.4 BTC at a loss of about 1,400 USDT. I want the loss refunded and an explanation.",
    amounts: [{ asset: 'BTC', amount: '0.4' }],
    steps: [
      ...accepted('emily'),
      consult('emily', 'technical', 'Did the client send two distinct order requests, or did the gateway duplicate one?', {
        by: 'emily',
        text: 'Tech team: two requests with different client order IDs 480 ms apart; app v6.2.1 retried on a UI timeout without idempotency. Fixed in v6.2.3.',
      }),
      T('complete_investigation', 'emily'),
      assess('emily', ['70', '30', '0'], 'Duplicate order caused by the app retry defect (platform 70%); the user sold the extra 0.4 BTC immediately at market instead of contacting support first (user 30%).'),
      remedy('emily', 'compensation', 'Compensation for the duplicated market order.', 'BTC', '0.12'),
      T('request_approval', 'emily'),
      T('decline_approval', 'supervisor', 'The realised loss was about 1,400 USDT; 70% of it is 980 USDT. 0.12 BTC far exceeds the loss: compensate the platform share of the realised loss, in USDT.'),
      { do: 'withdraw_monetary', by: 'emily' },
      remedy('emily', 'compensation', '70% of the realised loss of 1,400 USDT on the duplicated order.', 'USDT', '980'),
      note('supervisor', '补偿金额按实际已实现损失的 70% 计算，符合审批标准，可直接提出方案。'),
    ],
    state: 'assessment',
  },

  // ------------------------------------------------------------------ pending_approval
  {
    ref: 'LC-88305270',
    channel: 'live_chat',
    team: 'trade',
    ageMinutes: 9 * H,
    occurredMinutesBefore: 2 * H,
    complainant: { uid: '10293847', name: '梁晓雯', email: 'liang.xiaowen@example.com', phone: '+65 8123 4523', vipLevel: 6, region: 'HK', language: 'zh-CN' },
    category: 'trade',
    subcategory: 'slippage',
    description: '本人在 BTC/USDT 下了一笔 3.5 BTC 的市价卖单，下单前盘口显示买一 95,020，成交均价却只有 88,820，偏差约 6.5%，损失约 21,700 USDT。下单页面没有任何滑点警告，平台宣传的"大额市价单保护"没有生效。',
    amounts: [{ asset: 'USDT', amount: '21700' }],
    steps: [
      ...accepted('zhang'),
      consult('zhang', 'technical', '大额市价单保护（价格偏离 3% 自动撤销剩余部分）在成交时为何没有生效？', {
        by: 'zhang',
        text: '技术团队回复：{occ_zh}的一次配置发布错误导致 BTC/USDT 的大额市价单保护失效约 40 分钟，本单恰在该时段内。',
      }),
      T('complete_investigation', 'zhang'),
      assess('zhang', ['70', '30', '0'], '大额市价单保护因平台配置发布错误失效，平台承担 70%；用户以市价单一次性卖出 3.5 BTC 未分批或使用限价单，承担 30%。'),
      remedy('zhang', 'compensation', '按平台 70% 责任比例补偿：21,700 × 70% = 15,190 USDT。', 'USDT', '15190'),
      T('request_approval', 'zhang'),
    ],
    state: 'pending_approval',
  },
  {
    ref: 'EM-{rcv}-50618',
    channel: 'email',
    team: 'funds',
    ageMinutes: 5 * D,
    occurredMinutesBefore: 2 * D,
    complainant: { uid: '90817263', name: 'Jonas Weber', email: 'jonas.weber@example.com', phone: '+65 8123 4524', idDocumentNumber: 'DEMO-CH-0002', vipLevel: 7, region: 'CH', language: 'en' },
    category: 'account_security',
    subcategory: 'funds_stolen',
    description: `3.5 BTC was withdrawn from my account on {occ_en} (tx ${BTC_THEFT_TX}) although withdrawal whitelisting was on. Your logs say the address was added to the whitelist "by me", but I never added it and I received no confirmation email. I request full restitution.`,
    amounts: [{ asset: 'BTC', amount: '3.5' }],
    steps: [
      ...accepted('lina'),
      consult('lina', 'risk', 'How was a new whitelist address added without the email confirmation?', {
        by: 'supervisor',
        text: 'Risk team: after the release of {occ_en} the whitelist endpoint skipped the email confirmation for 26 minutes (incident INC-2291). The attacker also had the password and an SMS code from a SIM swap.',
      }),
      note('lina', '攻击者同时掌握密码和短信验证码（SIM 卡劫持），但白名单邮件确认被跳过是平台缺陷，建议平台承担 40%。'),
      T('complete_investigation', 'lina'),
      assess('lina', ['40', '20', '40'], 'Platform 40% (INC-2291 skipped the whitelist confirmation); user 20% (SMS as second factor, password reused); attacker 40%.', 'hacker'),
      remedy('lina', 'compensation', 'Platform share, 40% of 3.5 BTC.', 'BTC', '1.4'),
      remedy('lina', 'security_advice', 'Switch the second factor from SMS to an authenticator app or passkey; enable the anti-phishing code.'),
      T('request_approval', 'lina'),
    ],
    state: 'pending_approval',
  },

  // ------------------------------------------------------------------ resolution_proposed
  {
    ref: 'WF-{rcv}-117902',
    channel: 'web_form',
    team: 'service',
    ageMinutes: 2 * D,
    occurredMinutesBefore: 1 * D,
    complainant: { uid: '61120984', name: 'Chloe Walker', email: 'chloe.walker@example.com', phone: '+65 8123 4525', vipLevel: 0, region: 'NZ', language: 'en' },
    category: 'service',
    subcategory: 'fees',
    description: 'My 500 USDT withdrawal on ERC20 showed a 12.5 USDT fee, but 25 USDT was deducted. I can see two fee lines in my history. Please refund the duplicate fee.',
    amounts: [{ asset: 'USDT', amount: '25' }],
    steps: [
      ...accepted('arjun'),
      T('complete_investigation', 'arjun'),
      assess('arjun', ['100', '0', '0'], 'The fee was posted twice by a ledger retry after a timeout. Platform error.'),
      remedy('arjun', 'refund', 'Refund the duplicated 12.5 USDT withdrawal fee.', 'USDT', '12.5'),
      T('propose_resolution', 'arjun'),
      out('arjun', 'We confirmed the fee was charged twice and propose to refund 12.5 USDT. Please reply to accept and we will credit it within one business day.'),
    ],
    state: 'resolution_proposed',
  },
  {
    ref: 'TKT-5518760',
    channel: 'ticket',
    team: 'trade',
    ageMinutes: 4 * D,
    occurredMinutesBefore: 2 * D,
    complainant: { uid: '38847120', name: '谢磊', email: 'xie.lei@example.com', phone: '+65 8123 4526', vipLevel: 5, region: 'SG', language: 'zh-CN' },
    category: 'trade',
    subcategory: 'liquidation',
    description: '我的 BTCUSDT 永续合约多仓（逐仓，保证金 1.8 BTC）在 {occ_zh} {occ_time}（UTC）被强制平仓(爆仓)，当时标记价格异常，突然比指数价格低了约 4%，其他交易所都没有这个价格。我认为是平台标记价格计算错误导致爆仓，要求全额赔偿 1.8 BTC。',
    amounts: [{ asset: 'BTC', amount: '1.8' }],
    steps: [
      ...accepted('zhang'),
      consult('zhang', 'technical', '请核查 {occ_zh} {occ_time} UTC 标记价格计算所用的指数成分及各成分报价。', {
        by: 'zhang',
        text: '技术团队回复：指数成分之一的外部行情源在强平前后约 40 秒内停更并回传异常价格，去极值逻辑未生效，标记价格偏离指数 3.9%。',
      }),
      T('complete_investigation', 'zhang'),
      assess('zhang', ['100', '0', '0'], '标记价格因指数成分行情源异常且去极值逻辑失效而偏离 3.9%，强平由错误的标记价格触发，平台承担全部责任。'),
      remedy('zhang', 'compensation', '全额补偿被错误强平仓位的保证金 1.8 BTC。', 'BTC', '1.8'),
      T('request_approval', 'zhang'),
      T('approve', 'supervisor'),
      out('zhang', '您好，经调查确认爆仓由平台标记价格异常导致，平台拟全额补偿 1.8 BTC，已经主管审批。请回复确认是否接受该方案。'),
    ],
    state: 'resolution_proposed',
  },
  {
    ref: 'APP-FB-7728841',
    channel: 'app_feedback',
    team: 'compliance',
    ageMinutes: 3 * D,
    occurredMinutesBefore: 1 * D,
    complainant: { uid: '72261058', name: '唐宁', email: 'tang.ning@example.com', phone: '+65 8123 4527', vipLevel: 2, region: 'MY', language: 'zh-CN' },
    category: 'kyc_aml',
    subcategory: 'account_frozen',
    description: 'KYC 审核失败账户被冻结：我更新护照信息后，系统提示"身份信息不一致"并冻结了账户，账户里有 4,500 USDT 无法提出。我的护照是新换发的，姓名拼写与旧护照相同。',
    amounts: [{ asset: 'USDT', amount: '4500' }],
    steps: [
      ...accepted('arjun'),
      T('complete_investigation', 'arjun'),
      assess('arjun', ['100', '0', '0'], 'The new passport prints the name as "TANG NING" and the old one as "TANG, NING"; the matcher treated the comma as a different name and froze the account. Platform error.'),
      remedy('arjun', 'account_unfreeze', 'Lift the freeze and mark the KYC record as verified after manual review.'),
      remedy('arjun', 'technical_support', '协助用户在 App 中重新提交 KYC 资料，由人工复核通过。'),
      T('propose_resolution', 'arjun'),
      out('arjun', '您好，经核实冻结系名字格式比对误判所致，我们拟解除冻结并人工完成 KYC 复核。请回复确认。'),
    ],
    state: 'resolution_proposed',
  },

  // ------------------------------------------------------------------ execution
  {
    ref: 'CALL-{rcv}-0009',
    channel: 'phone',
    enteredBy: 'emily',
    team: 'trade',
    ageMinutes: 6 * D,
    occurredMinutesBefore: 4 * H,
    complainant: { uid: '20038475', name: 'George Evans', email: 'george.evans@example.com', phone: '+65 8123 4528', vipLevel: 1, region: 'GB', language: 'en' },
    category: 'trade',
    subcategory: 'execution_price',
    description:
      "Phone call: the caller's stop-loss on SOL/USDT (trigger 165.00) was executed at 158.20 during the matching-engine degradation of {occ_en} (incident INC-2304), although the market traded through 165 for 40 seconds before the fill. The caller wants the difference refunded, about 2,400 USDC on a 350 SOL position.",
    amounts: [{ asset: 'USDC', amount: '2400' }],
    steps: [
      ...accepted('emily'),
      T('complete_investigation', 'emily'),
      assess('emily', ['100', '0', '0'], 'Stop-loss trigger was delayed 41 seconds by INC-2304 (matching-engine degradation). Platform fully responsible for the execution difference.'),
      remedy('emily', 'refund', 'Refund the execution difference: (165.00 − 158.20) × 350 SOL = 2,380 USDC.', 'USDC', '2380'),
      T('propose_resolution', 'emily'),
      out('emily', 'We propose to refund 2,380 USDC, the execution difference caused by incident INC-2304. Please confirm.'),
      inbound('emily', 'Customer called back and accepted the proposal.'),
      T('accept_resolution', 'emily'),
    ],
    state: 'execution',
  },
  {
    ref: 'EM-{rcv}-49920',
    channel: 'email',
    team: 'trade',
    ageMinutes: 9 * D,
    occurredMinutesBefore: 1 * D,
    complainant: { uid: '33390127', name: '宋佳', email: 'song.jia@example.com', phone: '+65 8123 4529', vipLevel: 3, region: 'HK', language: 'zh-CN' },
    category: 'trade',
    subcategory: 'slippage',
    description: '{occ_zh}我在 SOL/USDT 市价买入 320 SOL，已开启"滑点保护 1%"，但成交均价比下单时高出 4.8%，滑点保护没有起作用，多付了约 2,750 USDT。',
    amounts: [
      { asset: 'SOL', amount: '320' },
      { asset: 'USDT', amount: '2750' },
    ],
    steps: [
      ...accepted('zhang'),
      T('complete_investigation', 'zhang'),
      assess('zhang', ['50', '50', '0'], '滑点保护在市价单被拆分后仅对首笔子单生效（已知缺陷），平台承担 50%；用户在系统维护公告时段内下单，承担 50%。'),
      remedy('zhang', 'compensation', '补偿多付金额的 50%：约 1,375 USDT，折合 7.5 SOL。', 'SOL', '7.5'),
      T('propose_resolution', 'zhang'),
      out('zhang', '您好，我们拟按 50% 责任比例补偿 7.5 SOL，请确认是否接受。'),
      inbound('zhang', '用户回复：不接受。维护公告发布时间晚于我下单 12 分钟，附订单簿快照与公告截图。'),
      T('object', 'zhang', '用户提出异议：维护公告发布于下单之后 12 分钟，用户下单时无从知晓，认为平台应承担全部责任。'),
      assess('zhang', ['90', '10', '0'], '重新评估：核实公告时间晚于下单，用户无过错；保留 10% 因用户对 320 SOL 大额买单使用市价单而非限价单。'),
      remedy('zhang', 'compensation', '按 90% 补偿多付金额：约 2,475 USDT，折合 13.75 SOL。', 'SOL', '13.75'),
      T('propose_resolution', 'zhang'),
      out('zhang', '您好，经重新评估，我们拟按 90% 补偿 13.75 SOL，请确认。'),
      T('accept_resolution', 'zhang'),
    ],
    state: 'execution',
  },
  {
    ref: 'SOC-TG-2209184',
    channel: 'social',
    team: 'compliance',
    ageMinutes: 5 * D,
    occurredMinutesBefore: 3 * D,
    complainant: { uid: '84412096', name: 'Chinedu Okeke', email: 'chinedu.okeke@example.com', phone: '+65 8123 4530', vipLevel: 0, region: 'NG', language: 'en' },
    category: 'p2p',
    subcategory: 'payment_not_released',
    description:
      'Message to the official Telegram support group: I paid the NGN equivalent of 950 USDT by bank transfer for a P2P buy (order P2P-{occ_ymd}-90412). The seller went silent and never released the coins. It has been 3 days.',
    amounts: [{ asset: 'USDT', amount: '950' }],
    steps: [
      ...accepted('arjun'),
      out('arjun', 'Your appeal is open. Please keep all payment proof; the seller has 24 hours to respond before we decide on the escrow.'),
      T('complete_investigation', 'arjun'),
      assess('arjun', ['0', '0', '100'], "The buyer's bank confirmed the transfer was credited to the seller's account; the seller did not answer within the 24-hour appeal window.", 'counterparty'),
      remedy('arjun', 'refund', 'Release the 950 USDT held in P2P escrow to the buyer.', 'USDT', '950'),
      remedy('arjun', 'restrict_features', "Seller's P2P advertising suspended for 30 days."),
      remedy('arjun', 'lower_credit_rating', "Seller's P2P completion rating lowered for an unresolved appeal."),
      T('propose_resolution', 'arjun'),
      T('accept_resolution', 'arjun'),
    ],
    state: 'execution',
  },

  // ------------------------------------------------------------------ follow_up
  {
    ref: 'LC-88211876',
    channel: 'live_chat',
    team: 'funds',
    ageMinutes: 8 * D,
    occurredMinutesBefore: 7 * H,
    complainant: { uid: '26604418', name: '韩雪', email: 'han.xue@example.com', phone: '+65 8123 4531', vipLevel: 2, region: 'SG', language: 'zh-CN' },
    category: 'deposit_withdrawal',
    subcategory: 'withdrawal_delayed',
    description: '我提现 0.05 BTC 已经超过 6 小时还显示"处理中"。公告说是钱包维护，但我在维护开始之前就已经提交了提现申请。',
    amounts: [{ asset: 'BTC', amount: '0.05' }],
    steps: [
      ...opened('lina'),
      out('lina', '您好，您的提现因钱包维护被延迟，维护结束后将优先广播，我们会持续跟进并告知结果。'),
      classify('lina'),
      T('accept', 'lina'),
      T('complete_investigation', 'lina'),
      assess('lina', ['100', '0', '0'], '提现于钱包维护开始前 3 分钟提交但未被打包，维护结束后才广播，延迟 9 小时，属平台责任。'),
      remedy('lina', 'refund', '退还本次提现手续费 0.0002 BTC 作为延迟补偿。', 'BTC', '0.0002'),
      T('propose_resolution', 'lina'),
      T('accept_resolution', 'lina'),
      T('complete_execution', 'lina'),
      out('lina', '回访：手续费 0.0002 BTC 已退回您的账户。请您对本次处理进行满意度评价。'),
    ],
    state: 'follow_up',
  },
  {
    ref: 'TKT-5511093',
    channel: 'ticket',
    team: 'compliance',
    ageMinutes: 7 * D,
    occurredMinutesBefore: 2 * D,
    complainant: { uid: '57730291', name: 'Aarav Sharma', email: 'aarav.sharma@example.com', phone: '+65 8123 4532', vipLevel: 0, region: 'IN', language: 'en' },
    category: 'kyc_aml',
    subcategory: 'verification_failed',
    description: "The liveness check keeps failing on my phone with 'camera error'. I have tried 10 times. I cannot complete Advanced KYC to raise my withdrawal limit.",
    amounts: [],
    steps: [
      ...accepted('arjun'),
      T('complete_investigation', 'arjun'),
      assess('arjun', ['100', '0', '0'], "The liveness SDK does not support this phone model's camera driver; known vendor issue."),
      remedy('arjun', 'technical_support', 'Manual video verification slot booked with the KYC team.'),
      T('propose_resolution', 'arjun'),
      T('accept_resolution', 'arjun'),
      T('complete_execution', 'arjun'),
      note('arjun', 'Video verification done; Advanced KYC approved. Follow-up call scheduled.'),
    ],
    state: 'follow_up',
  },

  // ------------------------------------------------------------------ closed
  {
    ref: 'CALL-{rcv}-0021',
    channel: 'phone',
    enteredBy: 'zhang',
    team: 'service',
    ageMinutes: 12 * D,
    occurredMinutesBefore: 3 * D,
    complainant: { uid: '41156702', name: '许峰', email: 'xu.feng@example.com', phone: '+65 8123 4533', vipLevel: 1, region: 'HK', language: 'zh-CN' },
    category: 'service',
    subcategory: 'response_speed',
    description: '电话投诉：用户反映客服响应速度慢，工单提交 3 天无人回复，在线客服排队超过 40 分钟。用户要求改进并给出说明。',
    amounts: [],
    steps: [
      ...accepted('zhang'),
      T('complete_investigation', 'zhang'),
      assess('zhang', ['100', '0', '0'], '上周工单量激增 3 倍导致积压，且该用户工单被错误路由到英文队列，平台承担责任。'),
      remedy('zhang', 'compensation', '赠送 10 USDT 体验金作为致歉。', 'USDT', '10'),
      T('propose_resolution', 'zhang'),
      T('accept_resolution', 'zhang'),
      T('complete_execution', 'zhang'),
      satisfaction('zhang', 4, '回复及时，希望以后不要再出现排队这么久的情况。'),
      T('close', 'zhang'),
    ],
    state: 'closed',
  },
  {
    ref: 'EM-{rcv}-48815',
    channel: 'email',
    team: 'trade',
    ageMinutes: 14 * D,
    occurredMinutesBefore: 1 * D,
    complainant: { uid: '68821035', name: 'Anna Fischer', email: 'anna.fischer@example.com', phone: '+65 8123 4534', vipLevel: 2, region: 'DE', language: 'en' },
    category: 'trade',
    subcategory: 'order_error',
    description:
      'I set the leverage slider from 5x to 10x in the app, but the order was sent at 50x, a UI bug with the slider. The position was liquidated and I lost 0.753124876512309871 ETH of margin.',
    amounts: [{ asset: 'ETH', amount: '0.753124876512309871' }],
    steps: [
      ...accepted('emily'),
      consult('emily', 'technical', 'Can we confirm the leverage value the app sent with this order?', {
        by: 'emily',
        text: 'Tech team: the order request carried leverage=50; app v6.1.4 mapped the slider position to the wrong step table on small screens. Fixed in v6.1.5.',
      }),
      T('complete_investigation', 'emily'),
      assess('emily', ['100', '0', '0'], 'The app sent 50x instead of the 10x the user selected (slider defect in v6.1.4). Platform fully responsible.'),
      remedy('emily', 'compensation', 'Restore the full margin lost: 0.753124876512309871 ETH.', 'ETH', '0.753124876512309871'),
      T('propose_resolution', 'emily'),
      T('accept_resolution', 'emily'),
      T('complete_execution', 'emily'),
      satisfaction('emily', 5, 'Quick and fair, thank you.'),
      T('close', 'emily'),
    ],
    state: 'closed',
  },
  {
    ref: 'TKT-5498220',
    channel: 'ticket',
    team: 'compliance',
    ageMinutes: 18 * D,
    occurredMinutesBefore: 2 * D,
    complainant: { uid: '22278410', name: '罗斌', email: 'luo.bin@example.com', phone: '+65 8123 4535', vipLevel: 1, region: 'TW', language: 'zh-CN' },
    category: 'p2p',
    subcategory: 'payment_not_received',
    description: '我作为卖家在 P2P 卖出 5,200 USDT，买家付款后我已放币，两天后银行通知该笔转账被付款方撤回（拒付），钱被扣回。买家账户已经联系不上，要求平台追回损失。',
    amounts: [{ asset: 'USDT', amount: '5200' }],
    steps: [
      ...accepted('arjun'),
      consult('arjun', 'legal', 'Can we freeze the buyer account and pursue the chargeback amount?', {
        by: 'legal',
        text: '可以冻结买家账户内剩余资产作为保全，但追偿需经调解或司法程序；建议先提交第三方调解。',
      }),
      T('complete_investigation', 'arjun'),
      assess('arjun', ['0', '20', '80'], 'Buyer reversed the bank transfer after release (chargeback fraud); seller released before the 2-hour settlement hold recommended in the P2P guide.', 'fraud'),
      T('escalate_mediation', 'legal', '买家已委托律师联系平台，双方对损失分担有争议；提交第三方调解。'),
      seat('mediator', undefined, '本人与投诉人、被投诉买家及平台均无任何业务、雇佣或亲属关系，亦未曾代理涉及上述当事人的案件。No conflicts with the complainant, the buyer or the platform.'),
      // The mediator records the settlement (mediation → execution) and signs it.
      ruling('mediator', 'settlement', '调解达成和解：买家退还 3,000 USDT 等值款项，平台风险保障基金补偿 1,200 USDT，卖家自行承担 1,000 USDT。\nSettlement: the buyer returns the equivalent of 3,000 USDT, the platform protection fund pays 1,200 USDT, and the seller bears 1,000 USDT.'),
      sign('mediator'),
      T('complete_execution', 'arjun'),
      satisfaction('arjun', 3, '追回了大部分损失，但流程太长。'),
      T('close', 'arjun'),
    ],
    state: 'closed',
  },
  {
    ref: 'APP-FB-7690331',
    channel: 'app_feedback',
    team: 'service',
    ageMinutes: 11 * D,
    occurredMinutesBefore: 1 * D,
    complainant: { uid: '75590128', name: 'Jack Wilson', email: 'jack.wilson@example.com', phone: '+65 8123 4536', vipLevel: 3, region: 'AU', language: 'en' },
    category: 'service',
    subcategory: 'fees',
    description: "You charged me a 0.5% spread on a 20,000 USDC to USDT conversion that the app advertised as 'zero fee'. That is 100 USDC.",
    amounts: [{ asset: 'USDC', amount: '100' }],
    steps: [
      ...accepted('arjun'),
      T('complete_investigation', 'arjun'),
      assess('arjun', ['50', '50', '0'], "The 'zero fee' banner is accurate about fees, but the quote includes a spread that is shown only on the confirmation screen."),
      remedy('arjun', 'refund', 'Refund half of the spread as a goodwill gesture.', 'USDT', '50'),
      T('propose_resolution', 'arjun'),
      inbound('arjun', 'Customer: the confirmation screen in app v6.1 did not show the spread at all, screenshot attached.'),
      T('object', 'arjun', 'Customer rejects a 50% refund: the confirmation screen in app v6.1 omitted the spread line (screenshot provided).'),
      assess('arjun', ['100', '0', '0'], 'Re-evaluation: confirmed that the v6.1 confirmation screen omitted the spread line. Platform fully responsible.'),
      remedy('arjun', 'refund', 'Refund the full spread charged.', 'USDT', '100'),
      T('propose_resolution', 'arjun'),
      T('accept_resolution', 'arjun'),
      T('complete_execution', 'arjun'),
      satisfaction('arjun', 2, 'I got my money back, but it took 11 days and two rounds.'),
      T('close', 'arjun'),
    ],
    state: 'closed',
  },
  {
    ref: 'WF-{rcv}-115306',
    channel: 'web_form',
    team: 'funds',
    ageMinutes: 16 * D,
    occurredMinutesBefore: 6 * H,
    complainant: { uid: '86630472', name: 'Noah Tan', email: 'noah.tan@example.com', phone: '+65 8123 4537', vipLevel: 3, region: 'SG', language: 'en' },
    category: 'account_security',
    subcategory: 'funds_stolen',
    description: 'An API key I never created was used to withdraw 0.2 BTC to an external address, although I have the withdrawal whitelist enabled.',
    amounts: [{ asset: 'BTC', amount: '0.2' }],
    steps: [
      ...accepted('lina'),
      consult('lina', 'risk', 'Is this withdrawal linked to the whitelist confirmation bypass?', {
        by: 'supervisor',
        text: 'Risk team: yes, the address was whitelisted during the INC-2291 window without email confirmation.',
      }),
      T('complete_investigation', 'lina'),
      assess('lina', ['100', '0', '0'], 'Withdrawal enabled by the INC-2291 whitelist confirmation bypass; no fault by the user (hardware-key 2FA, unique password).'),
      remedy('lina', 'compensation', 'Full restitution of 0.2 BTC.', 'BTC', '0.2'),
      T('request_approval', 'lina'),
      T('approve', 'supervisor'),
      out('lina', 'We will restore the 0.2 BTC in full. Please confirm you accept.'),
      T('accept_resolution', 'lina'),
      T('complete_execution', 'lina'),
      satisfaction('lina', 5, 'Handled professionally.'),
      T('close', 'lina'),
    ],
    state: 'closed',
  },

  // ------------------------------------------------------------------ archived
  {
    ref: 'WF-{rcv}-113018',
    channel: 'web_form',
    team: 'funds',
    ageMinutes: 30 * D,
    occurredMinutesBefore: 1 * D,
    complainant: { uid: '51880342', name: '林志强', email: 'lin.zhiqiang@example.com', phone: '+65 8123 4502', vipLevel: 0, region: 'MY', language: 'zh-CN' },
    category: 'deposit_withdrawal',
    subcategory: 'deposit_not_credited',
    description: '我把 800 USDC 通过 Polygon 网络充到了平台的 ERC20 充值地址（选错了网络），一直没有到账。',
    amounts: [{ asset: 'USDC', amount: '800' }],
    steps: [
      ...accepted('lina'),
      T('complete_investigation', 'lina'),
      assess('lina', ['0', '100', '0'], '用户选错充值网络，属用户操作失误；平台在 Polygon 上控制相同地址，可以跨链找回。'),
      remedy('lina', 'technical_support', '跨链找回 800 USDC 并入账，收取找回手续费 5 USDC。'),
      T('propose_resolution', 'lina'),
      T('accept_resolution', 'lina'),
      T('complete_execution', 'lina'),
      satisfaction('lina', 5, '找回来了，非常感谢！'),
      T('close', 'lina'),
      T('archive', 'supervisor'),
    ],
    state: 'archived',
  },
  {
    ref: 'LC-87902641',
    channel: 'live_chat',
    team: 'funds',
    ageMinutes: 26 * D,
    occurredMinutesBefore: 8 * H,
    complainant: { uid: '39915527', name: 'Liam Roberts', email: 'liam.roberts@example.com', phone: '+65 8123 4538', vipLevel: 1, region: 'CA', language: 'en' },
    category: 'account_security',
    subcategory: 'malicious_login',
    description: 'Three login attempts from unfamiliar IPs in one night, all blocked by 2FA. I want to know how they got my password and whether my account is safe.',
    amounts: [],
    steps: [
      ...accepted('lina'),
      out('lina', 'Your funds are safe and 2FA blocked every attempt. Please change your password now and do not reuse it on other sites.'),
      T('complete_investigation', 'lina'),
      assess('lina', ['0', '0', '100'], 'Credential stuffing with a password leaked from a third-party site; 2FA blocked all attempts; no platform breach.', 'hacker'),
      remedy('lina', 'security_advice', 'Unique password, authenticator-app 2FA, anti-phishing code, withdrawal whitelist.'),
      T('propose_resolution', 'lina'),
      T('accept_resolution', 'lina'),
      T('complete_execution', 'lina'),
      satisfaction('lina', 4),
      T('close', 'lina'),
      T('archive', 'legal'),
    ],
    state: 'archived',
  },
  {
    ref: 'EM-{rcv}-47702',
    channel: 'email',
    team: 'trade',
    ageMinutes: 21 * D,
    occurredMinutesBefore: 1 * D,
    complainant: { uid: '13370546', name: '高燕', email: 'gao.yan@example.com', phone: '+65 8123 4539', vipLevel: 0, region: 'SG', language: 'zh-CN' },
    category: 'trade',
    subcategory: 'execution_price',
    description: '我挂的 10 BNB 限价买单价格是 600 USDT，但成交价是 598.7，和我设定的价格不一样。为什么不是按 600 成交？是不是平台操纵价格？',
    amounts: [{ asset: 'BNB', amount: '10' }],
    steps: [
      ...opened('zhang'),
      T('reject', 'zhang', '限价买单以不高于限价的价格成交属正常撮合规则（价格优先），用户以更优价格成交，不存在损失；已向用户解释撮合规则。'),
      out('zhang', '您好，限价买单会以您的限价或更低的价格成交，本次 598.7 的成交价优于您设定的 600，您没有损失。'),
      T('archive', 'supervisor'),
    ],
    state: 'archived',
  },

  // ------------------------------------------------------------------ mediation
  {
    ref: 'EM-{rcv}-49410',
    channel: 'email',
    team: 'trade',
    ageMinutes: 10 * D,
    occurredMinutesBefore: 1 * D,
    complainant: { uid: '92214470', name: 'Khalid Al-Mansoori', email: 'khalid.almansoori@example.com', phone: '+65 8123 4540', vipLevel: 6, region: 'AE', language: 'en' },
    category: 'trade',
    subcategory: 'liquidation',
    description:
      'During the API latency incident of {occ_en} my order cancellations timed out for 4 minutes and my 85,000 USDC cross-margin account was liquidated. Your status page confirmed degraded performance. I demand full compensation.',
    amounts: [{ asset: 'USDC', amount: '85000' }],
    steps: [
      ...accepted('emily', { tier: 'L3', priority: 'high' }),
      consult('emily', 'legal', 'Does the user agreement limit liability for losses during a declared API incident?', {
        by: 'legal',
        text: '用户协议第 12 条对"不可抗力及系统维护"免责，但本次事故为平台自身发布缺陷，不适用免责；按过错比例承担。',
      }),
      T('complete_investigation', 'emily'),
      assess('emily', ['40', '60', '0'], 'Cancellations timed out for 4 minutes (platform incident), but the account ran at 25x cross margin with no stop-loss and was already near maintenance margin before the incident.'),
      remedy('emily', 'compensation', 'Platform share of the loss attributable to the 4-minute outage window.', 'USDC', '8000'),
      T('propose_resolution', 'emily'),
      inbound('emily', 'Counsel for the complainant rejects 8,000 USDC and asks for mediation.'),
      T('object', 'emily', 'Complainant (through counsel) rejects 8,000 USDC as far below the loss during the outage.'),
      T('escalate_mediation', 'legal', 'Complainant represented by counsel; both sides agree to mediation under the exchange dispute rules.'),
    ],
    state: 'mediation',
  },
  {
    ref: 'TKT-5503317',
    channel: 'ticket',
    team: 'funds',
    ageMinutes: 15 * D,
    occurredMinutesBefore: 1 * D,
    complainant: { uid: '17745902', name: '赵敏', email: 'zhao.min@example.com', phone: '+65 8123 4541', vipLevel: 2, region: 'HK', language: 'zh-CN' },
    category: 'account_security',
    subcategory: 'account_takeover',
    description: '账户被盗后资金被转出：{occ_zh}我的手机号被人补卡（SIM 卡劫持），对方重置了登录密码并转出 0.9 BTC 和 3,000 USDT。我认为平台仅凭短信验证就允许重置密码和提现，存在安全漏洞，要求全额赔偿。',
    amounts: [
      { asset: 'BTC', amount: '0.9' },
      { asset: 'USDT', amount: '3000' },
    ],
    steps: [
      ...accepted('lina'),
      out('lina', '您好，账户已冻结并撤销全部 API Key。请立即联系运营商挂失并补办 SIM 卡，修改邮箱密码，并向警方报案。'),
      consult('lina', 'risk', '重置密码后的提现为何未被 24 小时限制拦截？', {
        by: 'supervisor',
        text: '风控回复：用户未开启邮箱验证，仅短信验证；短信重置密码后有 24 小时提现限制，但攻击者通过"更换手机号"流程绕开，该流程的限制仅 2 小时。',
      }),
      T('complete_investigation', 'lina'),
      assess('lina', ['10', '40', '50'], '攻击者 SIM 卡劫持（50%）；用户仅使用短信验证且未开启邮箱验证（40%）；平台"更换手机号"流程限制不足（10%）。', 'hacker'),
      remedy('lina', 'compensation', '按平台 10% 责任比例补偿：(0.9 BTC + 3,000 USDT) × 10% ≈ 8,850 USDT。', 'USDT', '8850'),
      remedy('lina', 'security_advice', '启用身份验证器 App 或通行密钥，关闭短信验证，设置防钓鱼码和提现白名单。'),
      T('propose_resolution', 'lina'),
      T('escalate_mediation', 'supervisor', '用户不接受 10% 的责任认定，要求全额赔偿；双方同意由第三方调解员协商。'),
    ],
    state: 'mediation',
  },

  // ------------------------------------------------------------------ arbitration
  {
    ref: 'EM-{rcv}-46981',
    channel: 'email',
    team: 'trade',
    ageMinutes: 25 * D,
    occurredMinutesBefore: 1 * D,
    complainant: { uid: '99120384', name: '邓超', email: 'deng.chao@example.com', phone: '+65 8123 4542', idDocumentNumber: 'DEMO-HK-0003', vipLevel: 8, region: 'HK', language: 'zh-CN' },
    category: 'trade',
    subcategory: 'execution_price',
    description: '本人 BTC 永续合约 3.5 BTC 多仓设置了 90,000 的止损单，插针时止损单在 86,420 才成交，远低于触发价，损失约 0.14 BTC。随后行情回升，本人认为平台应恢复仓位，并按 3.5 BTC 仓位全额赔偿。',
    amounts: [{ asset: 'BTC', amount: '3.5' }],
    steps: [
      ...accepted('zhang'),
      { do: 'exhibits', by: 'zhang', files: (at) => demoArbitrationExhibits(at) },
      consult('zhang', 'legal', '用户要求恢复仓位，平台是否有义务恢复已按规则成交的止损单仓位？', {
        by: 'legal',
        text: '无恢复仓位义务：止损市价单按可成交价格成交符合交易规则；但若插针保护延迟属实，平台应就延迟部分承担相应责任。',
      }),
      T('complete_investigation', 'zhang'),
      assess('zhang', ['20', '80', '0'], '止损市价单在极端行情中按可成交价格成交，符合规则；插针保护延迟 2 秒触发，平台承担 20%。'),
      remedy('zhang', 'compensation', '按止损滑点损失 0.14 BTC 的 20% 补偿 0.028 BTC。', 'BTC', '0.028'),
      T('propose_resolution', 'zhang'),
      T('object', 'zhang', '用户不接受：要求恢复 3.5 BTC 仓位并全额赔偿。'),
      T('escalate_mediation', 'legal', '用户坚持恢复仓位，双方同意先行第三方调解。'),
      T('record_impasse', 'legal', '调解两轮未达成一致：用户坚持恢复整个仓位，平台仅认可止损滑点损失。提交三人仲裁庭（律师、会计师、技术专家）。', 3),
      // The panel: each member discloses, then accepts; only then may they see the case.
      seat('arbitrator', 'lawyer', 'No relationship with the complainant or the exchange in the last five years; I hold no position in BTC derivatives. 与双方无任何关系。'),
      seat('kenneth', 'accountant', '本人所在会计师事务所三年前曾为平台提供一次税务咨询（已结束，金额不足 5 万港元），与投诉人无任何关系。Disclosed: one tax engagement for the exchange three years ago, since closed.'),
      seat('priya', 'technical_expert', 'No conflicts. I have published research on exchange matching engines, none funded by this exchange.'),
      ruling(
        'arbitrator',
        'award',
        '裁决：止损市价单在插针行情中按可成交价格成交符合交易规则，平台无恢复仓位的义务；但插针保护机制延迟 2 秒触发，平台应对该延迟造成的滑点损失承担 35% 的责任，即向申请人支付 0.049 BTC，于本裁决作出之日起 14 日内履行。其余请求驳回。\n' +
          'Award: the stop-market order was filled at the available price as the trading rules provide, and the exchange is under no duty to restore the position. The spike protection triggered 2 seconds late; the exchange bears 35% of the slippage loss and pays the claimant 0.049 BTC within 14 days of this award. All other claims are dismissed.',
      ),
      sign('arbitrator'),
      sign('kenneth'),
      sign('priya'),
      opinion(
        'priya',
        'dissent',
        'I dissent on the share only. The matching-engine log shows the protection threshold was itself misconfigured for BTC perpetuals (0.8% instead of 0.5%); with the documented threshold the stop would have filled near 89,300. The exchange should bear 60% of the slippage loss, not 35%.',
      ),
      opinion('kenneth', 'addendum', '补充意见：0.049 BTC 按裁决日 BTC/USDT 参考价折算约 4,500 USDT；平台可选择以 BTC 或等值 USDT 履行，手续费由平台承担。Addendum: the exchange may pay in BTC or the USDT equivalent at the award-date reference rate, fees borne by the exchange.'),
    ],
    state: 'execution',
  },
  {
    ref: 'TKT-5490126',
    channel: 'ticket',
    team: 'compliance',
    ageMinutes: 20 * D,
    occurredMinutesBefore: 60 * D,
    complainant: { uid: '46601839', name: 'William Hughes', email: 'william.hughes@example.com', phone: '+65 8123 4543', idDocumentNumber: 'DEMO-GB-0004', vipLevel: 4, region: 'GB', language: 'en' },
    category: 'kyc_aml',
    subcategory: 'account_frozen',
    description:
      'My account has been frozen for 60 days after an AML review, with 40,000 USDT in it. I provided every document requested. I want the account unfrozen and compensation for the lost trading opportunity.',
    amounts: [{ asset: 'USDT', amount: '40000' }],
    steps: [
      ...accepted('arjun'),
      consult('arjun', 'legal', 'May we release the part of the balance that is not traced to the flagged OTC desk?', {
        by: 'legal',
        text: '可以：仅 12,000 USDT 可追溯至被调查的 OTC 商户，其余 28,000 USDT 可解冻；被追溯部分须等待主管机关决定。',
      }),
      T('complete_investigation', 'arjun'),
      assess('arjun', ['0', '0', '100'], '12,000 USDT traced to an OTC desk under investigation by the authorities; the freeze was lawful and the complainant acted in good faith.', 'counterparty'),
      remedy('arjun', 'account_unfreeze', 'Unfreeze 28,000 USDT; the 12,000 USDT traced to the flagged OTC desk stays frozen pending the authority decision.'),
      T('propose_resolution', 'arjun'),
      T('escalate_arbitration', 'legal', 'Complainant rejects the partial unfreeze and invokes the arbitration clause of the user agreement.', 1),
    ],
    state: 'arbitration',
  },
];

export const DEMO_CASE_COUNT = CASES.length;

// ---------------------------------------------------------------------------------------------
// The evidence of the panel arbitration (a BTC perpetual stop-loss filled far below its trigger)
// ---------------------------------------------------------------------------------------------

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
    `BTC,tx,${BTC_MARGIN_DEPOSIT_TX},保证金充值 3.6 BTC margin deposit`,
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

/** Takes a file in as a person's upload would: a resumable upload, sent in one chunk, hashed while it arrives. */
async function takeIn(deps: EvidenceDeps, ctx: ServiceContext & { actor: UserActor }, caseId: string, f: DemoExhibitFile): Promise<void> {
  const sha256 = createHash('sha256').update(f.bytes).digest('hex');
  const { uploadId } = await beginUpload(deps, ctx, {
    caseId,
    fileName: f.fileName,
    size: f.bytes.length,
    sha256,
    side: f.side,
    source: f.source,
    ...(f.type ? { type: f.type } : {}),
    ...(f.internalOnly ? { internalOnly: true } : {}),
  });
  const done = await appendChunk(deps, ctx, { uploadId, offset: 0, body: Readable.from([f.bytes]) });
  if (!done.complete) throw new Error(`demo seed: the upload of ${f.fileName} did not complete`);
}

// ---------------------------------------------------------------------------------------------
// Running it
// ---------------------------------------------------------------------------------------------

// Any constant: serialises concurrent demo seeders so only one creates the organisation.
const DEMO_SEED_LOCK = 0x4152_4253;

function newPassword(): string {
  return randomBytes(18).toString('base64url'); // 24 characters
}

interface CreatedUser {
  spec: DemoUserSpec;
  id: string;
  password: string;
  totpSecret?: string;
  actor: UserActor;
}

let requestCounter = 0;
function metaFor(language: Language) {
  requestCounter += 1;
  return { requestId: `demo-seed-${requestCounter}`, ip: '127.0.0.1', userAgent: 'arbitra-demo-seed', language };
}

function userContext(u: CreatedUser): ServiceContext & { actor: UserActor } {
  return { actor: u.actor, meta: metaFor(u.spec.language) };
}

export async function seedDemo(
  db: DB,
  options: {
    dataDir: string;
    log?: (line: string) => void;
    now?: Date;
    /** Where demo exhibits are stored; by default the filesystem store under the data directory (as the server's default). */
    evidence?: EvidenceDeps;
  },
): Promise<SeedDemoResult> {
  const log = options.log ?? (() => {});
  const now = options.now ?? new Date();
  const credentialsFile = path.join(options.dataDir, DEMO_CREDENTIALS_FILE);
  const skipped: SeedDemoResult = { credentialsFile, users: [], intakeKey: '', cases: 0, alreadySeeded: true };

  if (await db.selectFrom('users').select('id').limit(1).executeTakeFirst()) {
    log('Arbitra demo: the database already has users; demo data not created.');
    return skipped;
  }

  // 1. The admin, created directly (there is nobody to create them), under a lock that makes a
  //    concurrent seeder see a user and stop.
  const adminSpec = USERS[0]!;
  const adminPassword = newPassword();
  const adminHash = await hashPassword(adminPassword);
  const system = systemContext('demo-seed');
  const adminId = await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${DEMO_SEED_LOCK})`.execute(trx);
    if (await trx.selectFrom('users').select('id').limit(1).executeTakeFirst()) return null;
    const row = await trx
      .insertInto('users')
      .values({ email: adminSpec.email, display_name: adminSpec.displayName, role: adminSpec.role, language: adminSpec.language, password_hash: adminHash })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(trx, system, {
      action: 'user.created',
      entity: 'user',
      entityId: row.id,
      details: { email: adminSpec.email, displayName: adminSpec.displayName, role: adminSpec.role, language: adminSpec.language, teamIds: [], demo: true },
    });
    return row.id;
  });
  if (adminId === null) {
    log('Arbitra demo: the database already has users; demo data not created.');
    return skipped;
  }

  const users = new Map<UserKey, CreatedUser>();
  const actorOf = (spec: DemoUserSpec, id: string, teamIds: string[]): UserActor => ({
    kind: 'user',
    userId: id,
    role: spec.role,
    email: spec.email,
    displayName: spec.displayName,
    language: spec.language,
    teamIds,
    sessionId: 'demo-seed',
    totpSatisfied: true,
  });
  users.set('admin', { spec: adminSpec, id: adminId, password: adminPassword, actor: actorOf(adminSpec, adminId, []) });
  const adminCtx = () => userContext(users.get('admin')!);

  // 2. Teams, the other users and the intake key, through the admin service (audited as the admin).
  const teamIds = new Map<TeamKey, string>();
  for (const t of TEAMS) teamIds.set(t.key, (await createTeam(db, adminCtx(), { name: t.name })).id);
  for (const spec of USERS.slice(1)) {
    const password = newPassword();
    const memberOf = spec.teams.map((k) => teamIds.get(k)!);
    const view = await createUser(db, adminCtx(), { email: spec.email, displayName: spec.displayName, role: spec.role, language: spec.language, password, teamIds: memberOf });
    users.set(spec.key, { spec, id: view.id, password, actor: actorOf(spec, view.id, memberOf) });
  }
  // TOTP already enrolled for the roles that must use it, so they can sign in straight away.
  for (const u of users.values()) {
    if (!TOTP_REQUIRED_ROLES.includes(u.spec.role)) continue;
    u.totpSecret = authenticator.generateSecret();
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('users').set({ totp_secret: u.totpSecret!, totp_enabled_at: now, totp_last_step: null }).where('id', '=', u.id).execute();
      await audit(trx, system, { action: 'totp.enabled', entity: 'user', entityId: u.id, details: { demo: true } });
    });
  }
  const { key: intakeKey, intakeKey: intakeKeyRow } = await createIntakeKey(db, adminCtx(), { name: INTAKE_KEY_NAME, defaultTeamId: teamIds.get('trade')! });

  // 3. Credentials: printed once, and kept in a file only the owner can read.
  const credentials: DemoCredential[] = USERS.map((spec) => {
    const u = users.get(spec.key)!;
    return { email: spec.email, role: spec.role, password: u.password, ...(u.totpSecret ? { totpSecret: u.totpSecret } : {}) };
  });
  const lines = credentialLines(users, intakeKey, credentialsFile);
  for (const line of lines.log) log(line);
  fs.mkdirSync(options.dataDir, { recursive: true });
  fs.writeFileSync(credentialsFile, lines.file.join('\n') + '\n', { mode: 0o600 });
  fs.chmodSync(credentialsFile, 0o600);

  // 4. The cases, oldest first so case numbers follow the order they were received in.
  const intakeCtx = (): ServiceContext => {
    const actor: IntakeActor = { kind: 'intake', intakeKeyId: intakeKeyRow.id, name: intakeKeyRow.name, defaultTeamId: intakeKeyRow.defaultTeamId };
    return { actor, meta: metaFor('en') };
  };
  const ordered = [...CASES].sort((a, b) => b.ageMinutes - a.ageMinutes);
  const started = Date.now();
  const evidence = options.evidence ?? {
    db,
    store: new FsBlobStore(path.join(options.dataDir, 'evidence', 'blobs')),
    uploadsDir: path.join(options.dataDir, 'evidence', 'uploads'),
    maxUploadBytes: DEFAULT_MAX_UPLOAD_BYTES,
  };
  for (const spec of ordered) await seedCase(db, spec, { now, users, teamIds, intakeKeyId: intakeKeyRow.id, intakeCtx, evidence });
  log(`Arbitra demo: ${ordered.length} cases created in ${((Date.now() - started) / 1000).toFixed(1)} s.`);

  return { credentialsFile, users: credentials, intakeKey, cases: ordered.length, alreadySeeded: false };
}

function credentialLines(users: Map<UserKey, CreatedUser>, intakeKey: string, credentialsFile: string): { log: string[]; file: string[] } {
  const userLines: string[] = [];
  for (const spec of USERS) {
    const u = users.get(spec.key)!;
    userLines.push(`  ${spec.role.padEnd(10)} ${spec.displayName}`);
    userLines.push(`             email:    ${spec.email}`);
    userLines.push(`             password: ${u.password}`);
    if (u.totpSecret) {
      userLines.push(`             TOTP secret: ${u.totpSecret}`);
      userLines.push(`             TOTP URI:    ${authenticator.uri(u.totpSecret, spec.email)}`);
    }
  }
  const keyLines = [`  intake key (default team ${TEAMS[0]!.name}): ${intakeKey}`];
  const log = [
    `Arbitra demo: created the demo organisation. Credentials (shown once here; also in ${credentialsFile}, mode 0600):`,
    ...userLines,
    ...keyLines,
  ];
  const file = [
    'Arbitra demo credentials',
    '========================',
    '',
    'How to log in: open the workstation or the portal and sign in with an email and password below.',
    'Admins, arbitrators and mediators must also give a 6-digit TOTP code: add the TOTP secret (or scan',
    'the otpauth:// URI as a QR code) in any authenticator app, e.g. `oathtool --totp -b <secret>`.',
    'Change these passwords after the first login. Delete this file once you have stored them.',
    '',
    'Users',
    '-----',
    ...userLines,
    '',
    'Intake API',
    '----------',
    ...keyLines,
    '  POST /api/v1/complaints with the header  Authorization: Bearer <intake key>',
    '  (the schema is served at /api/v1/openapi.json)',
  ];
  return { log, file };
}

async function seedCase(
  db: DB,
  template: CaseSpec,
  env: { now: Date; users: Map<UserKey, CreatedUser>; teamIds: Map<TeamKey, string>; intakeKeyId: string; intakeCtx: () => ServiceContext; evidence: EvidenceDeps },
): Promise<void> {
  const receivedAt = new Date(env.now.getTime() - template.ageMinutes * 60_000);
  const occurredAt = new Date(receivedAt.getTime() - template.occurredMinutesBefore * 60_000);
  const spec = fillDates(template, { receivedAt, occurredAt });
  const { uid, ...pii } = spec.complainant;
  const input = complaintIntake.parse({
    externalRef: spec.ref,
    channel: spec.channel,
    complainant: { exchangeUid: uid, ...pii },
    category: spec.category,
    subcategory: spec.subcategory,
    description: spec.description,
    amounts: spec.amounts,
    occurredAt: occurredAt.toISOString(),
    urgent: spec.urgent ?? false,
  });
  const user = (k: UserKey) => env.users.get(k)!;
  const ctx = (k: UserKey) => userContext(user(k));
  const enteredBy = spec.enteredBy ? user(spec.enteredBy) : null;
  const teamId = spec.team ? env.teamIds.get(spec.team)! : null;
  const { id: caseId } = await receiveComplaint(db, enteredBy ? userContext(enteredBy) : env.intakeCtx(), input, {
    intakeKeyId: enteredBy ? null : env.intakeKeyId,
    teamId,
    now: receivedAt,
  });
  const current = () => db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirstOrThrow();

  for (const [i, step] of spec.steps.entries()) {
    try {
      await runStep(db, caseId, step, { ctx, user, current, evidence: env.evidence, at: { receivedAt, occurredAt } });
    } catch (error) {
      const what = step.do === 't' ? `${step.do}:${step.action}` : step.do;
      const detail = error instanceof Error ? error.message : String(error);
      throw new Error(`demo seed: case ${spec.ref}, step ${i + 1} (${what}) failed: ${detail}`, { cause: error });
    }
  }
  const final = await current();
  if (final.status !== spec.state) throw new Error(`demo seed: case ${spec.ref} ended in ${final.status}, expected ${spec.state}`);
}

async function runStep(
  db: DB,
  caseId: string,
  step: Step,
  h: {
    ctx: (k: UserKey) => ServiceContext & { actor: UserActor };
    user: (k: UserKey) => CreatedUser;
    current: () => Promise<{ status: string; category: string; subcategory: string; tier: string; priority: string }>;
    evidence: EvidenceDeps;
    at: { receivedAt: Date; occurredAt: Date };
  },
): Promise<void> {
  switch (step.do) {
    case 'assign':
      await assignCase(db, h.ctx('supervisor'), { caseId, assigneeId: h.user(step.to).id });
      return;
    case 'classify': {
      const c = await h.current();
      await classifyCase(db, h.ctx(step.by), {
        caseId,
        category: c.category as Category,
        subcategory: step.subcategory ?? (c.subcategory as Subcategory),
        tier: step.tier ?? (c.tier as Tier),
        priority: step.priority ?? (c.priority as Priority),
      });
      return;
    }
    case 't': {
      const c = await h.current();
      await transitionCase(db, h.ctx(step.by), {
        caseId,
        action: step.action,
        expectedStatus: c.status as CaseState,
        ...(step.reason ? { reason: step.reason } : {}),
        ...(step.panelSize ? { panelSize: step.panelSize } : {}),
      });
      return;
    }
    case 'assess':
      await setAssessment(db, h.ctx(step.by), {
        caseId,
        platformShare: step.shares[0],
        userShare: step.shares[1],
        thirdPartyShare: step.shares[2],
        ...(step.thirdPartyKind ? { thirdPartyKind: step.thirdPartyKind } : {}),
        findings: step.findings,
      });
      return;
    case 'remedy':
      await proposeRemedy(db, h.ctx(step.by), {
        caseId,
        kind: step.kind,
        details: step.details,
        ...(step.asset && step.amount ? { asset: step.asset, amount: step.amount } : {}),
      });
      return;
    case 'withdraw_monetary': {
      const open = await db
        .selectFrom('remedies')
        .select('id')
        .where('case_id', '=', caseId)
        .where('status', 'in', ['draft', 'approved'])
        .where('kind', 'in', [...MONETARY_REMEDY_KINDS])
        .orderBy('created_at')
        .execute();
      for (const r of open) await withdrawRemedy(db, h.ctx(step.by), { remedyId: r.id });
      return;
    }
    case 'note':
      await addNote(db, h.ctx(step.by), { caseId, body: step.body });
      return;
    case 'consult': {
      const q = await addConsultation(db, h.ctx(step.by), { caseId, team: step.team, question: step.question });
      if (step.answer) await answerConsultation(db, h.ctx(step.answer.by), { consultationId: q.id, answer: step.answer.text });
      return;
    }
    case 'comm': {
      const c = await db.selectFrom('cases').select('channel').where('id', '=', caseId).executeTakeFirstOrThrow();
      await logCommunication(db, h.ctx(step.by), { caseId, direction: step.direction, channel: c.channel, body: step.body });
      return;
    }
    case 'satisfaction':
      await recordSatisfaction(db, h.ctx(step.by), { caseId, score: step.score, ...(step.comment ? { comment: step.comment } : {}) });
      return;
    case 'relation': {
      const c = await db
        .selectFrom('cases')
        .innerJoin('complainants', 'complainants.id', 'cases.complainant_id')
        .select('complainants.exchange_uid')
        .where('cases.id', '=', caseId)
        .executeTakeFirstOrThrow();
      await recordRelation(db, h.ctx('supervisor'), { userId: h.user(step.user).id, exchangeUid: c.exchange_uid, relation: step.relation });
      return;
    }
    case 'exhibits':
      for (const f of step.files(h.at)) await takeIn(h.evidence, h.ctx(step.by), caseId, f);
      return;
    case 'seat': {
      const escalation = await openEscalationOf(db, caseId);
      const { id } = await assignMember(db, h.ctx(step.by), { escalationId: escalation.id, userId: h.user(step.member).id, seat: step.seat ?? null });
      await disclose(db, h.ctx(step.member), { memberId: id, disclosure: step.disclosure });
      await answerSeat(db, h.ctx(step.member), { memberId: id, answer: step.answer });
      return;
    }
    case 'ruling': {
      const escalation = await openEscalationOf(db, caseId);
      await recordRuling(db, h.ctx(step.by), { escalationId: escalation.id, kind: step.kind, text: step.text });
      return;
    }
    case 'sign':
      await signRuling(db, h.ctx(step.by), { rulingId: (await latestRulingOf(db, caseId)).id });
      return;
    case 'opinion':
      await addOpinion(db, h.ctx(step.by), { rulingId: (await latestRulingOf(db, caseId)).id, kind: step.kind, body: step.body });
      return;
  }
}

const openEscalationOf = (db: DB, caseId: string) =>
  db.selectFrom('escalations').select('id').where('case_id', '=', caseId).where('status', '=', 'open').orderBy('created_at', 'desc').executeTakeFirstOrThrow();

const latestRulingOf = (db: DB, caseId: string) => db.selectFrom('rulings').select('id').where('case_id', '=', caseId).orderBy('decided_at', 'desc').executeTakeFirstOrThrow();
