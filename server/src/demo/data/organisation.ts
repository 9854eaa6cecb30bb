// The demo organisation: its teams, one staff member per role (three arbitrators, for a panel) and
// the customer-service desk that posts complaints through the intake API. Cases name people and
// teams by the keys below.
import type { Language, Role } from '../../../../shared/domain';

export type TeamKey = 'trade' | 'funds' | 'compliance' | 'service';
export type StaffKey = 'zhang' | 'emily' | 'lina' | 'arjun' | 'legal' | 'supervisor' | 'admin' | 'arbitrator' | 'kenneth' | 'priya' | 'mediator';

/** The first team is where the intake desk's complaints land by default. */
export const TEAMS: { key: TeamKey; name: string }[] = [
  { key: 'trade', name: '交易纠纷组 Trade disputes' },
  { key: 'funds', name: '资金与安全组 Funds & security' },
  { key: 'compliance', name: '合规组 KYC/AML & P2P' },
  { key: 'service', name: '客服质量组 Service quality (L1)' },
];

export interface StaffMember {
  key: StaffKey;
  email: string;
  displayName: string;
  role: Role;
  language: Language;
  teams: TeamKey[];
}

const STAFF_DOMAIN = 'arbitra-demo.example.com';

/** The admin comes first: the others are created by the admin through the admin service. */
export const STAFF: StaffMember[] = [
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

/** The intake key's name: the desk that posts the complaints not entered by hand. */
export const INTAKE_DESK_NAME = '演示客服系统 Demo customer-service desk';
