// `npm run verify`: walks the audit chain from the first entry and reports the first broken link,
// holds the chain against the signed checkpoints kept with the blobs (a chain shorter than a
// checkpoint was truncated; a checkpointed entry with another hash was rewritten), then re-hashes
// every stored evidence file and reports mismatches and missing files.
// Exit 0 when everything holds, 1 when something is broken, 2 when it could not be checked.
import { loadConfig } from '../config';
import { openDatabase } from '../db/open';
import { verifyAgainstCheckpoints, verifyAuditChain, type CheckpointProblem } from '../audit/audit.service';
import { checkpointStoreFromConfig } from '../audit/checkpoint-store';
import { localCheckpointKeyId } from '../audit/checkpoint';
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
    const store = checkpointStoreFromConfig(config);
    try {
      const cps = await verifyAgainstCheckpoints(database.db, await store.list(), localCheckpointKeyId(config.dataDir));
      for (const p of cps.problems) {
        broken = true;
        process.stdout.write(`${describeCheckpointProblem(p)}\n`);
      }
      if (cps.latest === null && cps.problems.length === 0)
        process.stdout.write(`audit checkpoints: none in ${store.location} yet (the server writes them while it runs and at shutdown); truncation of the newest entries cannot be checked\n`);
      else if (cps.latest)
        process.stdout.write(
          `audit checkpoints ${cps.ok ? 'OK' : 'BROKEN'}: ${cps.checkpoints} in ${store.location}, the newest at entry ${cps.latest.seq} (${cps.latest.at}, key ${cps.latest.keyId}); the chain ends at entry ${cps.headSeq}\n`,
        );
      if (cps.otherKeys.length) process.stdout.write(`audit checkpoints signed by keys other than this data directory's: ${cps.otherKeys.join(', ')}\n`);
    } finally {
      store.destroy?.();
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

function describeCheckpointProblem(p: CheckpointProblem): string {
  switch (p.problem) {
    case 'truncated': {
      const missing = BigInt(p.checkpoint.seq) - BigInt(p.headSeq);
      return `audit chain TRUNCATED: the checkpoint of ${p.checkpoint.at} (key ${p.checkpoint.keyId}) records entry ${p.checkpoint.seq} with hash ${p.checkpoint.hash}, but the database's chain ends at entry ${p.headSeq}: at least ${missing} newest entries were deleted`;
    }
    case 'hash_mismatch':
      return `audit chain REWRITTEN: entry ${p.checkpoint.seq} has hash ${p.found}, but the checkpoint of ${p.checkpoint.at} (key ${p.checkpoint.keyId}) records ${p.checkpoint.hash}`;
    case 'entry_missing':
      return `audit chain BROKEN: entry ${p.checkpoint.seq}, recorded by the checkpoint of ${p.checkpoint.at}, is missing`;
    case 'bad_signature':
      return `audit checkpoint ${p.name} has an invalid signature (key ${p.checkpoint.keyId}): it was altered or forged`;
    case 'unreadable':
      return `audit checkpoint ${p.name} cannot be read: ${p.reason}`;
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`verify could not run: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
