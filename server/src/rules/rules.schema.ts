import { z } from 'zod';
import { tieringRuleSetSchema } from '../../../shared/tiering';
import { slaPolicySchema } from '../../../shared/sla';
import { assetCode, isoDateTime, nonNegativeAmountString } from '../../../shared/schemas';

export const setTieringRulesInput = z.strictObject({ rules: tieringRuleSetSchema.refine((r) => r.length <= 200, 'validation.too_many') });
export const setSlaPolicyInput = slaPolicySchema;
export const setApprovalThresholdInput = z.strictObject({ thresholdUsd: nonNegativeAmountString });
export const setAssetRateInput = z.strictObject({ asset: assetCode, effectiveAt: isoDateTime, usdRate: nonNegativeAmountString });
