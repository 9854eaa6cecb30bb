// `npm run workstation -- --server http://127.0.0.1:5170 [--port 5171] [--dir <data dir>]`: the
// workstation in browser mode (see browser.ts).
import { openWorkstation } from '../workstation';
import { runBrowserShellCli } from './browser';

void runBrowserShellCli(process.argv.slice(2), openWorkstation);
