// One workstation instance per data directory: an exclusive lock file holding the holder's pid.
// A second instance (another process, or a second open in the same one) is refused with a message
// the user can act on; a lock left by a process that no longer runs (a crash, kill -9, power loss)
// is taken over.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { translate } from '../../shared/i18n';

export const LOCK_FILE = 'arbitra.lock';
export const DATA_DIR_IN_USE = 'desktop.data_dir_in_use';

export class DataDirInUseError extends Error {
  readonly messageKey = DATA_DIR_IN_USE;
  readonly params: { pid: number; dataDir: string };
  constructor(
    readonly pid: number,
    readonly dataDir: string,
  ) {
    super(translate('en', DATA_DIR_IN_USE, { pid, dataDir }));
    this.name = 'DataDirInUseError';
    this.params = { pid, dataDir };
  }
}

export interface DataDirLock {
  readonly file: string;
  readonly dataDir: string;
  /** Removes the lock file if it is still ours. Safe to call twice. */
  release(): void;
}

interface Holder {
  pid: number;
  hostname: string;
  token: string;
  startedAt: string;
  /** The process's start time as the OS counts it (Linux), so a reused pid is not mistaken for the holder. */
  procStart: string | null;
}

/** Start time of a process from /proc (clock ticks since boot), or null where there is no /proc. */
function procStartOf(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22, counted after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

function isAlive(holder: Holder): boolean {
  // On another machine (a shared folder) we cannot tell: assume it runs.
  if (holder.hostname !== os.hostname()) return true;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    // EPERM: it exists, under another user.
  }
  const now = procStartOf(holder.pid);
  return !(holder.procStart && now && holder.procStart !== now);
}

function parseHolder(text: string): Holder | null {
  try {
    const h = JSON.parse(text) as Partial<Holder>;
    if (typeof h.pid === 'number' && Number.isInteger(h.pid) && h.pid > 0 && typeof h.token === 'string') {
      return { pid: h.pid, hostname: String(h.hostname ?? os.hostname()), token: h.token, startedAt: String(h.startedAt ?? ''), procStart: h.procStart ?? null };
    }
  } catch {
    // fall through
  }
  // A bare pid (written by hand, or by an older version) is understood too.
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 0 ? { pid, hostname: os.hostname(), token: '', startedAt: '', procStart: null } : null;
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** A lock file still being written by its creator (between create and write) looks empty for an instant. */
const UNREADABLE_GRACE_MS = 2_000;

/**
 * Takes the data directory for this process. Throws DataDirInUseError (message key
 * 'desktop.data_dir_in_use', params { pid, dataDir }) while another live process — or this one —
 * holds it.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  const dir = path.resolve(dataDir);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, LOCK_FILE);
  const me: Holder = { pid: process.pid, hostname: os.hostname(), token: randomUUID(), startedAt: new Date().toISOString(), procStart: procStartOf(process.pid) };
  const deadline = Date.now() + UNREADABLE_GRACE_MS + 1_000;

  while (Date.now() < deadline) {
    try {
      const fd = fs.openSync(file, 'wx', 0o600);
      try {
        fs.writeSync(fd, JSON.stringify(me));
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      return heldLock(dir, file, me);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }

    const text = readText(file);
    if (text === null) continue; // released meanwhile: try again
    const holder = parseHolder(text);
    if (holder && isAlive(holder)) throw new DataDirInUseError(holder.pid, dir);
    if (!holder) {
      // Unreadable: being written right now, or left half-written by a crash long ago.
      const age = Date.now() - (fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0);
      if (age < UNREADABLE_GRACE_MS) {
        sleepSync(50);
        continue;
      }
    }
    takeOver(file, text, dir);
  }
  throw new DataDirInUseError(0, dir);
}

/**
 * Removes a stale lock: moved aside first (only one contender can move a given file), then checked
 * to be the stale one we judged — if a live contender's fresh lock was moved instead, it is put back.
 */
function takeOver(file: string, staleText: string, dir: string): void {
  const aside = `${file}.stale-${process.pid}-${randomUUID()}`;
  try {
    fs.renameSync(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = readText(aside);
  if (moved === staleText) {
    fs.rmSync(aside, { force: true });
    return;
  }
  try {
    fs.linkSync(aside, file);
  } catch {
    // Someone else holds it now anyway.
  } finally {
    fs.rmSync(aside, { force: true });
  }
  const holder = moved ? parseHolder(moved) : null;
  throw new DataDirInUseError(holder?.pid ?? 0, dir);
}

function heldLock(dir: string, file: string, me: Holder): DataDirLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.removeListener('exit', release);
    const text = readText(file);
    if (text !== null && parseHolder(text)?.token === me.token) fs.rmSync(file, { force: true });
  };
  // A normal exit frees the directory; a crash leaves a stale lock the next start takes over.
  process.once('exit', release);
  return { file, dataDir: dir, release };
}
