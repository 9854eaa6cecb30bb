// A complaint becomes a case: one path for the REST intake, the CLI batch import and cases created
// by hand in the workstation. Idempotent on the integration's external reference.
import { createHash } from 'node:crypto';
import type { DB } from '../db/database';
import { transact } from '../db/transaction';
import { actorUserId, type ServiceContext } from '../context';
import { audit } from '../audit/audit.service';
import type { ComplaintIntake } from '../../../shared/schemas';
import { classify } from '../../../shared/tiering';
import { policyFor, startClock } from '../../../shared/sla';
import { Money, toUsd, sumAmounts } from '../../../shared/money';
import { badInput, conflict } from '../../../shared/errors';
import type { Category, Subcategory } from '../../../shared/domain';
import { loadSlaPolicies, loadTieringRules, usdRateAt } from '../rules/rules.repository';
import {
  findCaseByExternalRef,
  intakeFingerprintOf,
  insertAmounts,
  insertCase,
  insertEvent,
  lockIntakeReference,
  nextCaseNumber,
  upsertComplainant,
  upsertComplainantPii,
} from '../cases/cases.repository';

/** USD values are stored as numeric(48,18): 30 integer digits. */
export const USD_VALUE_LIMIT = new Money(10).pow(30);

export interface IntakeResult {
  id: string;
  caseNumber: string;
  duplicate: boolean;
}

/**
 * One hash per field of the complaint as received (after validation: trimmed text, decimals as
 * their value, the instant of occurredAt), kept on the case's intake event. The complainant's
 * profile (name, contacts, VIP level, region, language) describes the person and is updated by each
 * complaint, so it is not part of what makes a complaint the same one; their account is compared
 * through the case itself.
 */
function intakeFingerprint(input: ComplaintIntake): Record<string, string> {
  const h = (v: unknown) => createHash('sha256').update(JSON.stringify(v)).digest('hex');
  return {
    channel: h(input.channel),
    category: h(input.category),
    subcategory: h(input.subcategory),
    description: h(input.description),
    occurredAt: h(new Date(input.occurredAt).getTime()),
    urgent: h(input.urgent),
    amounts: h(input.amounts.map((a) => [a.asset, new Money(a.amount).toFixed()]).sort()),
  };
}

/** The first field in which a re-post differs from the complaint the case was made from, or null. */
function differingField(received: { fingerprint: Record<string, string> | null; exchangeUid: string | null }, input: ComplaintIntake): string | null {
  if (received.exchangeUid !== null && received.exchangeUid !== input.complainant.exchangeUid) return 'complainant.exchangeUid';
  // Cases received before fingerprints were kept: a repeat is taken as the same complaint.
  if (!received.fingerprint) return null;
  const now = intakeFingerprint(input);
  return Object.keys(now).find((k) => received.fingerprint![k] !== undefined && received.fingerprint![k] !== now[k]) ?? null;
}

export async function receiveComplaint(
  db: DB,
  ctx: ServiceContext,
  input: ComplaintIntake,
  options: {
    intakeKeyId: string | null;
    teamId: string | null;
    now?: Date;
    /** For cases entered by hand: a reference already used on a case this person may not see is refused, never merged or revealed. */
    maySee?: (existing: { team_id: string | null; assignee_id: string | null }) => boolean;
  },
): Promise<IntakeResult> {
  const now = options.now ?? new Date();
  const occurredAt = new Date(input.occurredAt);
  return transact(db, async (trx) => {
    await lockIntakeReference(trx, options.intakeKeyId, input.externalRef);
    const existing = await findCaseByExternalRef(trx, options.intakeKeyId, input.externalRef);
    if (existing) {
      if (options.maySee && !options.maySee(existing)) throw conflict('case.external_ref_taken', 'externalRef');
      // The same complaint posted again is answered with its case; a different one under the same
      // reference is a conflict, named by the first field that differs (never silently dropped).
      const received = await intakeFingerprintOf(trx, existing.id);
      const differs = differingField(received, input);
      if (differs) throw conflict('intake.external_ref_conflict', differs, { caseNumber: existing.case_number, field: differs });
      return { id: existing.id, caseNumber: existing.case_number, duplicate: true };
    }

    // USD equivalent at the time the complaint is about; an asset with no known rate counts as 0
    // and is flagged on the timeline for a person to value.
    const amounts = [];
    const unpriced: string[] = [];
    for (const a of input.amounts) {
      const rate = await usdRateAt(trx, a.asset, occurredAt);
      if (rate === null) unpriced.push(a.asset);
      amounts.push({ asset: a.asset, amount: a.amount, usdRate: rate, usdValue: rate === null ? null : toUsd(a.amount, rate) });
    }
    const usdEquivalent = sumAmounts(amounts.map((a) => a.usdValue ?? '0'));
    // numeric(48,18) holds less than 10^30: say which amount is too large instead of failing the insert.
    const tooLarge = (usd: string) => new Money(usd).gte(USD_VALUE_LIMIT);
    amounts.forEach((a, i) => {
      if (a.usdValue !== null && tooLarge(a.usdValue)) throw badInput('intake.amount_value_too_large', `amounts.${i}.amount`);
    });
    if (tooLarge(usdEquivalent)) throw badInput('intake.amount_value_too_large', 'amounts');

    const complainantId = await upsertComplainant(trx, {
      exchangeUid: input.complainant.exchangeUid,
      vipLevel: input.complainant.vipLevel,
      region: input.complainant.region ?? null,
      language: input.complainant.language,
    });
    await upsertComplainantPii(trx, complainantId, {
      name: input.complainant.name,
      email: input.complainant.email,
      phone: input.complainant.phone,
      idDocumentNumber: input.complainant.idDocumentNumber,
    });

    const classification = classify(await loadTieringRules(trx), {
      category: input.category as Category,
      subcategory: input.subcategory as Subcategory,
      usdEquivalent,
      vipLevel: input.complainant.vipLevel,
      urgent: input.urgent,
      channel: input.channel,
    });
    const clock = startClock(policyFor(await loadSlaPolicies(trx), classification.tier, classification.priority), now);
    const caseNumber = await nextCaseNumber(trx, now.getUTCFullYear());
    const created = await insertCase(trx, {
      case_number: caseNumber,
      external_ref: input.externalRef,
      intake_key_id: options.intakeKeyId,
      channel: input.channel,
      complainant_id: complainantId,
      category: input.category,
      subcategory: input.subcategory,
      description: input.description,
      language: input.complainant.language,
      usd_equivalent: usdEquivalent,
      urgent: input.urgent,
      tier: classification.tier,
      priority: classification.priority,
      tiering_rule_id: classification.ruleId,
      status: 'received',
      team_id: options.teamId,
      occurred_at: occurredAt,
      received_at: now,
      first_response_due_at: clock.firstResponseDueAt,
      resolution_due_at: clock.resolutionDueAt,
    });
    await insertAmounts(trx, created.id, amounts);
    await insertEvent(trx, {
      case_id: created.id,
      type: 'case.received',
      actor_id: actorUserId(ctx.actor),
      at: now,
      payload: {
        channel: input.channel,
        externalRef: input.externalRef,
        intakeFingerprint: intakeFingerprint(input),
        tier: classification.tier,
        priority: classification.priority,
        tieringRuleId: classification.ruleId,
        usdEquivalent,
        ...(unpriced.length ? { unpricedAssets: unpriced } : {}),
      },
    });
    await audit(trx, ctx, {
      action: 'case.received',
      caseId: created.id,
      entity: 'cases',
      entityId: created.id,
      details: { caseNumber, externalRef: input.externalRef, channel: input.channel, category: input.category },
    });
    return { id: created.id, caseNumber: created.case_number, duplicate: false };
  });
}
