// The data directory: private (0700), held by one process at a time through a lock file.
import fs from 'node:fs';
import path from 'node:path';

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(`The data directory ${dataDir} is in use by another Arbitra process (pid ${pid}). Stop it first, or set ARBITRA_DATA_DIR to another directory.`);
  }
}

export function ensureDataDir(dataDir: string): void {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dataDir, 0o700);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock or throws DataDirLockedError; a lock left by a dead process is taken over. */
export function lockDataDir(dataDir: string): { release(): void } {
  const lockFile = path.join(dataDir, 'arbitra.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(lockFile, 'wx', 0o600);
      fs.writeSync(fd, String(process.pid));
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          try {
            if (fs.readFileSync(lockFile, 'utf8').trim() === String(process.pid)) fs.rmSync(lockFile);
          } catch {
            /* already gone */
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(fs.readFileSync(lockFile, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) throw new DataDirLockedError(dataDir, pid);
      fs.rmSync(lockFile, { force: true });
    }
  }
  throw new Error(`Could not lock ${dataDir}`);
}

/** While a server runs, where its database is, so CLI tools (verify) can reach it. */
export function writeRuntimeInfo(dataDir: string, info: { databaseUrl: string; url: string; pid: number }): void {
  fs.writeFileSync(path.join(dataDir, 'runtime.json'), JSON.stringify(info), { mode: 0o600 });
}

export function readRuntimeInfo(dataDir: string): { databaseUrl: string; url: string; pid: number } | null {
  try {
    const info = JSON.parse(fs.readFileSync(path.join(dataDir, 'runtime.json'), 'utf8'));
    return alive(info.pid) ? info : null;
  } catch {
    return null;
  }
}

export function clearRuntimeInfo(dataDir: string): void {
  fs.rmSync(path.join(dataDir, 'runtime.json'), { force: true });
}
