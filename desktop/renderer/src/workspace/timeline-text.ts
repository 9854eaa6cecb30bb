// What a timeline event says, in words: its kind's label and a one-line detail from its payload,
// with the dossier's wording (the same event reads the same on screen and in a filed dossier), except
// where the dossier's Chinese keeps ASCII punctuation: those lines have workspace.event.* twins.
import type { Language } from '../../../../shared/domain';
import type { TimelineEntry } from '../../../contract/types';
import { formatAmount } from '../format';

type T = (key: string, params?: Record<string, string | number>) => string;
type Has = (key: string) => boolean;

const str = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});

/** The prefix the timeline filters on: the whole type (`case.transition`, `note.added`). */
export const eventKind = (entry: TimelineEntry): string => entry.type;

export function kindLabel(type: string, t: T, has: Has): string {
  const key = `case.event.${type}`;
  return has(key) ? t(key) : t('dossier.event.unknown', { type });
}

function label(t: T, has: Has, key: string, fallback: string): string {
  return has(key) ? t(key) : fallback;
}

export function eventDetail(entry: TimelineEntry, t: T, has: Has, language: Language): string {
  const p = entry.payload ?? {};
  switch (entry.type) {
    case 'case.transition': {
      const line = t('dossier.event.transition', {
        action: label(t, has, `case.action.${str(p.action)}`, str(p.action)),
        from: label(t, has, `case.state.${str(p.from)}`, str(p.from)),
        to: label(t, has, `case.state.${str(p.to)}`, str(p.to)),
      });
      return p.reason ? `${line} · ${t('workspace.event.reason', { reason: str(p.reason) })}` : line;
    }
    case 'case.classified': {
      const a = obj(p.after);
      const line = t('dossier.event.classified', {
        category: label(t, has, `dossier.category.${str(a.category)}`, str(a.category)),
        subcategory: label(t, has, `dossier.subcategory.${str(a.subcategory)}`, str(a.subcategory)),
        tier: label(t, has, `case.tier.${str(a.tier)}`, str(a.tier)),
        priority: label(t, has, `case.priority.${str(a.priority)}`, str(a.priority)),
      });
      return p.overrideReason ? `${line} · ${t('workspace.event.override_reason', { reason: str(p.overrideReason) })}` : line;
    }
    case 'remedy.drafted':
    case 'remedy.withdrawn': {
      const kind = label(t, has, `dossier.remedy_kind.${str(p.kind)}`, str(p.kind));
      return p.amount ? t('dossier.event.remedy_amount', { kind, amount: formatAmount(str(p.amount), null, language), asset: str(p.asset) }) : t('dossier.event.remedy', { kind });
    }
    case 'assessment.set': {
      const s = obj(p.shares);
      return t('workspace.event.assessment', { platform: str(s.platform), user: str(s.user), thirdParty: str(s.thirdParty) });
    }
    case 'satisfaction.recorded':
      return t('workspace.event.satisfaction', { score: str(p.score) });
    case 'consultation.asked':
    case 'consultation.answered':
      return t('dossier.event.consultation', { team: label(t, has, `dossier.team.${str(p.team)}`, str(p.team)) });
    case 'communication.logged':
      return t('dossier.event.communication', {
        direction: label(t, has, `dossier.direction.${str(p.direction)}`, str(p.direction)),
        channel: label(t, has, `dossier.channel.${str(p.channel)}`, str(p.channel)),
      });
    case 'case.fields_updated':
      return t('workspace.event.fields', {
        fields: Object.keys(obj(p.changes))
          .map((f) => label(t, has, `dossier.field.${f}`, f))
          .join(', '),
      });
    case 'local.pending': {
      const name = label(t, has, `desktop.mutation.${str(p.name)}`, str(p.name));
      const awaiting = Array.isArray(p.awaiting) ? (p.awaiting as { messageKey?: string; params?: Record<string, string | number> }[]) : [];
      return [name, ...awaiting.map((a) => (a.messageKey ? t(a.messageKey, a.params ?? {}) : ''))].filter(Boolean).join(' · ');
    }
    case 'case.received':
      return p.channel ? label(t, has, `dossier.channel.${str(p.channel)}`, str(p.channel)) : '';
    default:
      return '';
  }
}
