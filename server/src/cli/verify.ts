// `npm run verify`: walks the audit chain from the first entry and reports the first broken link.
// Exit 0 when the chain holds, 1 when it is broken, 2 when it could not be checked.
import { loadConfig } from '../config';
import { openDatabase } from '../db/open';
import { verifyAuditChain } from '../audit/audit.service';

async function main(): Promise<number> {
  const config = loadConfig();
  const database = await openDatabase(config, { attachToRunning: true });
  try {
    const report = await verifyAuditChain(database.db);
    if (report.ok) {
      process.stdout.write(`audit chain OK: ${report.entries} entries, last hash ${report.lastHash}\n`);
      return 0;
    }
    process.stdout.write(
      `audit chain BROKEN at entry ${report.brokenAt} (${report.problem}): expected ${report.expected}, found ${report.found}; ${report.entries - 1} entries before it verified\n`,
    );
    return 1;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`verify could not run: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
