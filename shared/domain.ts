// The vocabulary of Arbitra. Every name here is used unchanged in the database, the API and the UI
// (through translation keys), so a word means one thing everywhere.

export const ROLES = ['specialist', 'legal', 'supervisor', 'admin', 'arbitrator', 'mediator'] as const;
export type Role = (typeof ROLES)[number];

/** Roles that must use TOTP: people outside the company and those who can change the system. */
export const TOTP_REQUIRED_ROLES: readonly Role[] = ['admin', 'arbitrator', 'mediator'];
export const INTERNAL_ROLES: readonly Role[] = ['specialist', 'legal', 'supervisor', 'admin'];
export const EXTERNAL_ROLES: readonly Role[] = ['arbitrator', 'mediator'];

export const CATEGORIES = {
  trade: ['execution_price', 'order_error', 'slippage', 'liquidation'],
  deposit_withdrawal: ['withdrawal_delayed', 'withdrawal_failed', 'deposit_not_credited'],
  account_security: ['account_takeover', 'funds_stolen', 'malicious_login'],
  kyc_aml: ['account_frozen', 'verification_failed'],
  p2p: ['payment_not_released', 'payment_not_received'],
  service: ['service_quality', 'response_speed', 'fees'],
} as const;
export type Category = keyof typeof CATEGORIES;
export type Subcategory = (typeof CATEGORIES)[Category][number];
export const CATEGORY_NAMES = Object.keys(CATEGORIES) as Category[];
export const SUBCATEGORY_NAMES = Object.values(CATEGORIES).flat() as Subcategory[];

export function isSubcategoryOf(category: Category, subcategory: string): subcategory is Subcategory {
  return (CATEGORIES[category] as readonly string[]).includes(subcategory);
}

export const CHANNELS = ['live_chat', 'ticket', 'email', 'web_form', 'app_feedback', 'social', 'phone'] as const;
export type Channel = (typeof CHANNELS)[number];

export const TIERS = ['L1', 'L2', 'L3'] as const;
export type Tier = (typeof TIERS)[number];

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Case states of the lifecycle; `shared/lifecycle.ts` decides what may follow what. */
export const CASE_STATES = [
  'received', // 接收/登记
  'initial_review', // 初步审核
  'awaiting_material', // 补充材料: waits on the complainant, SLA clock paused
  'rejected', // 驳回
  'investigation', // 调查取证
  'awaiting_third_party', // waits on a third party (another exchange, a chain explorer, police), clock paused
  'assessment', // 内部评估 / 责任认定
  'pending_approval', // compensation above threshold waits for a supervisor (four-eyes)
  'resolution_proposed', // 解决方案 proposed, waits on the complainant's answer, clock paused
  'execution', // 执行
  'follow_up', // 回访
  'closed',
  'archived', // 存档
  'mediation', // 协商调解
  'arbitration', // 第三方仲裁
] as const;
export type CaseState = (typeof CASE_STATES)[number];

/** States in which the SLA clock does not run: the case waits on someone outside the team. */
export const PAUSED_STATES: readonly CaseState[] = ['awaiting_material', 'awaiting_third_party', 'resolution_proposed'];
/** States after which the resolution deadline no longer applies. */
export const RESOLVED_STATES: readonly CaseState[] = ['execution', 'follow_up', 'closed', 'archived', 'rejected'];

export const CASE_ACTIONS = [
  'start_review',
  'accept',
  'request_material',
  'material_received',
  'reject',
  'request_third_party',
  'third_party_responded',
  'complete_investigation',
  'request_approval',
  'approve',
  'decline_approval',
  'propose_resolution',
  'accept_resolution',
  'object',
  'escalate_mediation',
  'escalate_arbitration',
  'record_settlement',
  'record_impasse',
  'record_ruling',
  'complete_execution',
  'close',
  'archive',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

export const RESPONSIBLE_PARTIES = ['platform', 'user', 'third_party'] as const;
export type ResponsibleParty = (typeof RESPONSIBLE_PARTIES)[number];
export const THIRD_PARTY_KINDS = ['hacker', 'fraud', 'counterparty', 'payment_provider', 'other'] as const;

export const REMEDY_KINDS = [
  'refund',
  'compensation',
  'account_unfreeze',
  'warning',
  'restrict_features',
  'lower_credit_rating',
  'confiscate_illicit_gains',
  'permanent_ban',
  'security_advice',
  'technical_support',
  'mediation',
] as const;
export type RemedyKind = (typeof REMEDY_KINDS)[number];
/** Remedies that move money to the complainant and so carry an amount and need approval above a threshold. */
export const MONETARY_REMEDY_KINDS: readonly RemedyKind[] = ['refund', 'compensation'];

export const CONSULTATION_TEAMS = ['technical', 'risk', 'legal'] as const;
export type ConsultationTeam = (typeof CONSULTATION_TEAMS)[number];

export const COMMUNICATION_DIRECTIONS = ['inbound', 'outbound'] as const;

export const ESCALATION_KINDS = ['mediation', 'arbitration'] as const;
export type EscalationKind = (typeof ESCALATION_KINDS)[number];

/** Panel seats for a three-member arbitration panel, as exchanges constitute them. */
export const PANEL_SEATS = ['lawyer', 'accountant', 'technical_expert'] as const;

export const VIP_LEVEL_MAX = 9;
