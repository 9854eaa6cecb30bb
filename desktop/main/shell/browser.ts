// Browser mode: the workstation without the Electron binary. Opens the engine over its own data
// directory, makes sure the renderer is built, and serves both on loopback (desktop/main/contract/http.ts)
// behind a per-launch key. `npm run workstation -- --server http://127.0.0.1:5170`; `npm start` runs
// one of these beside the server.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SERVER_PORT, DEFAULT_WORKSTATION_PORT, WORKSTATION_SUBDIR, dataDirSetting, type Env } from '../../../shared/data-dir-setting';
import { FileKeyProvider } from '../key-provider';
import { DataDirInUseError } from '../lock';
import { startContractServer, type ContractServer } from '../contract/http';
import { ensureRendererBuilt } from './renderer-build';
import type { OpenWorkstation, WorkstationEngine } from './engine';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface BrowserShellSettings {
  serverUrl: string;
  dataDir: string;
  port: number;
}

export class UsageError extends Error {}

/** Settings from the command line (--server, --port, --dir) and the environment, in that order. */
export function browserShellSettings(argv: string[], env: Env, cwd = process.cwd()): BrowserShellSettings {
  const { values } = parseArgs({
    args: argv,
    options: { server: { type: 'string' }, port: { type: 'string' }, dir: { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  const serverUrl = values.server ?? env.ARBITRA_SERVER_URL ?? `http://127.0.0.1:${env.ARBITRA_PORT ?? DEFAULT_SERVER_PORT}`;
  let parsed: URL;
  try {
    parsed = new URL(serverUrl);
  } catch {
    throw new UsageError(`--server must be a URL such as http://127.0.0.1:${DEFAULT_SERVER_PORT} (got ${serverUrl})`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new UsageError(`--server must be an http:// or https:// URL (got ${serverUrl})`);
  const portText = values.port ?? env.ARBITRA_WORKSTATION_PORT ?? String(DEFAULT_WORKSTATION_PORT);
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`The workstation port must be a number from 0 to 65535 (got ${portText})`);
  const dataDir = path.resolve(cwd, values.dir ?? env.ARBITRA_WORKSTATION_DIR ?? path.join(dataDirSetting(env), WORKSTATION_SUBDIR));
  return { serverUrl: serverUrl.replace(/\/+$/, ''), dataDir, port };
}

export interface BrowserShell {
  engine: WorkstationEngine;
  server: ContractServer;
  settings: BrowserShellSettings;
  /** Stops serving, then closes the engine (journal flushed, lock released). Safe to call twice. */
  close(): Promise<void>;
}

export interface StartBrowserShellOptions {
  settings: BrowserShellSettings;
  openWorkstation: OpenWorkstation;
  log?: (line: string) => void;
  /** The renderer to serve: built on demand into out/renderer when not given. */
  rendererDir?: string | null;
}

export async function startBrowserShell(options: StartBrowserShellOptions): Promise<BrowserShell> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const { settings } = options;
  const rendererDir =
    options.rendererDir !== undefined ? options.rendererDir : await ensureRendererBuilt({ projectRoot: PROJECT_ROOT, outDir: path.join(PROJECT_ROOT, 'out/renderer'), log });
  const engine = await options.openWorkstation({ dataDir: settings.dataDir, serverUrl: settings.serverUrl, keys: new FileKeyProvider(settings.dataDir), shell: 'browser' });
  let server: ContractServer;
  try {
    server = await startContractServer({ port: engine, rendererDir, listenPort: settings.port });
  } catch (error) {
    await engine.close().catch(() => undefined);
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new UsageError(`Port ${settings.port} on 127.0.0.1 is in use (another workstation?). Stop it, or set ARBITRA_WORKSTATION_PORT / --port to another port.`);
    throw error;
  }
  let closing: Promise<void> | null = null;
  return {
    engine,
    server,
    settings,
    close() {
      closing ??= (async () => {
        await server.close();
        await engine.close();
      })();
      return closing;
    },
  };
}

/** The lines that tell the person where the workstation is. */
export function announce(shell: BrowserShell): string[] {
  return [
    `Arbitra workstation: engine ready (data in ${shell.settings.dataDir}, server ${shell.settings.serverUrl})`,
    `Arbitra workstation: open ${shell.server.launchUrl} in a browser (the key in this address is this launch's; keep it private)`,
  ];
}

/** `npm run workstation`: runs until SIGINT/SIGTERM, then closes cleanly. */
export async function runBrowserShellCli(argv: string[], openWorkstation: OpenWorkstation): Promise<void> {
  const say = (line: string) => process.stdout.write(`${line}\n`);
  let shell: BrowserShell;
  try {
    const settings = browserShellSettings(argv, process.env);
    shell = await startBrowserShell({ settings, openWorkstation, log: say });
  } catch (error) {
    const known = error instanceof UsageError || error instanceof DataDirInUseError || (error instanceof Error && error.name === 'TypeError' && 'code' in error);
    process.stderr.write(`Arbitra workstation: ${known ? (error as Error).message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  }
  for (const line of announce(shell)) say(line);
  const stop = (signal: string) => {
    say(`Arbitra workstation: ${signal} received, stopping`);
    shell.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`Arbitra workstation: stopping failed: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}
