// Tiering (分层处理) and priority as data an admin edits, and the pure evaluator that applies it.
// A rule set is an ordered list: the first enabled rule, by `order`, whose every condition holds
// decides the tier and priority. Amounts are compared as decimals, never as floats.
import { z } from 'zod';
import {
  CATEGORIES,
  CATEGORY_NAMES,
  CHANNELS,
  PRIORITIES,
  SUBCATEGORY_NAMES,
  TIERS,
  VIP_LEVEL_MAX,
  type Category,
  type Channel,
  type Priority,
  type Subcategory,
  type Tier,
} from './domain';
import { Money, amountProblem, type AmountProblem } from './money';

/** Message keys (see `shared/i18n/rules.messages.ts`) for the ways `minUsd` can be wrong. */
const MIN_USD_PROBLEM_KEYS: Record<AmountProblem, string> = {
  amount_format: 'rules.tiering.min_usd_format',
  amount_too_many_digits: 'rules.tiering.min_usd_too_many_digits',
  amount_too_many_fraction_digits: 'rules.tiering.min_usd_too_many_fraction_digits',
  // Zero is allowed (allowZero), so this one cannot happen; kept so the map is total.
  amount_not_positive: 'rules.tiering.min_usd_format',
};

const objectError = (invalidKey: string) => (issue: { code?: string }) =>
  issue.code === 'unrecognized_keys' ? 'rules.unknown_field' : invalidKey;

const tieringConditionsSchema = z
  .strictObject(
    {
      categories: z
        .array(z.enum(CATEGORY_NAMES, { error: 'rules.tiering.category_invalid' }), { error: 'rules.tiering.categories_invalid' })
        .min(1, { error: 'rules.tiering.list_empty' })
        .optional(),
      subcategories: z
        .array(z.enum(SUBCATEGORY_NAMES, { error: 'rules.tiering.subcategory_invalid' }), {
          error: 'rules.tiering.subcategories_invalid',
        })
        .min(1, { error: 'rules.tiering.list_empty' })
        .optional(),
      minUsd: z
        .string({ error: 'rules.tiering.min_usd_format' })
        .superRefine((value, ctx) => {
          const problem = amountProblem(value, { allowZero: true });
          if (problem) ctx.addIssue({ code: 'custom', message: MIN_USD_PROBLEM_KEYS[problem] });
        })
        .optional(),
      minVipLevel: z
        .int({ error: 'rules.tiering.min_vip_level_range' })
        .min(0, { error: 'rules.tiering.min_vip_level_range' })
        .max(VIP_LEVEL_MAX, { error: 'rules.tiering.min_vip_level_range' })
        .optional(),
      urgent: z.boolean({ error: 'rules.tiering.urgent_invalid' }).optional(),
      channels: z
        .array(z.enum(CHANNELS, { error: 'rules.tiering.channel_invalid' }), { error: 'rules.tiering.channels_invalid' })
        .min(1, { error: 'rules.tiering.list_empty' })
        .optional(),
    },
    { error: objectError('rules.tiering.when_invalid') },
  )
  .superRefine((when, ctx) => {
    // A subcategory outside every listed category can never match: the rule would be dead.
    if (!when.categories || !when.subcategories) return;
    const allowed = new Set<string>(when.categories.flatMap((c) => CATEGORIES[c]));
    when.subcategories.forEach((sub, i) => {
      if (!allowed.has(sub)) {
        ctx.addIssue({ code: 'custom', message: 'rules.tiering.subcategory_outside_categories', path: ['subcategories', i] });
      }
    });
  });

export const tieringRuleSchema = z.strictObject(
  {
    id: z
      .string({ error: 'rules.tiering.id_required' })
      .trim()
      .min(1, { error: 'rules.tiering.id_required' })
      .max(100, { error: 'rules.tiering.id_too_long' }),
    name: z
      .string({ error: 'rules.tiering.name_required' })
      .trim()
      .min(1, { error: 'rules.tiering.name_required' })
      .max(200, { error: 'rules.tiering.name_too_long' }),
    order: z.int({ error: 'rules.tiering.order_invalid' }).min(0, { error: 'rules.tiering.order_invalid' }),
    enabled: z.boolean({ error: 'rules.tiering.enabled_invalid' }),
    when: tieringConditionsSchema,
    then: z.strictObject(
      {
        tier: z.enum(TIERS, { error: 'rules.tiering.tier_invalid' }),
        priority: z.enum(PRIORITIES, { error: 'rules.tiering.priority_invalid' }),
      },
      { error: objectError('rules.tiering.then_invalid') },
    ),
  },
  { error: objectError('rules.tiering.rule_invalid') },
);
export type TieringRule = z.infer<typeof tieringRuleSchema>;

/** A whole rule set as an admin saves it: ids and orders unique, so the evaluation order is never a tie. */
export const tieringRuleSetSchema = z.array(tieringRuleSchema, { error: 'rules.tiering.rule_set_invalid' }).superRefine((rules, ctx) => {
  const ids = new Set<string>();
  const orders = new Set<number>();
  rules.forEach((rule, i) => {
    if (ids.has(rule.id)) ctx.addIssue({ code: 'custom', message: 'rules.tiering.duplicate_id', path: [i, 'id'] });
    if (orders.has(rule.order)) ctx.addIssue({ code: 'custom', message: 'rules.tiering.duplicate_order', path: [i, 'order'] });
    ids.add(rule.id);
    orders.add(rule.order);
  });
});

export interface TieringInput {
  category: Category;
  subcategory: Subcategory;
  /** USD equivalent at the time of the complaint, a plain non-negative decimal string. */
  usdEquivalent: string;
  vipLevel: number;
  urgent: boolean;
  channel: Channel;
}

export interface TieringResult {
  tier: Tier;
  priority: Priority;
  /** The rule that decided, or null when none matched and the fallback applied. */
  ruleId: string | null;
}

/** What a case gets when no rule matches: L1 customer service at normal priority. */
export const FALLBACK_CLASSIFICATION: Readonly<TieringResult> = Object.freeze({ tier: 'L1', priority: 'normal', ruleId: null });

// Non-negative plain decimal of any size (a USD equivalent can exceed the 30 digits of a claimed amount).
const USD_EQUIVALENT_PATTERN = /^(0|[1-9][0-9]*)(\.[0-9]+)?$/;

function matches(rule: TieringRule, input: TieringInput, usd: InstanceType<typeof Money>): boolean {
  const w = rule.when;
  if (w.categories && !w.categories.includes(input.category)) return false;
  if (w.subcategories && !w.subcategories.includes(input.subcategory)) return false;
  if (w.minUsd !== undefined && usd.lessThan(new Money(w.minUsd))) return false;
  if (w.minVipLevel !== undefined && !(input.vipLevel >= w.minVipLevel)) return false;
  if (w.urgent !== undefined && input.urgent !== w.urgent) return false;
  if (w.channels && !w.channels.includes(input.channel)) return false;
  return true;
}

/**
 * Tier and priority of a case. Enabled rules are tried by ascending `order` (ties, which a
 * validated rule set never has, by id); the first whose every condition holds wins, an empty
 * `when` matching everything. No match gives L1 / normal with `ruleId: null`.
 * Throws a RangeError when `usdEquivalent` is not a plain non-negative decimal string.
 */
export function classify(rules: readonly TieringRule[], input: TieringInput): TieringResult {
  if (typeof input.usdEquivalent !== 'string' || !USD_EQUIVALENT_PATTERN.test(input.usdEquivalent)) {
    throw new RangeError(`classify: usdEquivalent must be a plain non-negative decimal string, got ${JSON.stringify(input.usdEquivalent)}`);
  }
  const usd = new Money(input.usdEquivalent);
  const ordered = rules
    .filter((r) => r.enabled)
    .sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const rule of ordered) {
    if (matches(rule, input, usd)) return { tier: rule.then.tier, priority: rule.then.priority, ruleId: rule.id };
  }
  return { ...FALLBACK_CLASSIFICATION };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/**
 * The rules a new installation starts with. Orders are spaced by 10 so an admin can insert rules
 * between them. Frozen: copy before editing. Names are English; the UI shows the translation
 * under `rules.tiering.rule_name.<id>` while a default rule keeps its id.
 */
export const DEFAULT_TIERING_RULES: TieringRule[] = deepFreeze([
  {
    id: 'default-security-takeover',
    name: 'Account takeover or stolen funds',
    order: 10,
    enabled: true,
    when: { categories: ['account_security'], subcategories: ['account_takeover', 'funds_stolen'] },
    then: { tier: 'L3', priority: 'urgent' },
  },
  {
    id: 'default-urgent',
    name: 'Marked urgent',
    order: 20,
    enabled: true,
    when: { urgent: true },
    then: { tier: 'L3', priority: 'urgent' },
  },
  {
    id: 'default-major-amount',
    name: 'Major amount (100,000 USD or more)',
    order: 30,
    enabled: true,
    when: { minUsd: '100000' },
    then: { tier: 'L3', priority: 'high' },
  },
  {
    id: 'default-large-trade-p2p',
    name: 'Large trade or P2P dispute (10,000 USD or more)',
    order: 40,
    enabled: true,
    when: { categories: ['trade', 'p2p'], minUsd: '10000' },
    then: { tier: 'L2', priority: 'high' },
  },
  {
    id: 'default-vip',
    name: 'VIP level 5 or above',
    order: 50,
    enabled: true,
    when: { minVipLevel: 5 },
    then: { tier: 'L2', priority: 'high' },
  },
  {
    id: 'default-security-other',
    name: 'Other account security incidents',
    order: 60,
    enabled: true,
    when: { categories: ['account_security'] },
    then: { tier: 'L2', priority: 'high' },
  },
  {
    id: 'default-trade',
    name: 'Trade disputes',
    order: 70,
    enabled: true,
    when: { categories: ['trade'] },
    then: { tier: 'L2', priority: 'normal' },
  },
  {
    id: 'default-kyc-aml',
    name: 'KYC / AML (frozen account, verification)',
    order: 80,
    enabled: true,
    when: { categories: ['kyc_aml'] },
    then: { tier: 'L2', priority: 'normal' },
  },
  {
    id: 'default-deposit-withdrawal-large',
    name: 'Deposit or withdrawal of 1,000 USD or more',
    order: 90,
    enabled: true,
    when: { categories: ['deposit_withdrawal'], minUsd: '1000' },
    then: { tier: 'L2', priority: 'normal' },
  },
  {
    id: 'default-p2p',
    name: 'P2P order appeals',
    order: 100,
    enabled: true,
    when: { categories: ['p2p'] },
    then: { tier: 'L2', priority: 'normal' },
  },
  {
    id: 'default-service',
    name: 'Service quality, response speed, fees',
    order: 110,
    enabled: true,
    when: { categories: ['service'] },
    then: { tier: 'L1', priority: 'low' },
  },
] satisfies TieringRule[]);
