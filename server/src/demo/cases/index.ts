// All demo cases, by category. The order here does not matter: they are received oldest first
// (runner.ts, inSeedingOrder).
import type { DemoCase } from '../case-script';
import { ACCOUNT_SECURITY_CASES } from './account-security';
import { DEPOSIT_WITHDRAWAL_CASES } from './deposit-withdrawal';
import { KYC_AML_CASES } from './kyc-aml';
import { P2P_CASES } from './p2p';
import { SERVICE_CASES } from './service';
import { TRADE_CASES } from './trade';

export const DEMO_CASES: readonly DemoCase[] = [...TRADE_CASES, ...DEPOSIT_WITHDRAWAL_CASES, ...ACCOUNT_SECURITY_CASES, ...KYC_AML_CASES, ...P2P_CASES, ...SERVICE_CASES];
