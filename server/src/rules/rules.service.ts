// Rules as data: defaults seeded on a new database, edited by admins, read by case handling.
import { transact } from '../db/transaction';
import type { DB } from '../db/database';
import type { ServiceContext } from '../context';
import { audit } from '../audit/audit.service';
import { DEFAULT_TIERING_RULES, type TieringRule } from '../../../shared/tiering';
import { DEFAULT_SLA_POLICIES, type SlaPolicy } from '../../../shared/sla';
import {
  getSetting,
  hasAnyAssetRate,
  hasAnySlaPolicy,
  hasAnyTieringRule,
  hasSetting,
  insertAssetRate,
  loadSlaPolicies,
  loadTieringRules,
  replaceTieringRules,
  setSetting,
  SETTINGS,
  upsertSlaPolicy,
} from './rules.repository';

export const DEFAULT_APPROVAL_THRESHOLD_USD = '10000';

/** Indicative USD rates the demo and a new installation start from; admins keep them current. */
export const DEFAULT_ASSET_RATES: Record<string, string> = {
  BTC: '95000',
  ETH: '3500',
  USDT: '1',
  USDC: '1',
  BNB: '620',
  OKB: '48',
  SOL: '180',
  TRX: '0.24',
  XRP: '2.1',
  DOGE: '0.32',
};

export async function seedDefaultRules(db: DB): Promise<void> {
  await transact(db, async (trx) => {
    if (!(await hasAnyTieringRule(trx))) await replaceTieringRules(trx, DEFAULT_TIERING_RULES, null);
    if (!(await hasAnySlaPolicy(trx))) for (const p of DEFAULT_SLA_POLICIES) await upsertSlaPolicy(trx, p, null);
    if (!(await hasAnyAssetRate(trx))) for (const [asset, rate] of Object.entries(DEFAULT_ASSET_RATES)) await insertAssetRate(trx, asset, new Date('2020-01-01T00:00:00Z'), rate);
    if (!(await hasSetting(trx, SETTINGS.approvalThresholdUsd))) await setSetting(trx, SETTINGS.approvalThresholdUsd, DEFAULT_APPROVAL_THRESHOLD_USD);
  });
}

export async function getRules(db: DB) {
  const [tieringRules, slaPolicies, approvalThresholdUsd] = await Promise.all([
    loadTieringRules(db),
    loadSlaPolicies(db),
    getSetting(db, SETTINGS.approvalThresholdUsd, DEFAULT_APPROVAL_THRESHOLD_USD),
  ]);
  return { tieringRules, slaPolicies, approvalThresholdUsd };
}

export function approvalThresholdUsd(db: DB): Promise<string> {
  return getSetting(db, SETTINGS.approvalThresholdUsd, DEFAULT_APPROVAL_THRESHOLD_USD);
}

export async function setTieringRules(db: DB, ctx: ServiceContext, rules: TieringRule[], userId: string) {
  await transact(db, async (trx) => {
    await replaceTieringRules(trx, rules, userId);
    await audit(trx, ctx, { action: 'rules.tiering_replaced', entity: 'tiering_rules', details: { ruleIds: rules.map((r) => r.id) } });
  });
}

export async function setSlaPolicy(db: DB, ctx: ServiceContext, policy: SlaPolicy, userId: string) {
  await transact(db, async (trx) => {
    await upsertSlaPolicy(trx, policy, userId);
    await audit(trx, ctx, { action: 'rules.sla_policy_set', entity: 'sla_policies', entityId: `${policy.tier}/${policy.priority}`, details: { ...policy } });
  });
}

export async function setApprovalThreshold(db: DB, ctx: ServiceContext, thresholdUsd: string) {
  await transact(db, async (trx) => {
    const before = await getSetting(trx, SETTINGS.approvalThresholdUsd, DEFAULT_APPROVAL_THRESHOLD_USD);
    await setSetting(trx, SETTINGS.approvalThresholdUsd, thresholdUsd);
    await audit(trx, ctx, { action: 'rules.approval_threshold_set', entity: 'settings', entityId: SETTINGS.approvalThresholdUsd, details: { before, after: thresholdUsd } });
  });
}

export async function setAssetRate(db: DB, ctx: ServiceContext, asset: string, effectiveAt: Date, usdRate: string) {
  await transact(db, async (trx) => {
    await insertAssetRate(trx, asset, effectiveAt, usdRate);
    await audit(trx, ctx, { action: 'rules.asset_rate_set', entity: 'asset_rates', entityId: asset, details: { asset, effectiveAt: effectiveAt.toISOString(), usdRate } });
  });
}
