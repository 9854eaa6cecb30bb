// The journal makes an acknowledged write durable: fsync'd before append returns, readable after
// a crash mid-write, and compacted without ever reusing a seq number. It also keeps the server's
// refusals, with their reasons, until the user dismisses them.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Journal, journalPath, openJournal, type JournalEntry, type JournalRejection } from '../../desktop/main/journal';
import { tempDir } from './support';

let dir: string;
beforeEach(() => {
  dir = tempDir('arbitra-journal-');
});
afterEach(() => {
  vi.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

const CASE = '00000000-0000-4000-8000-00000000ca5a';
const entry = (seq: number, body = `note ${seq}`): JournalEntry => ({
  seq,
  name: 'addNote',
  args: { caseId: CASE, id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`, body },
  createdAt: new Date(Date.UTC(2026, 10, 21, 10, 0, seq)).toISOString(),
});

const refusal = (seq: number): JournalRejection => ({
  seq,
  name: 'addNote',
  args: entry(seq).args,
  reason: { messageKey: 'error.case_moved', field: 'expectedStatus', params: { status: 'awaiting_material' } },
  at: new Date(Date.UTC(2026, 10, 21, 11, 0, seq)).toISOString(),
});

describe('journal', () => {
  it('writes and fsyncs each mutation before append returns', () => {
    const j = openJournal(dir);
    const fsync = vi.spyOn(fs, 'fsyncSync');
    const write = vi.spyOn(fs, 'writeSync');
    j.append(entry(1, '客户称账户被盗'));
    // The line is written, then flushed to disk, before the call returns.
    expect(write).toHaveBeenCalled();
    expect(fsync).toHaveBeenCalledTimes(1);
    expect(write.mock.invocationCallOrder[0]!).toBeLessThan(fsync.mock.invocationCallOrder[0]!);
    const text = fs.readFileSync(journalPath(dir), 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(JSON.parse(text)).toMatchObject({ t: 'm', seq: 1, name: 'addNote', args: { body: '客户称账户被盗' } });
    j.close();
  });

  it('gives back pending mutations in seq order, without those the server settled', () => {
    const j = openJournal(dir);
    for (const s of [1, 2, 3, 4]) j.append(entry(s));
    j.markDone(2, 'applied');
    j.markDone([1, 4], 'rejected');
    expect(j.pending().map((e) => e.seq)).toEqual([3]);
    expect(j.pending()[0]).toEqual(entry(3));
    j.close();
    // And so does a new process reading the same file.
    const again = openJournal(dir);
    expect(again.pending().map((e) => e.seq)).toEqual([3]);
    expect(again.nextSeq()).toBe(5);
    again.close();
  });

  it('refuses a seq that is not above every seq used', () => {
    const j = openJournal(dir);
    j.append(entry(1));
    expect(() => j.append(entry(1))).toThrow(RangeError);
    expect(() => j.append(entry(0))).toThrow(RangeError);
    j.append(entry(5));
    expect(j.nextSeq()).toBe(6);
    j.close();
  });

  it('tolerates a torn last line and starts the next append on a fresh line', () => {
    const j = openJournal(dir);
    j.append(entry(1));
    j.append(entry(2));
    j.close();
    // A crash in the middle of writing seq 3 (a partial UTF-8 character included).
    const partial = Buffer.from(JSON.stringify({ t: 'm', ...entry(3, '被盗') }), 'utf8');
    fs.appendFileSync(journalPath(dir), partial.subarray(0, partial.length - 9));
    const reopened = openJournal(dir);
    expect(reopened.pending().map((e) => e.seq)).toEqual([1, 2]);
    expect(reopened.nextSeq()).toBe(3);
    reopened.append(entry(3));
    expect(reopened.pending().map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(reopened.damagedLines).toBe(0);
    reopened.close();
    for (const line of fs.readFileSync(journalPath(dir), 'utf8').trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
  });

  it('reads past a torn tail even before it is repaired', () => {
    const j = openJournal(dir);
    j.append(entry(1));
    fs.appendFileSync(journalPath(dir), '{"t":"m","seq":2,"na');
    expect(j.pending().map((e) => e.seq)).toEqual([1]);
    j.close();
  });

  it('survives kill -9 right after append returns', () => {
    const script = path.join(dir, 'writer.mts');
    fs.writeFileSync(
      script,
      `const { openJournal } = await import(${JSON.stringify(path.resolve(__dirname, '../../desktop/main/journal.ts'))});
       const j = openJournal(${JSON.stringify(dir)});
       for (let seq = 1; seq <= 20; seq++) j.append({ seq, name: 'addNote', args: { body: 'n' + seq }, createdAt: new Date().toISOString() });
       process.kill(process.pid, 'SIGKILL');`,
    );
    const r = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: path.resolve(__dirname, '../..'), encoding: 'utf8' });
    expect(r.signal, r.stderr).toBe('SIGKILL');
    const j = openJournal(dir);
    expect(j.pending().map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    j.close();
  });

  it('compacts to the pending mutations and keeps seq numbers going up', () => {
    const j = openJournal(dir);
    for (let s = 1; s <= 50; s++) j.append(entry(s));
    j.markDone(Array.from({ length: 49 }, (_, i) => i + 1), 'applied');
    const before = j.size();
    j.compact();
    expect(j.size()).toBeLessThan(before / 10);
    expect(j.pending().map((e) => e.seq)).toEqual([50]);
    j.markDone(50, 'applied');
    j.compact();
    expect(j.pending()).toEqual([]);
    expect(j.nextSeq()).toBe(51);
    // Appends go to the compacted file.
    j.append(entry(51));
    j.close();
    const again = openJournal(dir);
    expect(again.nextSeq()).toBe(52);
    expect(again.pending().map((e) => e.seq)).toEqual([51]);
    again.close();
    expect(fs.existsSync(`${journalPath(dir)}.tmp`)).toBe(false);
  });

  it('recovers from a crash during compaction that left the temp file', () => {
    const j = openJournal(dir);
    for (let s = 1; s <= 5; s++) j.append(entry(s));
    j.markDone([1, 2], 'applied');
    j.close();
    // The crash came after part of the temp file was written, before the rename.
    fs.writeFileSync(`${journalPath(dir)}.tmp`, '{"t":"h","maxSeq":5}\n{"t":"m","seq":3,"na');
    const again = openJournal(dir);
    expect(fs.existsSync(`${journalPath(dir)}.tmp`)).toBe(false);
    expect(again.pending().map((e) => e.seq)).toEqual([3, 4, 5]);
    expect(again.nextSeq()).toBe(6);
    again.compact();
    expect(again.pending().map((e) => e.seq)).toEqual([3, 4, 5]);
    again.close();
  });

  it('keeps a refusal with its reason until the user dismisses it, across reopens and compactions', () => {
    const j = openJournal(dir);
    for (const s of [1, 2, 3, 4]) j.append(entry(s));
    j.markDone(1, 'applied');
    j.markRejected(refusal(2));
    j.markRejected([refusal(3)]);
    // Settled: no longer pending, and shown with what the server said.
    expect(j.pending().map((e) => e.seq)).toEqual([4]);
    expect(j.rejections()).toEqual([
      { ...refusal(2), dismissedAt: null },
      { ...refusal(3), dismissedAt: null },
    ]);
    j.close();

    const again = openJournal(dir);
    expect(again.rejections().map((r) => [r.seq, r.dismissedAt])).toEqual([
      [2, null],
      [3, null],
    ]);
    again.markDismissed(2, '2026-11-21T12:00:00.000Z');
    again.close();
    const third = openJournal(dir);
    expect(third.rejections().map((r) => [r.seq, r.dismissedAt])).toEqual([
      [2, '2026-11-21T12:00:00.000Z'],
      [3, null],
    ]);
    // A compaction keeps the refusal not dismissed yet (its mutation is settled all the same) and forgets the other.
    third.compact();
    expect(third.rejections()).toEqual([{ ...refusal(3), dismissedAt: null }]);
    expect(third.pending().map((e) => e.seq)).toEqual([4]);
    third.close();
    const fourth = openJournal(dir);
    expect(fourth.rejections()).toEqual([{ ...refusal(3), dismissedAt: null }]);
    expect(fourth.pending().map((e) => e.seq)).toEqual([4]);
    expect(fourth.nextSeq()).toBe(5);
    fourth.markDismissed(3, '2026-11-21T12:05:00.000Z');
    fourth.compact();
    expect(fourth.rejections()).toEqual([]);
    fourth.close();
  });

  it('has no refusal to show for a rejected outcome recorded without its reason', () => {
    const j = openJournal(dir);
    j.append(entry(1));
    j.append(entry(2));
    // markDone, or a journal written before refusals kept their reason.
    j.markDone(1, 'rejected');
    fs.appendFileSync(journalPath(dir), JSON.stringify({ t: 'o', seq: 2, outcome: 'rejected', reason: { messageKey: 'error.case_moved' } }) + '\n');
    expect(j.pending()).toEqual([]);
    expect(j.rejections()).toEqual([]);
    expect(j.damagedLines).toBe(0);
    j.close();
  });

  it('is deleted with the rest of the data when the device is revoked', () => {
    const j = Journal.open(journalPath(dir));
    j.append(entry(1));
    j.destroy();
    expect(fs.existsSync(journalPath(dir))).toBe(false);
    expect(() => j.append(entry(2))).toThrow(/closed/);
  });
});
