// The words for a seat's codes, in the language on screen: category, proceeding, role and status.
import type { Seat, SeatStatus } from './seats';
import { hasKey, tr } from './i18n';

const orCode = (key: string, code: string) => (hasKey(key) ? tr(key) : code);

export const categoryLabel = (s: Pick<Seat, 'category'>) => orCode(`ui.category.${s.category}`, s.category);
export const subcategoryLabel = (s: Pick<Seat, 'subcategory'>) => orCode(`ui.subcategory.${s.subcategory}`, s.subcategory);

export function proceedingLabel(s: Pick<Seat, 'escalationKind' | 'panelSize'>): string {
  const kind = orCode(`portal.kind.${s.escalationKind}`, s.escalationKind);
  if (s.escalationKind !== 'arbitration') return kind;
  return tr('portal.proceeding', { kind, panel: tr(s.panelSize === 3 ? 'portal.panel.three' : 'portal.panel.sole') });
}

export function roleLabel(s: Pick<Seat, 'role' | 'seat'>): string {
  const role = orCode(`ui.role.${s.role}`, s.role);
  return s.seat ? tr('portal.role_with_seat', { role, seat: orCode(`portal.seat.${s.seat}`, s.seat) }) : role;
}

export const statusLabel = (status: SeatStatus) => tr(`portal.status.${status}`);

export const amountBandLabel = (s: Pick<Seat, 'amountBand'>) => (s.amountBand ? orCode(`portal.amount_band.${s.amountBand}`, s.amountBand) : tr('portal.amount_band.unknown'));

/** The parties as the summary names them: the complainant's pseudonym against the exchange. */
export const partiesLabel = (s: Pick<Seat, 'complainantPseudonym'>) => tr('portal.parties', { complainant: s.complainantPseudonym });
