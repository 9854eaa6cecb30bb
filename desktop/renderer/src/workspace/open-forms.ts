// Whether a section's form is open in the case's state, decided by the same rules the engine and the
// server apply (shared/case-mutations): a closed form is replaced by the reason, not offered and
// then refused.
import { known, planAssessment, planCaseWork, planClassification, planRemedy, planRemedyWithdrawal, planSatisfaction, type Verdict } from '../../../../shared/case-mutations';
import type { CaseState } from '../../../../shared/domain';

export interface Closed {
  messageKey: string;
  params: Record<string, string | number>;
}

function closedBy(v: Verdict<object>): Closed | null {
  return v.verdict === 'refused' ? { messageKey: v.refusal.messageKey, params: v.refusal.params ?? {} } : null;
}

export const caseWorkClosed = (status: CaseState) => closedBy(planCaseWork(status));
export const assessmentClosed = (status: CaseState) => closedBy(planAssessment(status, { thirdPartyShare: '0' }));
export const remedyClosed = (status: CaseState) => closedBy(planRemedy(status, { kind: 'security_advice' }, known(null)));
export const withdrawalClosed = (status: CaseState, remedyStatus: string) => closedBy(planRemedyWithdrawal(status, remedyStatus));
export const classificationClosed = (status: CaseState) => closedBy(planClassification(status, { tier: 'L1', priority: 'low' }, []));
export const satisfactionClosed = (status: CaseState) => closedBy(planSatisfaction(status));
