// Chat transcripts (support chats, messenger exports): who said what, when.
//
// - JSON: an array of objects with a time (`time`, `timestamp`, `date`, `ts`, 时间…), a speaker
//   (`speaker`, `from`, `sender`, `author`, `user`, 发送者…) and the text (`text`, `message`,
//   `content`, 内容…); or an object wrapping such an array (`{"messages": [...]}`); or JSON lines.
//   A text given as a list of pieces (Telegram exports) is joined.
// - CSV with a header naming those three columns.
// - Text: a message starts with a timestamp, bracketed or not, then the speaker and a colon
//   (ASCII or full-width): `[2026-03-01 12:00:05] 客服 Alice: 您好`, `2026-03-01 12:00:05 User123: hello`.
//   Any other line continues the message before it (line breaks kept).
//
// Naive times are read in the caller's zone, else UTC with a warning (docs/evidence-formats.md).
import {
  TextPositions,
  chooseZone,
  errorAt,
  fail,
  formatZone,
  headerName,
  isEvidenceError,
  looksLikeJson,
  matchColumns,
  readCsvTable,
  readJsonTable,
  readTime,
  type EvidenceWarning,
  type Failure,
  type TableSpec,
  type ZoneChoice,
} from './common';
import { parseCsv } from '../csv';

export interface ChatRecord {
  seq: number;
  /** Line where the message starts. */
  line: number;
  /** ISO 8601 UTC. */
  time: string;
  speaker: string;
  /** The message; continuation lines joined with `\n`. */
  text: string;
}

export type ChatField = 'time' | 'speaker' | 'text';

export const CHAT_SPEC: TableSpec<ChatField> = {
  aliases: {
    time: ['time', 'timestamp', 'datetime', 'date', 'ts', 'sent at', 'created at', '时间', '发送时间', '日期'],
    speaker: ['speaker', 'from', 'sender', 'author', 'user', 'name', 'nickname', 'role', '发送者', '发言人', '发送人', '用户', '昵称', '角色'],
    text: ['text', 'message', 'content', 'body', 'msg', '内容', '消息', '消息内容', '文本'],
  },
  required: ['time', 'speaker', 'text'],
  names: { time: 'time', speaker: 'speaker', text: 'text' },
};

export type ParseChatResult =
  | { ok: true; records: ChatRecord[]; source: 'json' | 'csv' | 'text'; warnings: EvidenceWarning[]; timeZone: string; timeZoneSource: ZoneChoice['source'] }
  | Failure;

/** The longest a speaker's name may be in a text transcript (longer: it is not a speaker). */
const MAX_SPEAKER = 80;

/** A timestamp at the start of a line: `[...]` (checked when read) or a bare date and time. */
const BRACKETED = /^\s*\[([^\]\r\n]{6,48})\]\s*/;
const BARE =
  /^\s*(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:T|\s+)\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?(?:Z|\s*[+-]\d{2}:?\d{2}|\s*(?:UTC|GMT)(?:[+-]\d{1,2}(?::?\d{2})?)?)?)(?=\s|$)\s*/i;
const LOOKS_LIKE_TIME = /^\s*(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{13}|\d{10})(?!\d)/;
const BRACKETED_START = /^\uFEFF?\s*\[\s*(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{13}|\d{10})(?!\d)/;

export function parseChat(text: string, options: { timeZone?: string } = {}): ParseChatResult {
  const positions = new TextPositions(text);
  // `[2026-03-01 12:00:05] Alice: …` opens with a bracket too: that is a text transcript.
  const json = looksLikeJson(text) && !BRACKETED_START.test(text);
  if (json || isChatCsv(text)) {
    const read = json ? readJsonTable(text, positions, CHAT_SPEC) : readCsvTable(text, positions, CHAT_SPEC);
    const zone = chooseZone(read.table.zones.time, options.timeZone);
    if (isEvidenceError(zone)) return fail(zone); // the option is wrong, not the file: no position
    const warnings: EvidenceWarning[] = [];
    const state = { warned: false, warnings };
    const records: ChatRecord[] = [];
    for (const row of read.table.rows) {
      const { time: t, speaker: s, text: m } = row.cells;
      for (const [name, c] of [
        ['time', t],
        ['speaker', s],
      ] as const) {
        if (!c || c.value.trim() === '') {
          const at = c ?? row;
          return fail(errorAt('evidence.parse.missing_value', at.line, at.column, { name }));
        }
      }
      const time = readTime(t!, zone, state);
      if (!time.ok) return time;
      records.push({ seq: records.length + 1, line: row.line, time: time.iso, speaker: s!.value.trim(), text: m?.value ?? '' });
    }
    if (read.error) return fail(read.error);
    return { ok: true, records, source: read.table.source, warnings, timeZone: formatZone(zone.offset), timeZoneSource: zone.source };
  }
  return parseChatText(text, positions, options);
}

/** A CSV chat export: its first line is a header naming time, speaker and text. */
function isChatCsv(text: string): boolean {
  const firstLine = /^\uFEFF?([^\r\n]*)/.exec(text)![1]!;
  if (!firstLine.includes(',')) return false;
  const header = parseCsv(firstLine).records[0];
  if (!header) return false;
  const { columns } = matchColumns(
    header.fields.map((h) => headerName(h).key),
    CHAT_SPEC.aliases,
  );
  return CHAT_SPEC.required.every((f) => columns[f] !== undefined);
}

function parseChatText(text: string, positions: TextPositions, options: { timeZone?: string }): ParseChatResult {
  const zone = chooseZone(undefined, options.timeZone);
  if (isEvidenceError(zone)) return fail(zone);
  const warnings: EvidenceWarning[] = [];
  const state = { warned: false, warnings };
  const records: ChatRecord[] = [];
  let blankLines = 0;
  let lineNo = 0;
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (start < text.length) {
    let end = start;
    while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
    lineNo++;
    const line = text.slice(start, end);
    const lineStart = start;
    start = end + (text[end] === '\r' && text[end + 1] === '\n' ? 2 : 1);

    const column = (k: number) => positions.at(lineStart + k).column;
    let timeText: string | null = null;
    let rest = 0;
    const b = BRACKETED.exec(line);
    const bare = b ? null : BARE.exec(line);
    if (b && LOOKS_LIKE_TIME.test(b[1]!)) {
      timeText = b[1]!;
      rest = b[0].length;
    } else if (bare) {
      timeText = bare[1]!;
      rest = bare[0].length;
    }
    if (timeText === null) {
      if (line.trim() === '') {
        blankLines++;
        continue;
      }
      const previous = records[records.length - 1];
      if (!previous) return fail(errorAt('evidence.chat.no_timestamp', lineNo, column(line.search(/\S/))));
      previous.text += '\n'.repeat(blankLines + 1) + line;
      blankLines = 0;
      continue;
    }
    blankLines = 0;
    const timeColumn = column(line.indexOf(timeText));
    const time = readTime({ value: timeText, line: lineNo, column: timeColumn }, zone, state);
    if (!time.ok) return time;
    const body = line.slice(rest);
    const colon = body.search(/[:：]/);
    const speaker = colon < 0 ? '' : body.slice(0, colon).trim();
    if (colon < 0 || speaker === '' || Array.from(speaker).length > MAX_SPEAKER) {
      return fail(errorAt('evidence.chat.missing_speaker', lineNo, column(rest)));
    }
    records.push({ seq: records.length + 1, line: lineNo, time: time.iso, speaker, text: body.slice(colon + 1).replace(/^[ \t\u3000]/, '') });
  }
  if (records.length === 0) return fail({ messageKey: 'evidence.parse.empty', params: {} });
  return { ok: true, records, source: 'text', warnings, timeZone: formatZone(zone.offset), timeZoneSource: zone.source };
}
