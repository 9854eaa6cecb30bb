// Demo cases — P2P: payments not received, coins not released.
// In lifecycle order of how far each case gets; `endsIn` is checked when the seed runs.
import {
  DAY,
  HOUR,
  accepted,
  acceptResolution,
  assess,
  closedAfterFollowUp,
  completeInvestigation,
  consult,
  escalateToMediation,
  mediatorSeat,
  note,
  opened,
  proposeResolution,
  remedy,
  requestMaterial,
  requestThirdParty,
  settlement,
  sign,
  toComplainant,
  type DemoCase,
} from '../case-script';

export const P2P_CASES: DemoCase[] = [
  // ------------------------------------------------------------------ awaiting_material
  {
    ref: 'TKT-5523810',
    channel: 'ticket',
    team: 'compliance',
    ageMinutes: 1 * DAY,
    occurredMinutesBefore: 10 * HOUR,
    complainant: { uid: '81145023', name: 'Grace Wanjiru', email: 'grace.wanjiru@example.com', phone: '+65 8123 4507', vipLevel: 0, region: 'KE', language: 'en' },
    category: 'p2p',
    subcategory: 'payment_not_received',
    description:
      'I sold 1,500 USDT on P2P (order P2P-{occ_ymd}-77213). The buyer marked the order as paid and uploaded a screenshot, but no money has arrived in my bank account. The buyer keeps pressing me to release the coins. I have not released and I opened an appeal.',
    amounts: ['1500 USDT'],
    steps: [
      ...opened('arjun'),
      requestMaterial('arjun', "Please upload your bank statement covering the last three days (PDF issued by your bank) showing that no transfer from the buyer's name arrived, so we can rule on the appeal. The 1,500 USDT stays in escrow meanwhile."),
    ],
    endsIn: 'awaiting_material',
  },

  // ------------------------------------------------------------------ investigation
  {
    ref: 'CALL-{rcv}-0017',
    channel: 'phone',
    enteredBy: 'arjun',
    team: 'compliance',
    ageMinutes: 3 * DAY,
    occurredMinutesBefore: 3 * HOUR,
    complainant: { uid: '35520981', name: '吴芳', email: 'wu.fang@example.com', phone: '+65 8123 4515', vipLevel: 1, region: 'HK', language: 'zh-CN' },
    category: 'p2p',
    subcategory: 'payment_not_released',
    description: '电话投诉记录：用户在 P2P 买入 6,800 USDT（订单号 P2P-{occ_ymd}-55830），已通过银行转账付款 52,900 港币并上传付款凭证，P2P 买家已付款但卖家未放币，卖家超过 2 小时不回复消息，订单已进入申诉。用户要求平台立即放币。',
    amounts: ['6800 USDT'],
    steps: [
      ...accepted('arjun'),
      consult('arjun', 'legal', "The seller says the payer name differs from the buyer's KYC name (third-party payment). May we release escrow to the buyer if the bank confirms the transfer?", {
        by: 'legal',
        text: '不可以直接放币：第三方代付违反 P2P 用户协议第 7.3 条。请先要求买家证明付款账户为本人名下；如确认为本人账户，可将托管的 USDT 放给买家。',
      }),
      toComplainant('arjun', '您好，您的申诉已受理。请上传付款银行账户的户名证明（银行 App 截图或对账单），确认付款账户为您本人名下后，我们将处理托管资产。'),
      note('arjun', 'Escrow of 6,800 USDT stays locked; seller has been notified that P2P ads are paused during the appeal.'),
    ],
    endsIn: 'investigation',
  },

  // ------------------------------------------------------------------ awaiting_third_party
  {
    ref: 'APP-FB-7731480',
    channel: 'app_feedback',
    team: 'compliance',
    ageMinutes: 30 * HOUR,
    occurredMinutesBefore: 7 * HOUR,
    complainant: { uid: '58830146', name: '何静', email: 'he.jing@example.com', phone: '+65 8123 4519', vipLevel: 0, region: 'MY', language: 'zh-CN' },
    category: 'p2p',
    subcategory: 'payment_not_received',
    description: '我在 P2P 卖出 3,200 USDC，买家标记已付款并称通过 DuitNow 转账，但我的银行显示该笔款项"处理中"后被退回。买家坚持已付款，一直催我放币。',
    amounts: ['3200 USDC'],
    steps: [
      ...accepted('arjun'),
      requestThirdParty('arjun', "Asked the payment provider (DuitNow, through the buyer's bank) to confirm whether the transfer settled or was reversed; the 3,200 USDC stays in escrow meanwhile."),
    ],
    endsIn: 'awaiting_third_party',
  },

  // ------------------------------------------------------------------ execution
  {
    ref: 'SOC-TG-2209184',
    channel: 'social',
    team: 'compliance',
    ageMinutes: 5 * DAY,
    occurredMinutesBefore: 3 * DAY,
    complainant: { uid: '84412096', name: 'Chinedu Okeke', email: 'chinedu.okeke@example.com', phone: '+65 8123 4530', vipLevel: 0, region: 'NG', language: 'en' },
    category: 'p2p',
    subcategory: 'payment_not_released',
    description:
      'Message to the official Telegram support group: I paid the NGN equivalent of 950 USDT by bank transfer for a P2P buy (order P2P-{occ_ymd}-90412). The seller went silent and never released the coins. It has been 3 days.',
    amounts: ['950 USDT'],
    steps: [
      ...accepted('arjun'),
      toComplainant('arjun', 'Your appeal is open. Please keep all payment proof; the seller has 24 hours to respond before we decide on the escrow.'),
      completeInvestigation('arjun'),
      assess('arjun', { platform: '0', user: '0', thirdParty: '100', thirdPartyKind: 'counterparty' }, "The buyer's bank confirmed the transfer was credited to the seller's account; the seller did not answer within the 24-hour appeal window."),
      remedy('arjun', 'refund', 'Release the 950 USDT held in P2P escrow to the buyer.', '950 USDT'),
      remedy('arjun', 'restrict_features', "Seller's P2P advertising suspended for 30 days."),
      remedy('arjun', 'lower_credit_rating', "Seller's P2P completion rating lowered for an unresolved appeal."),
      proposeResolution('arjun'),
      acceptResolution('arjun'),
    ],
    endsIn: 'execution',
  },

  // ------------------------------------------------------------------ closed
  {
    ref: 'TKT-5498220',
    channel: 'ticket',
    team: 'compliance',
    ageMinutes: 18 * DAY,
    occurredMinutesBefore: 2 * DAY,
    complainant: { uid: '22278410', name: '罗斌', email: 'luo.bin@example.com', phone: '+65 8123 4535', vipLevel: 1, region: 'TW', language: 'zh-CN' },
    category: 'p2p',
    subcategory: 'payment_not_received',
    description: '我作为卖家在 P2P 卖出 5,200 USDT，买家付款后我已放币，两天后银行通知该笔转账被付款方撤回（拒付），钱被扣回。买家账户已经联系不上，要求平台追回损失。',
    amounts: ['5200 USDT'],
    steps: [
      ...accepted('arjun'),
      consult('arjun', 'legal', 'Can we freeze the buyer account and pursue the chargeback amount?', {
        by: 'legal',
        text: '可以冻结买家账户内剩余资产作为保全，但追偿需经调解或司法程序；建议先提交第三方调解。',
      }),
      completeInvestigation('arjun'),
      assess('arjun', { platform: '0', user: '20', thirdParty: '80', thirdPartyKind: 'fraud' }, 'Buyer reversed the bank transfer after release (chargeback fraud); seller released before the 2-hour settlement hold recommended in the P2P guide.'),
      escalateToMediation('legal', '买家已委托律师联系平台，双方对损失分担有争议；提交第三方调解。'),
      mediatorSeat('mediator', '本人与投诉人、被投诉买家及平台均无任何业务、雇佣或亲属关系，亦未曾代理涉及上述当事人的案件。No conflicts with the complainant, the buyer or the platform.'),
      // The mediator records the settlement (mediation → execution) and signs it.
      settlement('mediator', '调解达成和解：买家退还 3,000 USDT 等值款项，平台风险保障基金补偿 1,200 USDT，卖家自行承担 1,000 USDT。\nSettlement: the buyer returns the equivalent of 3,000 USDT, the platform protection fund pays 1,200 USDT, and the seller bears 1,000 USDT.'),
      sign('mediator'),
      ...closedAfterFollowUp('arjun', 3, '追回了大部分损失，但流程太长。'),
    ],
    endsIn: 'closed',
  },
];
