// The workspace's keyboard map: one fixed key per lifecycle action (Shift + a letter, the same in
// every case, so hands learn them) and a two-key sequence per section ("g" then a letter).
import type { CaseAction } from '../../../../shared/domain';

export const ACTION_KEYS: Record<CaseAction, string> = {
  start_review: 'shift+r',
  accept: 'shift+a',
  request_material: 'shift+m',
  material_received: 'shift+g',
  reject: 'shift+x',
  request_third_party: 'shift+t',
  third_party_responded: 'shift+y',
  complete_investigation: 'shift+i',
  request_approval: 'shift+q',
  approve: 'shift+v',
  decline_approval: 'shift+d',
  propose_resolution: 'shift+p',
  accept_resolution: 'shift+k',
  object: 'shift+o',
  escalate_mediation: 'shift+e',
  escalate_arbitration: 'shift+b',
  record_settlement: 'shift+s',
  record_impasse: 'shift+w',
  record_ruling: 'shift+u',
  complete_execution: 'shift+c',
  close: 'shift+l',
  archive: 'shift+h',
};

export const SECTIONS = ['timeline', 'notes', 'consultations', 'communications', 'classification', 'assessment', 'remedies', 'follow_up'] as const;
export type Section = (typeof SECTIONS)[number];

export const SECTION_KEYS: Record<Section, string> = {
  timeline: 'g t',
  notes: 'g n',
  consultations: 'g c',
  communications: 'g m',
  classification: 'g l',
  assessment: 'g a',
  remedies: 'g r',
  follow_up: 'g f',
};

/** 'shift+r' → 'Shift+R', 'g t' → 'G T' (for tooltips and aria-keyshortcuts). */
export function keyHint(combo: string): string {
  return combo
    .split(' ')
    .map((step) =>
      step
        .split('+')
        .map((p) => (p === 'shift' ? 'Shift' : p === 'alt' ? 'Alt' : p === 'ctrl' ? 'Ctrl' : p.toUpperCase()))
        .join('+'),
    )
    .join(' ');
}
