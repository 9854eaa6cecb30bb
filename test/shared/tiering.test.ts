import { describe, it, expect } from 'vitest';
import {
  CATEGORIES,
  CATEGORY_NAMES,
  CHANNELS,
  PRIORITIES,
  TIERS,
  type Category,
  type Subcategory,
} from '../../shared/domain';
import {
  DEFAULT_TIERING_RULES,
  classify,
  tieringRuleSchema,
  tieringRuleSetSchema,
  type TieringInput,
  type TieringRule,
} from '../../shared/tiering';
import { rulesMessages } from '../../shared/i18n/rules.messages';

const base: TieringInput = {
  category: 'service',
  subcategory: 'fees',
  usdEquivalent: '0',
  vipLevel: 0,
  urgent: false,
  channel: 'ticket',
};
const input = (over: Partial<TieringInput> = {}): TieringInput => ({ ...base, ...over });

let seq = 0;
const rule = (over: Partial<TieringRule> & Pick<TieringRule, 'then'>): TieringRule => ({
  id: `r${++seq}`,
  name: 'test rule',
  order: seq,
  enabled: true,
  when: {},
  ...over,
});

const validRule = {
  id: 'r-1',
  name: 'Big trades',
  order: 5,
  enabled: true,
  when: { categories: ['trade'], minUsd: '10000' },
  then: { tier: 'L2', priority: 'high' },
};
function withWhen(when: Record<string, unknown>) {
  return { ...validRule, when };
}
function issuesOf(value: unknown) {
  const r = tieringRuleSchema.safeParse(value);
  expect(r.success).toBe(false);
  return r.success ? [] : r.error.issues.map((i) => ({ message: i.message, path: i.path.map(String).join('.') }));
}
const enKeys = new Set(Object.keys(rulesMessages.en));

describe('classify: rule evaluation', () => {
  it('lets the rule with the lowest order win, whatever its place in the list', () => {
    const rules = [
      rule({ id: 'late', order: 50, then: { tier: 'L3', priority: 'urgent' } }),
      rule({ id: 'early', order: 10, then: { tier: 'L2', priority: 'low' } }),
      rule({ id: 'middle', order: 20, then: { tier: 'L1', priority: 'high' } }),
    ];
    expect(classify(rules, input())).toEqual({ tier: 'L2', priority: 'low', ruleId: 'early' });
    // the caller's array is not reordered
    expect(rules.map((r) => r.id)).toEqual(['late', 'early', 'middle']);
  });

  it('skips a lower-order rule that does not match and takes the next one that does', () => {
    const rules = [
      rule({ id: 'trade-only', order: 1, when: { categories: ['trade'] }, then: { tier: 'L3', priority: 'urgent' } }),
      rule({ id: 'catch-all', order: 2, then: { tier: 'L1', priority: 'low' } }),
    ];
    expect(classify(rules, input({ category: 'service' })).ruleId).toBe('catch-all');
    expect(classify(rules, input({ category: 'trade', subcategory: 'slippage' })).ruleId).toBe('trade-only');
  });

  it('ignores disabled rules even when they come first and match', () => {
    const rules = [
      rule({ id: 'off', order: 1, enabled: false, then: { tier: 'L3', priority: 'urgent' } }),
      rule({ id: 'on', order: 2, then: { tier: 'L2', priority: 'normal' } }),
    ];
    expect(classify(rules, input())).toEqual({ tier: 'L2', priority: 'normal', ruleId: 'on' });
    expect(classify([rules[0]!], input())).toEqual({ tier: 'L1', priority: 'normal', ruleId: null });
  });

  it('falls back to L1 / normal with no rule id when nothing matches, or there are no rules', () => {
    expect(classify([], input())).toEqual({ tier: 'L1', priority: 'normal', ruleId: null });
    const rules = [rule({ when: { categories: ['trade'] }, then: { tier: 'L3', priority: 'high' } })];
    expect(classify(rules, input())).toEqual({ tier: 'L1', priority: 'normal', ruleId: null });
  });

  it('matches every case with an empty condition set', () => {
    const rules = [rule({ id: 'all', when: {}, then: { tier: 'L2', priority: 'high' } })];
    for (const category of CATEGORY_NAMES) {
      for (const subcategory of CATEGORIES[category]) {
        expect(classify(rules, input({ category, subcategory, usdEquivalent: '0', vipLevel: 0 })).ruleId).toBe('all');
      }
    }
  });

  it('breaks a tie in order by rule id, not by list position', () => {
    const b = rule({ id: 'b', order: 7, then: { tier: 'L3', priority: 'low' } });
    const a = rule({ id: 'a', order: 7, then: { tier: 'L2', priority: 'low' } });
    expect(classify([b, a], input()).ruleId).toBe('a');
    expect(classify([a, b], input()).ruleId).toBe('a');
  });

  it('requires every condition of a rule to hold', () => {
    const r = rule({
      id: 'all-conditions',
      when: {
        categories: ['p2p'],
        subcategories: ['payment_not_released'],
        minUsd: '500',
        minVipLevel: 3,
        urgent: false,
        channels: ['live_chat', 'phone'],
      },
      then: { tier: 'L3', priority: 'high' },
    });
    const hit: TieringInput = {
      category: 'p2p',
      subcategory: 'payment_not_released',
      usdEquivalent: '500',
      vipLevel: 3,
      urgent: false,
      channel: 'phone',
    };
    expect(classify([r], hit).ruleId).toBe('all-conditions');
    const misses: Partial<TieringInput>[] = [
      { category: 'trade' },
      { subcategory: 'payment_not_received' },
      { usdEquivalent: '499.999999999999999999' },
      { vipLevel: 2 },
      { urgent: true },
      { channel: 'email' },
    ];
    for (const miss of misses) expect(classify([r], { ...hit, ...miss }).ruleId, JSON.stringify(miss)).toBeNull();
  });

  it('treats urgent: false as "only cases not marked urgent"', () => {
    const r = rule({ id: 'calm', when: { urgent: false }, then: { tier: 'L1', priority: 'low' } });
    expect(classify([r], input({ urgent: false })).ruleId).toBe('calm');
    expect(classify([r], input({ urgent: true })).ruleId).toBeNull();
  });

  it('treats minVipLevel as "at least"', () => {
    const r = rule({ id: 'vip', when: { minVipLevel: 5 }, then: { tier: 'L2', priority: 'high' } });
    expect(classify([r], input({ vipLevel: 4 })).ruleId).toBeNull();
    expect(classify([r], input({ vipLevel: 5 })).ruleId).toBe('vip');
    expect(classify([r], input({ vipLevel: 9 })).ruleId).toBe('vip');
  });
});

describe('classify: amounts are compared as decimals, never floats', () => {
  const big = (minUsd: string) => [rule({ id: 'big', when: { minUsd }, then: { tier: 'L3', priority: 'high' } })];

  it('does not round 99999.999999999999999999 up to 100000 (a float would)', () => {
    expect(Number('99999.999999999999999999')).toBe(100000); // the trap
    expect(classify(big('100000'), input({ usdEquivalent: '99999.999999999999999999' })).ruleId).toBeNull();
    expect(classify(big('100000'), input({ usdEquivalent: '100000' })).ruleId).toBe('big');
    expect(classify(big('100000'), input({ usdEquivalent: '100000.000000000000000001' })).ruleId).toBe('big');
  });

  it('counts an amount exactly at the threshold, however it is written', () => {
    expect(classify(big('100000'), input({ usdEquivalent: '100000.000000000000000000' })).ruleId).toBe('big');
    expect(classify(big('100000.50'), input({ usdEquivalent: '100000.5' })).ruleId).toBe('big');
    expect(classify(big('100000.50'), input({ usdEquivalent: '100000.499999999999999999' })).ruleId).toBeNull();
  });

  it('compares numbers beyond float precision exactly', () => {
    const huge = '100000000000000000000';
    const hugePlus = '100000000000000000000.000000000000000001';
    expect(Number(hugePlus)).toBe(Number(huge)); // a float cannot tell them apart
    expect(classify(big(huge), input({ usdEquivalent: hugePlus })).ruleId).toBe('big');
    expect(classify(big(hugePlus), input({ usdEquivalent: huge })).ruleId).toBeNull();
    expect(classify(big(hugePlus), input({ usdEquivalent: hugePlus })).ruleId).toBe('big');
    // USD equivalents may exceed the 30 integer digits of a claimed amount (amount × rate)
    expect(classify(big('1' + '0'.repeat(29)), input({ usdEquivalent: '1' + '0'.repeat(34) })).ruleId).toBe('big');
  });

  it('distinguishes the smallest fraction step', () => {
    const tiny = big('0.000000000000000001');
    expect(classify(tiny, input({ usdEquivalent: '0' })).ruleId).toBeNull();
    expect(classify(tiny, input({ usdEquivalent: '0.000000000000000001' })).ruleId).toBe('big');
    expect(classify(big('0'), input({ usdEquivalent: '0' })).ruleId).toBe('big');
  });

  it('refuses a USD equivalent that is not a plain non-negative decimal', () => {
    for (const bad of ['1e5', '-1', '-0', 'NaN', 'Infinity', '', ' 1', '1,000', '.5', '0x10']) {
      expect(() => classify(big('0'), input({ usdEquivalent: bad })), bad).toThrow(RangeError);
    }
  });
});

describe('default tiering rules', () => {
  const expected = (category: Category, subcategory: Subcategory, over: Partial<TieringInput> = {}) =>
    classify(DEFAULT_TIERING_RULES, input({ category, subcategory, ...over }));

  it('are a valid rule set with stable ids', () => {
    expect(tieringRuleSetSchema.safeParse(DEFAULT_TIERING_RULES).success).toBe(true);
    expect(DEFAULT_TIERING_RULES.map((r) => r.id)).toEqual([
      'default-security-takeover',
      'default-urgent',
      'default-major-amount',
      'default-large-trade-p2p',
      'default-vip',
      'default-security-other',
      'default-trade',
      'default-kyc-aml',
      'default-deposit-withdrawal-large',
      'default-p2p',
      'default-service',
    ]);
  });

  it('classify the cases an exchange expects', () => {
    const table: [Category, Subcategory, Partial<TieringInput>, string, string, string | null][] = [
      ['account_security', 'account_takeover', {}, 'L3', 'urgent', 'default-security-takeover'],
      ['account_security', 'funds_stolen', { usdEquivalent: '5' }, 'L3', 'urgent', 'default-security-takeover'],
      ['service', 'fees', { urgent: true }, 'L3', 'urgent', 'default-urgent'],
      ['trade', 'liquidation', { urgent: true, usdEquivalent: '250000' }, 'L3', 'urgent', 'default-urgent'],
      ['deposit_withdrawal', 'withdrawal_delayed', { usdEquivalent: '100000' }, 'L3', 'high', 'default-major-amount'],
      ['service', 'fees', { usdEquivalent: '99999.999999999999999999' }, 'L1', 'low', 'default-service'],
      ['trade', 'slippage', { usdEquivalent: '10000' }, 'L2', 'high', 'default-large-trade-p2p'],
      ['p2p', 'payment_not_received', { usdEquivalent: '99999.99' }, 'L2', 'high', 'default-large-trade-p2p'],
      ['trade', 'slippage', { usdEquivalent: '9999.999999999999999999' }, 'L2', 'normal', 'default-trade'],
      ['service', 'response_speed', { vipLevel: 5 }, 'L2', 'high', 'default-vip'],
      ['service', 'response_speed', { vipLevel: 4 }, 'L1', 'low', 'default-service'],
      ['account_security', 'malicious_login', {}, 'L2', 'high', 'default-security-other'],
      ['kyc_aml', 'account_frozen', {}, 'L2', 'normal', 'default-kyc-aml'],
      ['deposit_withdrawal', 'deposit_not_credited', { usdEquivalent: '1000' }, 'L2', 'normal', 'default-deposit-withdrawal-large'],
      ['deposit_withdrawal', 'deposit_not_credited', { usdEquivalent: '999.999999999999999999' }, 'L1', 'normal', null],
      ['p2p', 'payment_not_released', { usdEquivalent: '50' }, 'L2', 'normal', 'default-p2p'],
      ['service', 'service_quality', {}, 'L1', 'low', 'default-service'],
    ];
    for (const [category, subcategory, over, tier, priority, ruleId] of table) {
      expect(expected(category, subcategory, over), `${category}/${subcategory} ${JSON.stringify(over)}`).toEqual({ tier, priority, ruleId });
    }
  });

  it('can each be reached, and so can the fallback', () => {
    const reached = new Map<string | null, TieringInput>();
    const amounts = ['0', '999.99', '1000', '9999.99', '10000', '99999.99', '100000', '1000000'];
    for (const category of CATEGORY_NAMES)
      for (const subcategory of CATEGORIES[category])
        for (const usdEquivalent of amounts)
          for (const vipLevel of [0, 4, 5, 9])
            for (const urgent of [false, true])
              for (const channel of [CHANNELS[0], CHANNELS[CHANNELS.length - 1]!]) {
                const i = { category, subcategory, usdEquivalent, vipLevel, urgent, channel };
                const { ruleId } = classify(DEFAULT_TIERING_RULES, i);
                if (!reached.has(ruleId)) reached.set(ruleId, i);
              }
    for (const r of DEFAULT_TIERING_RULES) expect(reached.has(r.id), `${r.id} is shadowed by earlier rules`).toBe(true);
    expect(reached.has(null)).toBe(true);
  });

  it('only ever give a known tier and priority', () => {
    for (const r of DEFAULT_TIERING_RULES) {
      expect(TIERS).toContain(r.then.tier);
      expect(PRIORITIES).toContain(r.then.priority);
    }
  });

  it('cannot be changed in place by accident', () => {
    expect(() => DEFAULT_TIERING_RULES.push(DEFAULT_TIERING_RULES[0]!)).toThrow(TypeError);
    expect(() => {
      DEFAULT_TIERING_RULES[0]!.then.tier = 'L1';
    }).toThrow(TypeError);
    expect(classify(DEFAULT_TIERING_RULES, input({ category: 'account_security', subcategory: 'account_takeover' })).tier).toBe('L3');
    // a copy is editable
    const copy: TieringRule[] = structuredClone(DEFAULT_TIERING_RULES);
    copy[0]!.enabled = false;
    expect(classify(copy, input({ category: 'account_security', subcategory: 'account_takeover' })).ruleId).toBe('default-security-other');
  });
});

describe('tiering rule schema', () => {
  it('accepts a well-formed rule and an empty condition set', () => {
    expect(tieringRuleSchema.safeParse(validRule).success).toBe(true);
    expect(tieringRuleSchema.safeParse(withWhen({})).success).toBe(true);
    for (const minUsd of ['0', '100000', '0.000000000000000001', '9'.repeat(30) + '.' + '9'.repeat(18)]) {
      expect(tieringRuleSchema.safeParse(withWhen({ minUsd })).success, minUsd).toBe(true);
    }
  });

  it('refuses a minUsd that is not a plain decimal, with a message key on the field', () => {
    for (const minUsd of ['1e5', '-0', '-1', 'NaN', 'Infinity', '.5', '5.', '0x10', '1,000', ' 100', '', '007']) {
      expect(issuesOf(withWhen({ minUsd })), minUsd).toEqual([{ message: 'rules.tiering.min_usd_format', path: 'when.minUsd' }]);
    }
    expect(issuesOf(withWhen({ minUsd: 100000 }))).toEqual([{ message: 'rules.tiering.min_usd_format', path: 'when.minUsd' }]);
    expect(issuesOf(withWhen({ minUsd: '1234567890123456789012345678901234567890' }))).toEqual([
      { message: 'rules.tiering.min_usd_too_many_digits', path: 'when.minUsd' },
    ]);
    expect(issuesOf(withWhen({ minUsd: '1.' + '1'.repeat(19) }))).toEqual([
      { message: 'rules.tiering.min_usd_too_many_fraction_digits', path: 'when.minUsd' },
    ]);
  });

  it('refuses an unknown tier or priority', () => {
    expect(issuesOf({ ...validRule, then: { tier: 'L4', priority: 'high' } })).toEqual([
      { message: 'rules.tiering.tier_invalid', path: 'then.tier' },
    ]);
    expect(issuesOf({ ...validRule, then: { tier: 'l1', priority: 'high' } })[0]?.message).toBe('rules.tiering.tier_invalid');
    expect(issuesOf({ ...validRule, then: { tier: 'L1', priority: 'critical' } })).toEqual([
      { message: 'rules.tiering.priority_invalid', path: 'then.priority' },
    ]);
    expect(issuesOf({ ...validRule, then: { tier: 'L1' } })[0]?.path).toBe('then.priority');
  });

  it('refuses conditions that are out of range or could never match', () => {
    for (const minVipLevel of [-1, 10, 2.5, '5']) {
      expect(issuesOf(withWhen({ minVipLevel })), String(minVipLevel)).toEqual([
        { message: 'rules.tiering.min_vip_level_range', path: 'when.minVipLevel' },
      ]);
    }
    expect(issuesOf(withWhen({ categories: [] }))).toEqual([{ message: 'rules.tiering.list_empty', path: 'when.categories' }]);
    expect(issuesOf(withWhen({ categories: ['futures'] }))).toEqual([{ message: 'rules.tiering.category_invalid', path: 'when.categories.0' }]);
    expect(issuesOf(withWhen({ subcategories: ['rug_pull'] }))[0]?.message).toBe('rules.tiering.subcategory_invalid');
    expect(issuesOf(withWhen({ channels: ['fax'] }))[0]?.message).toBe('rules.tiering.channel_invalid');
    expect(issuesOf(withWhen({ urgent: 'yes' }))[0]?.message).toBe('rules.tiering.urgent_invalid');
    expect(issuesOf(withWhen({ categories: ['trade'], subcategories: ['slippage', 'account_frozen'] }))).toEqual([
      { message: 'rules.tiering.subcategory_outside_categories', path: 'when.subcategories.1' },
    ]);
    // a subcategory alone, without categories, is fine
    expect(tieringRuleSchema.safeParse(withWhen({ subcategories: ['account_frozen'] })).success).toBe(true);
  });

  it('refuses a misspelt condition instead of silently matching every case', () => {
    expect(issuesOf(withWhen({ minUSD: '100000' }))).toEqual([{ message: 'rules.unknown_field', path: 'when' }]);
    expect(issuesOf({ ...validRule, priority: 'high' })[0]?.message).toBe('rules.unknown_field');
  });

  it('refuses a bad id, name, order or enabled flag', () => {
    expect(issuesOf({ ...validRule, id: '' })[0]).toEqual({ message: 'rules.tiering.id_required', path: 'id' });
    expect(issuesOf({ ...validRule, name: '   ' })[0]).toEqual({ message: 'rules.tiering.name_required', path: 'name' });
    expect(issuesOf({ ...validRule, order: -1 })[0]).toEqual({ message: 'rules.tiering.order_invalid', path: 'order' });
    expect(issuesOf({ ...validRule, order: 1.5 })[0]).toEqual({ message: 'rules.tiering.order_invalid', path: 'order' });
    expect(issuesOf({ ...validRule, enabled: 'true' })[0]).toEqual({ message: 'rules.tiering.enabled_invalid', path: 'enabled' });
  });

  it('refuses a rule set whose ids or orders collide', () => {
    const r = tieringRuleSetSchema.safeParse([validRule, { ...validRule, order: 6 }, { ...validRule, id: 'r-2' }]);
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => [i.message, i.path.join('.')])).toEqual([
      ['rules.tiering.duplicate_id', '1.id'],
      ['rules.tiering.duplicate_order', '2.order'],
    ]);
  });

  it('only ever answers with message keys both languages translate', () => {
    const bad: unknown[] = [
      null,
      {},
      { ...validRule, when: null },
      { ...validRule, then: 'L1' },
      withWhen({ minUsd: '1e5', minVipLevel: 99, categories: 'trade', subcategories: [], channels: [1], urgent: 1, extra: 1 }),
      { ...validRule, id: 'x'.repeat(101), name: 'y'.repeat(201), order: '1' },
    ];
    for (const value of bad) {
      const r = tieringRuleSchema.safeParse(value);
      expect(r.success).toBe(false);
      for (const issue of r.error?.issues ?? []) expect(enKeys.has(issue.message), issue.message).toBe(true);
    }
    const set = tieringRuleSetSchema.safeParse('rules');
    for (const issue of set.error?.issues ?? []) expect(enKeys.has(issue.message), issue.message).toBe(true);
  });
});

describe('rule messages', () => {
  it('have the same keys in English and Chinese, none of them blank', () => {
    expect(Object.keys(rulesMessages['zh-CN']).sort()).toEqual(Object.keys(rulesMessages.en).sort());
    for (const lang of ['en', 'zh-CN'] as const) {
      for (const [key, text] of Object.entries(rulesMessages[lang])) expect(text.trim(), `${lang} ${key}`).not.toBe('');
    }
  });

  it('name every tier, every priority and every default rule in both languages', () => {
    const keys = [
      ...TIERS.map((t) => `case.tier.${t}`),
      ...PRIORITIES.map((p) => `case.priority.${p}`),
      ...DEFAULT_TIERING_RULES.map((r) => `rules.tiering.rule_name.${r.id}`),
    ];
    for (const key of keys) {
      expect(enKeys.has(key), key).toBe(true);
      expect((rulesMessages['zh-CN'] as Record<string, string>)[key], key).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('use the default rule names the rules themselves carry', () => {
    for (const r of DEFAULT_TIERING_RULES) {
      expect((rulesMessages.en as Record<string, string>)[`rules.tiering.rule_name.${r.id}`]).toBe(r.name);
    }
  });
});
