// `npm run verify`: walks the audit chain from the first entry and reports the first broken link,
// then re-hashes every stored evidence file and reports mismatches and missing files.
// Exit 0 when everything holds, 1 when something is broken, 2 when it could not be checked.
import { loadConfig } from '../config';
import { openDatabase } from '../db/open';
import { verifyAuditChain } from '../audit/audit.service';
import { verifyBlobs } from '../evidence/verify-blobs';
import { blobStoreFromConfig } from '../evidence/store-from-config';

async function main(): Promise<number> {
  const config = loadConfig();
  const database = await openDatabase(config, { attachToRunning: true });
  let broken = false;
  try {
    const report = await verifyAuditChain(database.db);
    if (report.ok) process.stdout.write(`audit chain OK: ${report.entries} entries, last hash ${report.lastHash}\n`);
    else {
      broken = true;
      process.stdout.write(
        `audit chain BROKEN at entry ${report.brokenAt} (${report.problem}): expected ${report.expected}, found ${report.found}; ${report.entries - 1} entries before it verified\n`,
      );
    }
    const blobs = await verifyBlobs(database.db, blobStoreFromConfig(config));
    for (const p of blobs.problems) {
      broken = true;
      const where = p.cases.length ? ` (cited by ${p.cases.join(', ')})` : '';
      process.stdout.write(`evidence file ${p.sha256} ${p.problem === 'missing' ? 'MISSING' : `CHANGED (${p.problem}, found ${p.found})`}${where}\n`);
    }
    process.stdout.write(`evidence files: ${blobs.checked} checked, ${blobs.problems.length} with problems\n`);
    return broken ? 1 : 0;
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
