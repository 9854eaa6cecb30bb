// Demo cases — KYC/AML: failed verifications and frozen accounts.
// In lifecycle order of how far each case gets; `endsIn` is checked when the seed runs.
import {
  DAY,
  HOUR,
  accepted,
  acceptResolution,
  assess,
  completeExecution,
  completeInvestigation,
  consult,
  appoint,
  escalateToArbitration,
  note,
  opened,
  proposeResolution,
  remedy,
  requestMaterial,
  toComplainant,
  type DemoCase,
} from '../case-script';

export const KYC_AML_CASES: DemoCase[] = [
  // ------------------------------------------------------------------ initial_review
  {
    ref: 'EM-{rcv}-52291',
    channel: 'email',
    team: 'compliance',
    ageMinutes: 5 * HOUR,
    occurredMinutesBefore: 2 * DAY,
    complainant: { uid: '73310558', name: 'Lukas Schneider', email: 'lukas.schneider@example.com', phone: '+65 8123 4505', idDocumentNumber: 'DEMO-DE-0001', vipLevel: 0, region: 'DE', language: 'en' },
    category: 'kyc_aml',
    subcategory: 'verification_failed',
    description:
      "My identity verification has failed four times with the message 'document could not be verified'. I am using my German passport, the photos are sharp and it is not expired. Because verification is incomplete I cannot withdraw my 3,100 USDC. Please resolve this.",
    amounts: ['3100 USDC'],
    steps: [
      ...opened('arjun'),
      note('arjun', 'All four rejections came from the automated document check (glare on the MRZ line). Asking the KYC vendor for a manual review before requesting new material.'),
    ],
    endsIn: 'initial_review',
  },

  // ------------------------------------------------------------------ awaiting_material
  {
    ref: 'APP-FB-7729015',
    channel: 'app_feedback',
    team: 'compliance',
    ageMinutes: 2 * DAY,
    occurredMinutesBefore: 3 * DAY,
    complainant: { uid: '19928374', name: '黄蕾', email: 'huang.lei@example.com', phone: '+65 8123 4508', vipLevel: 4, region: 'TW', language: 'zh-CN' },
    category: 'kyc_aml',
    subcategory: 'account_frozen',
    description: '我的账户被冻结，提示"风控审核中"，无法交易和提现，账户内约 25,000 USDT。最近只是通过 OTC 从朋友那里收了一笔 USDT。客服只说等待审核，已经三天没有任何进展。',
    amounts: ['25000 USDT'],
    steps: [
      ...accepted('arjun'),
      consult('arjun', 'risk', 'Which deposit triggered the freeze on this account, and what is its exposure score?', {
        by: 'supervisor',
        text: '风控团队回复：冻结前一天入金 18,000 USDT，来源地址与受制裁混币器存在 37% 间接关联，需完成增强尽调 (EDD)：资金来源证明及交易对手信息。',
      }),
      requestMaterial('arjun', '请提供这笔 18,000 USDT 的资金来源证明（OTC 交易聊天记录、付款凭证）以及交易对手信息，以完成增强尽调 (EDD)。'),
    ],
    endsIn: 'awaiting_material',
  },

  // ------------------------------------------------------------------ resolution_proposed
  {
    ref: 'APP-FB-7728841',
    channel: 'app_feedback',
    team: 'compliance',
    ageMinutes: 3 * DAY,
    occurredMinutesBefore: 1 * DAY,
    complainant: { uid: '72261058', name: '唐宁', email: 'tang.ning@example.com', phone: '+65 8123 4527', vipLevel: 2, region: 'MY', language: 'zh-CN' },
    category: 'kyc_aml',
    subcategory: 'account_frozen',
    description: 'KYC 审核失败账户被冻结：我更新护照信息后，系统提示"身份信息不一致"并冻结了账户，账户里有 4,500 USDT 无法提出。我的护照是新换发的，姓名拼写与旧护照相同。',
    amounts: ['4500 USDT'],
    steps: [
      ...accepted('arjun'),
      completeInvestigation('arjun'),
      assess('arjun', { platform: '100', user: '0', thirdParty: '0' }, 'The new passport prints the name as "TANG NING" and the old one as "TANG, NING"; the matcher treated the comma as a different name and froze the account. Platform error.'),
      remedy('arjun', 'account_unfreeze', 'Lift the freeze and mark the KYC record as verified after manual review.'),
      remedy('arjun', 'technical_support', '协助用户在 App 中重新提交 KYC 资料，由人工复核通过。'),
      proposeResolution('arjun'),
      toComplainant('arjun', '您好，经核实冻结系名字格式比对误判所致，我们拟解除冻结并人工完成 KYC 复核。请回复确认。'),
    ],
    endsIn: 'resolution_proposed',
  },

  // ------------------------------------------------------------------ follow_up
  {
    ref: 'TKT-5511093',
    channel: 'ticket',
    team: 'compliance',
    ageMinutes: 7 * DAY,
    occurredMinutesBefore: 2 * DAY,
    complainant: { uid: '57730291', name: 'Aarav Sharma', email: 'aarav.sharma@example.com', phone: '+65 8123 4532', vipLevel: 0, region: 'IN', language: 'en' },
    category: 'kyc_aml',
    subcategory: 'verification_failed',
    description: "The liveness check keeps failing on my phone with 'camera error'. I have tried 10 times. I cannot complete Advanced KYC to raise my withdrawal limit.",
    amounts: [],
    steps: [
      ...accepted('arjun'),
      completeInvestigation('arjun'),
      assess('arjun', { platform: '100', user: '0', thirdParty: '0' }, "The liveness SDK does not support this phone model's camera driver; known vendor issue."),
      remedy('arjun', 'technical_support', 'Manual video verification slot booked with the KYC team.'),
      proposeResolution('arjun'),
      acceptResolution('arjun'),
      completeExecution('arjun'),
      note('arjun', 'Video verification done; Advanced KYC approved. Follow-up call scheduled.'),
    ],
    endsIn: 'follow_up',
  },

  // ------------------------------------------------------------------ arbitration
  {
    ref: 'TKT-5490126',
    channel: 'ticket',
    team: 'compliance',
    ageMinutes: 20 * DAY,
    occurredMinutesBefore: 60 * DAY,
    complainant: { uid: '46601839', name: 'William Hughes', email: 'william.hughes@example.com', phone: '+65 8123 4543', idDocumentNumber: 'DEMO-GB-0004', vipLevel: 4, region: 'GB', language: 'en' },
    category: 'kyc_aml',
    subcategory: 'account_frozen',
    description:
      'My account has been frozen for 60 days after an AML review, with 40,000 USDT in it. I provided every document requested. I want the account unfrozen and compensation for the lost trading opportunity.',
    amounts: ['40000 USDT'],
    steps: [
      ...accepted('arjun'),
      consult('arjun', 'legal', 'May we release the part of the balance that is not traced to the flagged OTC desk?', {
        by: 'legal',
        text: '可以：仅 12,000 USDT 可追溯至被调查的 OTC 商户，其余 28,000 USDT 可解冻；被追溯部分须等待主管机关决定。',
      }),
      completeInvestigation('arjun'),
      assess('arjun', { platform: '0', user: '0', thirdParty: '100', thirdPartyKind: 'counterparty' }, '12,000 USDT traced to an OTC desk under investigation by the authorities; the freeze was lawful and the complainant acted in good faith.'),
      remedy('arjun', 'account_unfreeze', 'Unfreeze 28,000 USDT; the 12,000 USDT traced to the flagged OTC desk stays frozen pending the authority decision.'),
      proposeResolution('arjun'),
      escalateToArbitration('legal', 'Complainant rejects the partial unfreeze and invokes the arbitration clause of the user agreement.', { panelSize: 1 }),
      // Left for the demo arbitrator to disclose and answer in the portal: a newcomer sees the whole flow.
      appoint('arbitrator'),
    ],
    endsIn: 'arbitration',
  },
];
