// Where Arbitra keeps its data, as configured: the one setting the server (server/src/config.ts) and
// the workstation's browser shell read the same way. Pure: callers resolve it against their working
// directory (path.resolve), so a relative setting means the same folder for both.

/** ARBITRA_DATA_DIR when unset. */
export const DEFAULT_DATA_DIR = './.data';
/** The server's port when ARBITRA_PORT is unset. */
export const DEFAULT_SERVER_PORT = 5170;
/** The browser-mode workstation's loopback port when ARBITRA_WORKSTATION_PORT is unset. */
export const DEFAULT_WORKSTATION_PORT = 5171;
/** The workstation's own folder under the data directory when ARBITRA_WORKSTATION_DIR is unset. */
export const WORKSTATION_SUBDIR = 'workstation';

export type Env = Record<string, string | undefined>;

/** The data directory as configured (relative settings are relative to the working directory). */
export function dataDirSetting(env: Env): string {
  return env.ARBITRA_DATA_DIR ?? DEFAULT_DATA_DIR;
}
