// Which arguments of a refused change a person may edit before retrying it: the text and amounts
// they typed (a note, a reason, findings, an amount), never ids or the action itself. Each has a
// label in the messages ('ui.rejection.field.<path>').
import type { MutationName } from '../../../../shared/sync/protocol';

export interface EditableField {
  /** Dotted path in the mutation's arguments ('body', 'fields.next_action'). */
  path: string;
  kind: 'text' | 'longtext' | 'amount' | 'share' | 'score';
}

export const EDITABLE_FIELDS: Partial<Record<MutationName, EditableField[]>> = {
  addNote: [{ path: 'body', kind: 'longtext' }],
  addConsultation: [{ path: 'question', kind: 'longtext' }],
  answerConsultation: [{ path: 'answer', kind: 'longtext' }],
  logCommunication: [{ path: 'body', kind: 'longtext' }],
  setAssessment: [
    { path: 'platformShare', kind: 'share' },
    { path: 'userShare', kind: 'share' },
    { path: 'thirdPartyShare', kind: 'share' },
    { path: 'findings', kind: 'longtext' },
  ],
  proposeRemedy: [
    { path: 'amount', kind: 'amount' },
    { path: 'asset', kind: 'text' },
    { path: 'details', kind: 'longtext' },
  ],
  transition: [{ path: 'reason', kind: 'longtext' }],
  recordSatisfaction: [
    { path: 'score', kind: 'score' },
    { path: 'comment', kind: 'longtext' },
  ],
  updateCaseFields: [
    { path: 'fields.handler_summary', kind: 'longtext' },
    { path: 'fields.next_action', kind: 'text' },
  ],
};

/** The fields of this change that can be edited (only those its arguments carry, plus the always-editable text). */
export function editableFields(name: MutationName, args: Record<string, unknown>): EditableField[] {
  return (EDITABLE_FIELDS[name] ?? []).filter((f) => getPath(args, f.path) !== undefined || ['body', 'question', 'answer', 'findings', 'reason'].includes(f.path));
}

export function getPath(obj: Record<string, unknown>, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
}

export function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let o = obj;
  for (const k of keys.slice(0, -1)) {
    if (!o[k] || typeof o[k] !== 'object') o[k] = {};
    o = o[k] as Record<string, unknown>;
  }
  const last = keys[keys.length - 1]!;
  if (value === '' || value === undefined) delete o[last];
  else o[last] = value;
}
