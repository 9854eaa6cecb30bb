// One workstation per data directory: a second one is told clearly (in both languages) that the
// folder is in use; a lock left behind by a process that died is taken over.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataDirInUseError, LOCK_FILE, lockDataDir } from '../../desktop/main/lock';
import { translate } from '../../shared/i18n';
import { tempDir } from './support';

let dir: string;
beforeEach(() => {
  dir = tempDir('arbitra-lock-');
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The pid of a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('data directory lock', () => {
  it('refuses a second instance in the same process, with a translatable message', () => {
    const lock = lockDataDir(dir);
    const error = (() => {
      try {
        lockDataDir(dir);
      } catch (e) {
        return e;
      }
    })() as DataDirInUseError;
    expect(error).toBeInstanceOf(DataDirInUseError);
    expect(error.messageKey).toBe('desktop.data_dir_in_use');
    expect(error.params).toEqual({ pid: process.pid, dataDir: path.resolve(dir) });
    expect(error.message).toContain(String(process.pid));
    expect(error.message).toContain(path.resolve(dir));
    expect(translate('zh-CN', error.messageKey, error.params)).toMatch(new RegExp(`已在使用.*${process.pid}`));
    lock.release();
    // Released: the directory can be taken again.
    lockDataDir(dir).release();
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  });

  it('refuses while another live process holds it', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    try {
      const holder = { pid: child.pid, hostname: os.hostname(), token: 'other', startedAt: new Date().toISOString(), procStart: null };
      fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify(holder));
      expect(() => lockDataDir(dir)).toThrow(DataDirInUseError);
      expect(JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8')).token).toBe('other');
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('takes over a stale lock left by a process that died', () => {
    const pid = deadPid();
    fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid, hostname: os.hostname(), token: 'dead', startedAt: '2026-01-01T00:00:00Z', procStart: null }));
    const lock = lockDataDir(dir);
    const held = JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8'));
    expect(held.pid).toBe(process.pid);
    expect(fs.readdirSync(dir).filter((n) => n.includes('.stale-'))).toEqual([]);
    lock.release();
  });

  it('takes over a lock holding a bare dead pid, or a reused pid that is not the holder', () => {
    fs.writeFileSync(path.join(dir, LOCK_FILE), `${deadPid()}\n`);
    lockDataDir(dir).release();
    if (fs.existsSync(`/proc/${process.pid}/stat`)) {
      // Our own pid, but a different process start time: the pid was reused, the holder is gone.
      fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid: process.pid, hostname: os.hostname(), token: 'old', startedAt: '', procStart: '1' }));
      lockDataDir(dir).release();
    }
  });

  it('takes over an unreadable lock file old enough not to be in the middle of being written', () => {
    const file = path.join(dir, LOCK_FILE);
    fs.writeFileSync(file, '');
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(file, old, old);
    lockDataDir(dir).release();
  });

  it('does not remove a lock that someone else holds by the time ours is released', () => {
    const mine = lockDataDir(dir);
    // Someone judged ours stale and took the directory over.
    fs.rmSync(path.join(dir, LOCK_FILE));
    const theirs = lockDataDir(dir);
    mine.release();
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(true);
    theirs.release();
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  });

  it('frees the directory of a holder killed with kill -9 for the next start', async () => {
    const script = path.join(dir, 'holder.mts');
    fs.writeFileSync(
      script,
      `const { lockDataDir } = await import(${JSON.stringify(path.resolve(__dirname, '../../desktop/main/lock.ts'))});
       lockDataDir(${JSON.stringify(dir)});
       process.stdout.write('locked');
       setInterval(() => {}, 1000);`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: path.resolve(__dirname, '../..') });
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => (d.toString().includes('locked') ? resolve() : undefined));
        child.on('exit', () => reject(new Error('holder exited early')));
      });
      expect(() => lockDataDir(dir)).toThrow(expect.objectContaining({ params: { pid: child.pid, dataDir: path.resolve(dir) } }));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const lock = lockDataDir(dir);
      expect(JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
      lock.release();
    } finally {
      child.kill('SIGKILL');
    }
  });
});
