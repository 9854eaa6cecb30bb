// Rules an admin edits, stored as data: tiering rules, SLA policies, asset rates, settings.
import { sql } from 'kysely';
import type { DB } from '../db/database';
import type { TieringRule } from '../../../shared/tiering';
import type { SlaPolicy } from '../../../shared/sla';
import type { Priority, Tier } from '../../../shared/domain';

export async function loadTieringRules(db: DB): Promise<TieringRule[]> {
  const rows = await db.selectFrom('tiering_rules').selectAll().where('deleted_at', 'is', null).orderBy('order').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, order: r.order, enabled: r.enabled, when: r.when, then: r.then }) as TieringRule);
}

/** Whether any tiering rule was ever stored (a deleted one too: an admin may have removed them all). */
export async function hasAnyTieringRule(db: DB): Promise<boolean> {
  return (await db.selectFrom('tiering_rules').select('id').limit(1).executeTakeFirst()) !== undefined;
}

export async function replaceTieringRules(db: DB, rules: readonly TieringRule[], userId: string | null): Promise<void> {
  const ids = rules.map((r) => r.id);
  // Rules no longer in the set become tombstones, so desktops learn they are gone.
  let gone = db.updateTable('tiering_rules').set({ deleted_at: new Date() }).where('deleted_at', 'is', null);
  if (ids.length > 0) gone = gone.where('id', 'not in', ids);
  await gone.execute();
  for (const r of rules) {
    await db
      .insertInto('tiering_rules')
      .values({ id: r.id, name: r.name, order: r.order, enabled: r.enabled, when: JSON.stringify(r.when), then: JSON.stringify(r.then), updated_by: userId })
      .onConflict((oc) =>
        oc.column('id').doUpdateSet({
          name: r.name,
          order: r.order,
          enabled: r.enabled,
          when: JSON.stringify(r.when),
          then: JSON.stringify(r.then),
          updated_by: userId,
          updated_at: new Date(),
          deleted_at: null,
        }),
      )
      .execute();
  }
}

export async function loadSlaPolicies(db: DB): Promise<SlaPolicy[]> {
  const rows = await db.selectFrom('sla_policies').selectAll().where('deleted_at', 'is', null).execute();
  return rows.map((r) => ({
    tier: r.tier as Tier,
    priority: r.priority as Priority,
    firstResponseMinutes: r.first_response_minutes,
    resolutionMinutes: r.resolution_minutes,
  }));
}

/** Whether any SLA policy was ever stored (a deleted one too). */
export async function hasAnySlaPolicy(db: DB): Promise<boolean> {
  return (await db.selectFrom('sla_policies').select('tier').limit(1).executeTakeFirst()) !== undefined;
}

export async function upsertSlaPolicy(db: DB, p: SlaPolicy, userId: string | null): Promise<void> {
  await db
    .insertInto('sla_policies')
    .values({ tier: p.tier, priority: p.priority, first_response_minutes: p.firstResponseMinutes, resolution_minutes: p.resolutionMinutes, updated_by: userId })
    .onConflict((oc) =>
      oc.columns(['tier', 'priority']).doUpdateSet({
        first_response_minutes: p.firstResponseMinutes,
        resolution_minutes: p.resolutionMinutes,
        updated_by: userId,
        updated_at: new Date(),
      }),
    )
    .execute();
}

/** The USD rate of an asset in force at `at` (the latest one not after it), or null if none is known. */
export async function usdRateAt(db: DB, asset: string, at: Date): Promise<string | null> {
  const row = await db
    .selectFrom('asset_rates')
    .select('usd_rate')
    .where('asset', '=', asset)
    .where('effective_at', '<=', at)
    .where('deleted_at', 'is', null)
    .orderBy('effective_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (row) return row.usd_rate;
  // A claim older than every known rate uses the earliest rate rather than none.
  const earliest = await db.selectFrom('asset_rates').select('usd_rate').where('asset', '=', asset).where('deleted_at', 'is', null).orderBy('effective_at').limit(1).executeTakeFirst();
  return earliest?.usd_rate ?? null;
}

export async function hasAnyAssetRate(db: DB): Promise<boolean> {
  return (await db.selectFrom('asset_rates').select('asset').limit(1).executeTakeFirst()) !== undefined;
}

export async function insertAssetRate(db: DB, asset: string, effectiveAt: Date, usdRate: string): Promise<void> {
  await db
    .insertInto('asset_rates')
    .values({ asset, effective_at: effectiveAt, usd_rate: usdRate })
    .onConflict((oc) => oc.columns(['asset', 'effective_at']).doUpdateSet({ usd_rate: usdRate }))
    .execute();
}

export const SETTINGS = {
  approvalThresholdUsd: 'compensation_approval_threshold_usd',
  atRiskMinutes: 'sla_at_risk_minutes',
} as const;

export async function getSetting<T>(db: DB, key: string, fallback: T): Promise<T> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row ? (row.value as T) : fallback;
}

export async function hasSetting(db: DB, key: string): Promise<boolean> {
  return (await db.selectFrom('settings').select('key').where('key', '=', key).executeTakeFirst()) !== undefined;
}

export async function setSetting(db: DB, key: string, value: unknown): Promise<void> {
  await db
    .insertInto('settings')
    .values({ key, value: JSON.stringify(value) })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(value), updated_at: sql`now()` }))
    .execute();
}
