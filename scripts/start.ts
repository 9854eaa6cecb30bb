// `npm start`: the server (its own output kept) and one workstation in browser mode against it, then
// the addresses to open (the workstation's and the arbitration portal's, built first when missing
// or stale) and the demo credentials of the roles that work on each. Ctrl-C
// stops both: the workstation first (engine closed, journal safe), then the server and its database.
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dataDirSetting } from '../shared/data-dir-setting';
import { announce, browserShellSettings, startBrowserShell, UsageError, type BrowserShell } from '../desktop/main/shell/browser';
import { openWorkstation } from '../desktop/main/workstation';
import { ensurePortalBuilt } from './lib/portal-build';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WORKSTATION_ROLES = ['specialist', 'legal', 'supervisor'];
const say = (line: string) => process.stdout.write(`${line}\n`);

/** The workstation roles' sign-in lines from the server's demo-credentials.txt. */
export function workstationCredentials(text: string): { role: string; name: string; email: string; password: string }[] {
  const lines = text.split('\n');
  const found: { role: string; name: string; email: string; password: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^ {2}(\S+)\s+(.+)$/.exec(lines[i]!);
    if (!m || !WORKSTATION_ROLES.includes(m[1]!)) continue;
    const email = /email:\s+(\S+)/.exec(lines[i + 1] ?? '')?.[1];
    const password = /password:\s+(\S+)/.exec(lines[i + 2] ?? '')?.[1];
    if (email && password) found.push({ role: m[1]!, name: m[2]!.trim(), email, password });
  }
  return found;
}

const PORTAL_ROLES = ['arbitrator', 'mediator'];

/** The portal roles' sign-in lines from the server's demo-credentials.txt, with their TOTP secrets. */
export function portalCredentials(text: string): { role: string; name: string; email: string; password: string; totpSecret: string | null }[] {
  const lines = text.split('\n');
  const found: { role: string; name: string; email: string; password: string; totpSecret: string | null }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^ {2}(\S+)\s+(.+)$/.exec(lines[i]!);
    if (!m || !PORTAL_ROLES.includes(m[1]!)) continue;
    const email = /email:\s+(\S+)/.exec(lines[i + 1] ?? '')?.[1];
    const password = /password:\s+(\S+)/.exec(lines[i + 2] ?? '')?.[1];
    const totpSecret = /TOTP secret:\s+(\S+)/.exec(lines[i + 3] ?? '')?.[1] ?? null;
    if (email && password) found.push({ role: m[1]!, name: m[2]!.trim(), email, password, totpSecret });
  }
  return found;
}

async function main(): Promise<void> {
  const dataDir = path.resolve(dataDirSetting(process.env));
  // The portal's screens before the server starts (seconds; only when missing or older than their
  // sources). Without them the server still runs, and /portal/ says how to build them.
  await ensurePortalBuilt({ log: say }).catch((error: unknown) => process.stderr.write(`Arbitra portal: ${error instanceof Error ? error.message : String(error)}\n`));
  const server = spawn(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), path.join(ROOT, 'server/src/main.ts')], {
    cwd: process.cwd(),
    env: process.env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let shell: BrowserShell | null = null;
  let stopping = false;
  const serverExited = new Promise<number>((resolve) => server.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));

  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    if (shell) {
      say(`Arbitra workstation: ${signal} received, stopping`);
      await shell.close().then(
        () => say('Arbitra workstation: stopped'),
        (error: unknown) => process.stderr.write(`Arbitra workstation: stopping failed: ${String(error)}\n`),
      );
    }
    if (server.exitCode === null) server.kill(signal);
    process.exit(await serverExited);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  // The server's output passes through; its "listening" line says where it is.
  const serverUrl = await new Promise<string | null>((resolve) => {
    let buffered = '';
    server.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      buffered = (buffered + chunk.toString('utf8')).slice(-4096);
      const m = /Arbitra: server listening on (\S+)/.exec(buffered);
      if (m) resolve(m[1]!);
    });
    void serverExited.then(() => resolve(null));
  });
  if (!serverUrl) {
    if (!stopping) process.exit((await serverExited) || 1);
    return;
  }

  try {
    const settings = browserShellSettings(['--server', serverUrl], process.env);
    shell = await startBrowserShell({ settings, openWorkstation, log: say });
  } catch (error) {
    process.stderr.write(`Arbitra workstation: ${error instanceof UsageError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    await stop('SIGTERM');
    return;
  }
  if (stopping) return void (await shell.close());

  const credentialsFile = path.join(dataDir, 'demo-credentials.txt');
  const credentials = fs.existsSync(credentialsFile) ? workstationCredentials(fs.readFileSync(credentialsFile, 'utf8')) : [];
  say('');
  say('──────────────────────────────────────────────────────────────────────────────');
  say(`Arbitra is running. Server: ${serverUrl}`);
  for (const line of announce(shell)) say(line);
  if (credentials.length > 0) {
    say(`Sign in on the workstation as (all demo users are in ${credentialsFile}):`);
    const width = Math.max(...credentials.map((c) => c.email.length));
    const order = (role: string) => WORKSTATION_ROLES.indexOf(role);
    for (const c of [...credentials].sort((a, b) => order(a.role) - order(b.role)))
      say(`  ${c.role.padEnd(11)} ${c.email.padEnd(width)}  password ${c.password}   (${c.name})`);
    say('A workstation belongs to the first person who signs in on it. For another person at the same time, start another one:');
    say(`  npm run workstation -- --server ${serverUrl} --port 5172 --dir ${path.join(dataDir, 'workstation-2')}`);
  } else say(`No demo credentials in ${credentialsFile} (ARBITRA_DEMO=0, or the file was deleted).`);
  say(`Arbitration portal (arbitrators and mediators): ${serverUrl}/portal/`);
  const neutrals = fs.existsSync(credentialsFile) ? portalCredentials(fs.readFileSync(credentialsFile, 'utf8')) : [];
  if (neutrals.length > 0) {
    say('Sign in on the portal as (the 6-digit code comes from an authenticator app given the TOTP secret):');
    const width = Math.max(...neutrals.map((c) => c.email.length));
    for (const c of neutrals) say(`  ${c.role.padEnd(11)} ${c.email.padEnd(width)}  password ${c.password}  TOTP secret ${c.totpSecret ?? '-'}   (${c.name})`);
  }
  say('Ctrl-C stops the workstation and the server.');
  say('──────────────────────────────────────────────────────────────────────────────');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) void main();
