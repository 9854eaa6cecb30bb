// Demo cases — Account security: malicious logins, account takeovers, stolen funds.
// In lifecycle order of how far each case gets; `endsIn` is checked when the seed runs.
import {
  DAY,
  HOUR,
  accepted,
  acceptResolution,
  approve,
  archive,
  assess,
  closedAfterFollowUp,
  completeInvestigation,
  consult,
  escalateToMediation,
  fakeTxHash,
  note,
  proposeResolution,
  remedy,
  requestApproval,
  requestThirdParty,
  toComplainant,
  type DemoCase,
} from '../case-script';

export const ACCOUNT_SECURITY_CASES: DemoCase[] = [
  // ------------------------------------------------------------------ received
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
    endsIn: 'received',
  },

  // ------------------------------------------------------------------ investigation
  {
    ref: 'TKT-5521047',
    channel: 'ticket',
    team: 'funds',
    ageMinutes: 2 * DAY,
    occurredMinutesBefore: 6 * HOUR,
    complainant: { uid: '90032817', name: 'Hannah Wright', email: 'hannah.wright@example.com', phone: '+65 8123 4513', vipLevel: 2, region: 'GB', language: 'en' },
    category: 'account_security',
    subcategory: 'account_takeover',
    description:
      "Someone logged into my account, switched my 2FA to a new device and withdrew 2.1 ETH and 5,000 USDT to addresses I don't know. I received no email about the 2FA change. My email may have been compromised, but your platform should have held withdrawals after a security change.",
    amounts: ['2.1 ETH', '5000 USDT'],
    steps: [
      ...accepted('lina'),
      toComplainant('lina', 'Your account is now locked and all API keys are revoked. Please change the password of your email account, enable 2FA there, and do not reuse passwords. We are tracing the withdrawals and will update you within 24 hours.'),
      consult('lina', 'risk', 'Why did the 24-hour withdrawal lock after a 2FA reset not apply to this account?', {
        by: 'supervisor',
        text: "Risk team: the reset used the 'lost device' flow with a selfie match score of 0.91 (above the 0.85 threshold); that flow only imposes a 2-hour lock. Recommending a 24-hour lock for all resets.",
      }),
      note('lina', '已向两家接收地址所属交易所发送冻结请求；ETH 已经过一次跨链桥，追回可能性较低。'),
    ],
    endsIn: 'investigation',
  },

  // ------------------------------------------------------------------ awaiting_third_party
  {
    ref: 'EM-{rcv}-51902',
    channel: 'email',
    team: 'funds',
    ageMinutes: 1 * DAY,
    occurredMinutesBefore: 5 * HOUR,
    complainant: { uid: '70045519', name: 'Sean Murphy', email: 'sean.murphy@example.com', phone: '+65 8123 4518', vipLevel: 1, region: 'IE', language: 'en' },
    category: 'account_security',
    subcategory: 'funds_stolen',
    description: `After I connected my account to a third-party trading bot via API, 1.234567890123456789 ETH was withdrawn to an unknown address (tx 0x${fakeTxHash('eth-theft-1.234567890123456789')}) and swapped on a DEX. My API key did not have withdrawal permission, I checked. How was a withdrawal possible?`,
    amounts: ['1.234567890123456789 ETH'],
    steps: [
      ...accepted('lina'),
      consult('lina', 'risk', 'Was the withdrawal made through the API key or through a web session?', {
        by: 'supervisor',
        text: "Risk team: through a web session, not the API. The session was opened with the complainant's password and an email code from a new device 40 minutes before the withdrawal; the bot is not involved.",
      }),
      requestThirdParty('lina', 'Freeze request sent to the receiving exchange for the swapped proceeds; waiting for their answer and for the police report reference from the complainant.'),
    ],
    endsIn: 'awaiting_third_party',
  },

  // ------------------------------------------------------------------ pending_approval
  {
    ref: 'EM-{rcv}-50618',
    channel: 'email',
    team: 'funds',
    ageMinutes: 5 * DAY,
    occurredMinutesBefore: 2 * DAY,
    complainant: { uid: '90817263', name: 'Jonas Weber', email: 'jonas.weber@example.com', phone: '+65 8123 4524', idDocumentNumber: 'DEMO-CH-0002', vipLevel: 7, region: 'CH', language: 'en' },
    category: 'account_security',
    subcategory: 'funds_stolen',
    description: `3.5 BTC was withdrawn from my account on {occ_en} (tx ${fakeTxHash('btc-theft-3.5')}) although withdrawal whitelisting was on. Your logs say the address was added to the whitelist "by me", but I never added it and I received no confirmation email. I request full restitution.`,
    amounts: ['3.5 BTC'],
    steps: [
      ...accepted('lina'),
      consult('lina', 'risk', 'How was a new whitelist address added without the email confirmation?', {
        by: 'supervisor',
        text: 'Risk team: after the release of {occ_en} the whitelist endpoint skipped the email confirmation for 26 minutes (incident INC-2291). The attacker also had the password and an SMS code from a SIM swap.',
      }),
      note('lina', '攻击者同时掌握密码和短信验证码（SIM 卡劫持），但白名单邮件确认被跳过是平台缺陷，建议平台承担 40%。'),
      completeInvestigation('lina'),
      assess('lina', { platform: '40', user: '20', thirdParty: '40', thirdPartyKind: 'hacker' }, 'Platform 40% (INC-2291 skipped the whitelist confirmation); user 20% (SMS as second factor, password reused); attacker 40%.'),
      remedy('lina', 'compensation', 'Platform share, 40% of 3.5 BTC.', '1.4 BTC'),
      remedy('lina', 'security_advice', 'Switch the second factor from SMS to an authenticator app or passkey; enable the anti-phishing code.'),
      requestApproval('lina'),
    ],
    endsIn: 'pending_approval',
  },

  // ------------------------------------------------------------------ closed
  {
    ref: 'WF-{rcv}-115306',
    channel: 'web_form',
    team: 'funds',
    ageMinutes: 16 * DAY,
    occurredMinutesBefore: 6 * HOUR,
    complainant: { uid: '86630472', name: 'Noah Tan', email: 'noah.tan@example.com', phone: '+65 8123 4537', vipLevel: 3, region: 'SG', language: 'en' },
    category: 'account_security',
    subcategory: 'funds_stolen',
    description: 'An API key I never created was used to withdraw 0.2 BTC to an external address, although I have the withdrawal whitelist enabled.',
    amounts: ['0.2 BTC'],
    steps: [
      ...accepted('lina'),
      consult('lina', 'risk', 'Is this withdrawal linked to the whitelist confirmation bypass?', {
        by: 'supervisor',
        text: 'Risk team: yes, the address was whitelisted during the INC-2291 window without email confirmation.',
      }),
      completeInvestigation('lina'),
      assess('lina', { platform: '100', user: '0', thirdParty: '0' }, 'Withdrawal enabled by the INC-2291 whitelist confirmation bypass; no fault by the user (hardware-key 2FA, unique password).'),
      remedy('lina', 'compensation', 'Full restitution of 0.2 BTC.', '0.2 BTC'),
      requestApproval('lina'),
      approve('supervisor'),
      toComplainant('lina', 'We will restore the 0.2 BTC in full. Please confirm you accept.'),
      acceptResolution('lina'),
      ...closedAfterFollowUp('lina', 5, 'Handled professionally.'),
    ],
    endsIn: 'closed',
  },

  // ------------------------------------------------------------------ archived
  {
    ref: 'LC-87902641',
    channel: 'live_chat',
    team: 'funds',
    ageMinutes: 26 * DAY,
    occurredMinutesBefore: 8 * HOUR,
    complainant: { uid: '39915527', name: 'Liam Roberts', email: 'liam.roberts@example.com', phone: '+65 8123 4538', vipLevel: 1, region: 'CA', language: 'en' },
    category: 'account_security',
    subcategory: 'malicious_login',
    description: 'Three login attempts from unfamiliar IPs in one night, all blocked by 2FA. I want to know how they got my password and whether my account is safe.',
    amounts: [],
    steps: [
      ...accepted('lina'),
      toComplainant('lina', 'Your funds are safe and 2FA blocked every attempt. Please change your password now and do not reuse it on other sites.'),
      completeInvestigation('lina'),
      assess('lina', { platform: '0', user: '0', thirdParty: '100', thirdPartyKind: 'hacker' }, 'Credential stuffing with a password leaked from a third-party site; 2FA blocked all attempts; no platform breach.'),
      remedy('lina', 'security_advice', 'Unique password, authenticator-app 2FA, anti-phishing code, withdrawal whitelist.'),
      proposeResolution('lina'),
      acceptResolution('lina'),
      ...closedAfterFollowUp('lina', 4),
      archive('legal'),
    ],
    endsIn: 'archived',
  },

  // ------------------------------------------------------------------ mediation
  {
    ref: 'TKT-5503317',
    channel: 'ticket',
    team: 'funds',
    ageMinutes: 15 * DAY,
    occurredMinutesBefore: 1 * DAY,
    complainant: { uid: '17745902', name: '赵敏', email: 'zhao.min@example.com', phone: '+65 8123 4541', vipLevel: 2, region: 'HK', language: 'zh-CN' },
    category: 'account_security',
    subcategory: 'account_takeover',
    description: '账户被盗后资金被转出：{occ_zh}我的手机号被人补卡（SIM 卡劫持），对方重置了登录密码并转出 0.9 BTC 和 3,000 USDT。我认为平台仅凭短信验证就允许重置密码和提现，存在安全漏洞，要求全额赔偿。',
    amounts: ['0.9 BTC', '3000 USDT'],
    steps: [
      ...accepted('lina'),
      toComplainant('lina', '您好，账户已冻结并撤销全部 API Key。请立即联系运营商挂失并补办 SIM 卡，修改邮箱密码，并向警方报案。'),
      consult('lina', 'risk', '重置密码后的提现为何未被 24 小时限制拦截？', {
        by: 'supervisor',
        text: '风控回复：用户未开启邮箱验证，仅短信验证；短信重置密码后有 24 小时提现限制，但攻击者通过"更换手机号"流程绕开，该流程的限制仅 2 小时。',
      }),
      completeInvestigation('lina'),
      assess('lina', { platform: '10', user: '40', thirdParty: '50', thirdPartyKind: 'hacker' }, '攻击者 SIM 卡劫持（50%）；用户仅使用短信验证且未开启邮箱验证（40%）；平台"更换手机号"流程限制不足（10%）。'),
      remedy('lina', 'compensation', '按平台 10% 责任比例补偿：(0.9 BTC + 3,000 USDT) × 10% ≈ 8,850 USDT。', '8850 USDT'),
      remedy('lina', 'security_advice', '启用身份验证器 App 或通行密钥，关闭短信验证，设置防钓鱼码和提现白名单。'),
      proposeResolution('lina'),
      escalateToMediation('supervisor', '用户不接受 10% 的责任认定，要求全额赔偿；双方同意由第三方调解员协商。'),
    ],
    endsIn: 'mediation',
  },
];
