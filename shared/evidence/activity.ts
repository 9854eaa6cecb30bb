// Account activity logs (logins, withdrawals, security changes): time, IP address, device and
// action, plus location, result and user agent when the export has them. From CSV with a header
// row, or JSON (an array of objects, an object wrapping one, or JSON lines). Column names are
// matched case-insensitively, with English and Chinese synonyms (docs/evidence-formats.md).
//
// IP addresses are checked (IPv4 dotted quad without leading zeros; IPv6 with `::`, an embedded
// IPv4 tail, optional brackets) and written canonically (RFC 5952: lower case, zeros compressed).
import {
  TextPositions,
  chooseZone,
  errorAt,
  fail,
  formatZone,
  isEvidenceError,
  looksLikeJson,
  readCsvTable,
  readJsonTable,
  readTime,
  shown,
  warningAt,
  type EvidenceWarning,
  type Failure,
  type TableSpec,
  type ZoneChoice,
} from './common';
import { isFormulaWarning } from './formula';

export interface ActivityRecord {
  seq: number;
  line: number;
  /** ISO 8601 UTC. */
  time: string;
  /** Canonical text of the address. */
  ip: string;
  /** As written; may be empty when the log has no device for an entry. */
  device: string;
  action: string;
  location?: string;
  result?: string;
  userAgent?: string;
  /** Every cell (JSON: key) of the entry as written. */
  raw: Record<string, string>;
}

export type ActivityField = 'time' | 'ip' | 'device' | 'action' | 'location' | 'result' | 'userAgent';

export const ACTIVITY_SPEC: TableSpec<ActivityField> = {
  aliases: {
    time: ['time', 'timestamp', 'datetime', 'date time', 'date/time', 'login time', 'event time', 'created at', 'date', '时间', '登录时间', '操作时间', '发生时间', '日期'],
    ip: ['ip', 'ip address', 'ipaddress', 'ip addr', 'client ip', 'source ip', 'login ip', 'remote ip', 'ip地址', 'ip 地址', '登录ip', '登录 ip'],
    device: ['device', 'device name', 'device type', 'device info', 'client', '设备', '设备名称', '登录设备', '设备信息', '终端'],
    action: ['action', 'activity', 'event', 'operation', 'event type', 'type', '操作', '操作类型', '事件', '活动', '行为'],
    location: ['location', 'region', 'city', 'geo', 'country', '位置', '地点', '登录地点', '地区', 'ip归属地', '归属地'],
    result: ['result', 'status', 'outcome', '结果', '状态'],
    userAgent: ['user agent', 'useragent', 'ua', 'browser', '用户代理', '浏览器'],
  },
  required: ['time', 'ip', 'device', 'action'],
  names: { time: 'time', ip: 'ip', device: 'device', action: 'action', location: 'location', result: 'result', userAgent: 'user agent' },
};

export type ParseActivityResult =
  | {
      ok: true;
      records: ActivityRecord[];
      source: 'csv' | 'json';
      warnings: EvidenceWarning[];
      /** Zone naive times were read in, and where it came from (see shared/evidence/common.ts). */
      timeZone: string;
      timeZoneSource: ZoneChoice['source'];
    }
  | Failure;

export function parseActivity(text: string, options: { timeZone?: string } = {}): ParseActivityResult {
  const positions = new TextPositions(text);
  const read = looksLikeJson(text) ? readJsonTable(text, positions, ACTIVITY_SPEC) : readCsvTable(text, positions, ACTIVITY_SPEC);
  const { table } = read;
  const zone = chooseZone(table.zones.time, options.timeZone);
  if (isEvidenceError(zone)) return fail(zone); // the option is wrong, not the file: no position
  const warnings: EvidenceWarning[] = [];
  const state = { warned: false, warnings };
  const records: ActivityRecord[] = [];
  for (const row of table.rows) {
    for (const c of row.all) if (isFormulaWarning(c.value)) warnings.push(warningAt('evidence.parse.formula_cell', c.line, c.column, { value: shown(c.value) }));
    const { time: timeCell, ip: ipCell, action: actionCell } = row.cells;
    for (const [field, c] of [
      ['time', timeCell],
      ['ip', ipCell],
      ['action', actionCell],
    ] as const) {
      if (!c || c.value.trim() === '') {
        const at = c ?? row;
        return fail(errorAt('evidence.parse.missing_value', at.line, at.column, { name: ACTIVITY_SPEC.names[field] }));
      }
    }
    const time = readTime(timeCell!, zone, state);
    if (!time.ok) return time;
    const ip = normalizeIp(ipCell!.value);
    if (!ip) return fail(errorAt('evidence.activity.bad_ip', ipCell!.line, ipCell!.column, { value: shown(ipCell!.value) }));
    const record: ActivityRecord = {
      seq: records.length + 1,
      line: row.line,
      time: time.iso,
      ip,
      device: (row.cells.device?.value ?? '').trim(),
      action: actionCell!.value.trim(),
      raw: row.raw,
    };
    for (const field of ['location', 'result', 'userAgent'] as const) {
      const v = row.cells[field]?.value.trim();
      if (v) record[field] = v;
    }
    records.push(record);
  }
  if (read.error) return fail(read.error);
  return { ok: true, records, source: table.source, warnings, timeZone: formatZone(zone.offset), timeZoneSource: zone.source };
}

// ---------------------------------------------------------------------------------------------
// IP addresses

const IPV4 = /^(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})$/;

function ipv4Bytes(text: string): number[] | null {
  const m = IPV4.exec(text);
  if (!m) return null;
  const bytes = m.slice(1, 5).map(Number);
  return bytes.every((b) => b <= 255) ? bytes : null;
}

/** The 8 groups of an IPv6 address, or null. */
function ipv6Groups(text: string): number[] | null {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return null;
  let tail: number[] = [];
  let body = text;
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.')) {
    const v4 = ipv4Bytes(text.slice(lastColon + 1));
    if (!v4) return null;
    tail = [(v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!];
    body = text.slice(0, lastColon + 1);
    if (!body.endsWith('::')) body = body.slice(0, -1); // drop the colon before the IPv4 part
  }
  const halves = body.split('::');
  if (halves.length > 2) return null;
  const parse = (part: string): number[] | null => {
    if (part === '') return [];
    const groups = part.split(':');
    if (groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return null;
    return groups.map((g) => parseInt(g, 16));
  };
  const head = parse(halves[0]!);
  if (!head) return null;
  if (halves.length === 1) {
    const all = [...head, ...tail];
    return all.length === 8 ? all : null;
  }
  const rest = parse(halves[1]!);
  if (!rest) return null;
  const missing = 8 - head.length - rest.length - tail.length;
  if (missing < 1) return null;
  return [...head, ...new Array<number>(missing).fill(0), ...rest, ...tail];
}

/**
 * Canonical text of an IPv4 or IPv6 address, or null when the text is not one. IPv6 may be in
 * brackets; zone indexes (`%eth0`), ports and leading zeros in IPv4 (`010.0.0.1`) are refused.
 */
export function normalizeIp(value: string): string | null {
  let text = value.trim();
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  const v4 = ipv4Bytes(text);
  if (v4) return v4.join('.');
  if (!text.includes(':')) return null;
  const g = ipv6Groups(text);
  if (!g) return null;
  // IPv4-mapped addresses keep their dotted tail (RFC 5952 §5).
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return `::ffff:${g[6]! >> 8}.${g[6]! & 255}.${g[7]! >> 8}.${g[7]! & 255}`;
  // Longest run of two or more zero groups (the first of equals) becomes `::`.
  let bestStart = -1;
  let bestLength = 1;
  for (let k = 0; k < 8; ) {
    if (g[k] !== 0) {
      k++;
      continue;
    }
    let j = k;
    while (j < 8 && g[j] === 0) j++;
    if (j - k > bestLength) {
      bestStart = k;
      bestLength = j - k;
    }
    k = j;
  }
  const hex = g.map((x) => x.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
