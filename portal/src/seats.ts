// A seat as the inbox and the seat page show it (escalations.mySeats), its status in words, and the
// inbox's sort. Pure: no Vue, no network.
import type { PortalClient } from './api/client';

/** One row of escalations.mySeats, as the server answers it (dates as ISO strings on the wire). */
export interface Seat {
  memberId: string;
  caseId: string | null;
  caseNumber: string;
  category: string;
  subcategory: string;
  /** The disputed amount as a band (shared/seat-summary.ts), never the figure; null when unknown. */
  amountBand: string | null;
  /** The complainant's pseudonym in this case. */
  complainantPseudonym: string;
  /** When the disclosure and the answer are due. */
  respondBy: string;
  escalationId: string;
  escalationKind: string;
  escalationStatus: string;
  panelSize: number;
  role: string;
  seat: string | null;
  assignedAt: string;
  disclosure: string | null;
  disclosedAt: string | null;
  acceptedAt: string | null;
  declinedAt: string | null;
}

// The server's answer must stay assignable to Seat: a renamed or removed field fails the portal's
// type check (tsconfig.portal.json, against the real AppRouter).
type ServerSeat = Awaited<ReturnType<PortalClient['escalations']['mySeats']['query']>>[number];
export const asSeat = (s: ServerSeat): Seat => s;

export type SeatStatus = 'awaiting_disclosure' | 'awaiting_answer' | 'accepted' | 'declined' | 'closed';

export function seatStatus(s: Pick<Seat, 'escalationStatus' | 'disclosedAt' | 'acceptedAt' | 'declinedAt'>): SeatStatus {
  if (s.declinedAt) return 'declined';
  if (s.acceptedAt) return 'accepted';
  if (s.escalationStatus !== 'open') return 'closed';
  return s.disclosedAt ? 'awaiting_answer' : 'awaiting_disclosure';
}

/** What needs the member first: open questions, then answered seats, then closed ones. */
const STATUS_RANK: Record<SeatStatus, number> = { awaiting_disclosure: 0, awaiting_answer: 1, accepted: 2, declined: 3, closed: 4 };

export const SORT_COLUMNS = ['caseNumber', 'category', 'role', 'assignedAt', 'status'] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];
export interface SeatSort {
  column: SortColumn;
  direction: 'ascending' | 'descending';
}

/** The default: what needs an answer first, newest appointment first within a status. */
export const DEFAULT_SORT: SeatSort = { column: 'status', direction: 'ascending' };

function compare(a: Seat, b: Seat, column: SortColumn, label: (s: Seat, column: SortColumn) => string): number {
  if (column === 'status') return STATUS_RANK[seatStatus(a)] - STATUS_RANK[seatStatus(b)];
  if (column === 'assignedAt') return Date.parse(a.assignedAt) - Date.parse(b.assignedAt);
  return label(a, column).localeCompare(label(b, column));
}

/** Sorted copy; `label` gives the text shown in a column (categories and roles sort by their words). */
export function sortSeats(seats: readonly Seat[], sort: SeatSort, label: (s: Seat, column: SortColumn) => string): Seat[] {
  const sign = sort.direction === 'ascending' ? 1 : -1;
  return [...seats].sort((a, b) => sign * compare(a, b, sort.column, label) || Date.parse(b.assignedAt) - Date.parse(a.assignedAt) || a.caseNumber.localeCompare(b.caseNumber));
}
