// The queue's columns: what each shows, the message key of its header, its width, and the contract's
// sort column behind a header click (subject has none: the local store has no index for it).
import type { QueueSortColumn } from '../../../contract/schemas';

export interface QueueColumn {
  key: string;
  titleKey: string;
  width: number;
  flexGrow?: number;
  sort?: QueueSortColumn;
  align?: 'left' | 'center' | 'right';
}

export const QUEUE_COLUMNS: QueueColumn[] = [
  { key: 'caseNumber', titleKey: 'ui.queue.col.case_number', width: 140, sort: 'case_number' },
  { key: 'subject', titleKey: 'ui.queue.col.subject', width: 160, flexGrow: 1 },
  { key: 'status', titleKey: 'ui.queue.col.status', width: 110, sort: 'status' },
  // Category and subcategory share a column (sorted by category, then the engine's own order).
  { key: 'category', titleKey: 'ui.queue.col.category', width: 180, sort: 'category' },
  { key: 'tier', titleKey: 'ui.queue.col.tier', width: 48, sort: 'tier' },
  { key: 'priority', titleKey: 'ui.queue.col.priority', width: 64, sort: 'priority' },
  { key: 'sla', titleKey: 'ui.queue.col.sla', width: 124, sort: 'sla_due' },
  { key: 'usd', titleKey: 'ui.queue.col.usd', width: 100, sort: 'usd_equivalent', align: 'right' },
  { key: 'vip', titleKey: 'ui.queue.col.vip', width: 48, sort: 'vip_level', align: 'right' },
  { key: 'channel', titleKey: 'ui.queue.col.channel', width: 84, sort: 'channel' },
  { key: 'language', titleKey: 'ui.queue.col.language', width: 56, sort: 'language' },
  { key: 'assignee', titleKey: 'ui.queue.col.assignee', width: 96, sort: 'assignee' },
  { key: 'received', titleKey: 'ui.queue.col.received', width: 108, sort: 'received_at' },
  { key: 'updated', titleKey: 'ui.queue.col.updated', width: 108, sort: 'updated_at' },
];

export const ROW_HEIGHT = 34;
export const HEADER_HEIGHT = 36;
