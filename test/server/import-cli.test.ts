// The import CLI as a user runs it: a child process posting a CSV or JSON batch to a real server.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import { createIntakeKey } from '../../server/src/intake/intake-keys.repository';
import { postComplaint, rowCounts, validComplaint } from '../support/intake';

const ROOT = path.resolve(__dirname, '../..');
let s: TestServer;
let key: { id: string; key: string };
let dir: string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function runCli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      'npx',
      ['tsx', 'server/src/cli/import-complaints.ts', ...args],
      { cwd: ROOT, env: { ...process.env, ARBITRA_LANG: '', ARBITRA_INTAKE_KEY: '', ARBITRA_URL: '', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr: stderr.split('\n').filter((l) => !l.startsWith('npm warn')).join('\n') });
      },
    );
  });
}

const write = (name: string, content: string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
};

const HEADER =
  'externalRef,channel,category,subcategory,description,occurredAt,urgent,complainant.exchangeUid,complainant.name,complainant.email,complainant.phone,complainant.vipLevel,complainant.language,complainant.region,amounts';

beforeAll(async () => {
  s = await startTestServer();
  key = await createIntakeKey(s.t.db, { name: 'Batch import', defaultTeamId: s.teamId });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arbitra-import-'));
  // A case that already exists before the import: the batch repeats its reference.
  const existing = await postComplaint(s.url, key.key, validComplaint({ externalRef: 'CSV-EXISTING' }));
  expect(existing.status).toBe(201);
});
afterAll(async () => {
  await s?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('import-complaints CLI', () => {
  const csv = [
    HEADER,
    // row 1 (line 2): good
    'CSV-1,email,trade,slippage,Filled far from my limit price,2026-11-20T08:00:00Z,false,u-csv-1,Li Lei,lilei@example.com,+86 138 0000 0000,2,zh-CN,CN,BTC:0.5;USDT:1200.25',
    // row 2 (line 3): bad email
    'CSV-2,email,trade,slippage,Bad email,2026-11-20T08:00:00Z,false,u-csv-2,,not-an-email,,,en,,',
    // row 3 (line 4): row 1 again, exactly (a re-sent batch): a duplicate
    'CSV-1,email,trade,slippage,Filled far from my limit price,2026-11-20T08:00:00Z,false,u-csv-1,Li Lei,lilei@example.com,+86 138 0000 0000,2,zh-CN,CN,BTC:0.5;USDT:1200.25',
    // row 4 (lines 5-7): good, a quoted description with a comma, quotes and line breaks; 18 fraction digits
    'CSV-4,ticket,deposit_withdrawal,withdrawal_delayed,"Withdrawal ""stuck"", since Monday.\r\n第二行:提币未到账",2026-11-19T23:30:00+08:00,TRUE,u-csv-4,王小明,,,7,zh-CN,SG,ETH:1.000000000000000001',
    '',
    // row 5 (line 8): bad amount and bad channel
    'CSV-5,fax,trade,slippage,Two problems,2026-11-20T08:00:00Z,false,u-csv-5,,,,,,,BTC:1e5',
    // row 6 (line 9): malformed CSV (text after a closing quote)
    'CSV-6,email,trade,slippage,"quoted"oops,2026-11-20T08:00:00Z,false,u-csv-6,,,,,,,',
    // row 7 (line 10): vipLevel not a number
    'CSV-7,email,service,fees,VIP level in words,2026-11-20T08:00:00Z,false,u-csv-7,,,,five,,,',
    // row 8 (line 11): repeats the reference of a case made before the import with other content: a conflict
    'CSV-EXISTING,email,service,fees,Already there,2026-11-20T08:00:00Z,false,u-csv-8,,,,,,,',
    // row 9 (line 12): amounts without an amount, occurredAt without a time zone
    'CSV-9,email,trade,slippage,Half a pair,2026-11-20T08:00:00,false,u-csv-9,,,,,,,BTC',
  ].join('\r\n');

  it('imports the good rows, reports each bad row by row, line and field, and exits 1', async () => {
    const file = write('batch.csv', `\uFEFF${csv}\r\n`);
    const before = await rowCounts(s.t.db);
    const run = await runCli(['--url', s.url, '--key', key.key, file]);
    expect(run.code, run.stderr).toBe(1);
    const out = run.stdout.trim().split('\n');
    expect(out.at(-1)).toBe('imported 2, duplicates 1, failed 6');
    expect(run.stdout).toMatch(/^row 1 \(line 2\): imported as ARB-\d{4}-\d{6}\.$/m);
    expect(run.stdout).toMatch(/^row 3 \(line 4\): already received as ARB-\d{4}-\d{6} \(duplicate\)\.$/m);
    expect(run.stdout).toMatch(/^row 4 \(line 5\): imported as ARB-/m);
    expect(run.stdout).not.toMatch(/^row 8 /m);
    expect(run.stderr).toMatch(/^row 8 \(line 11\): /m);

    const err = run.stderr;
    expect(err).toContain('row 2 (line 3): complainant.email: Not a valid email address.');
    expect(err).toContain('row 5 (line 8): channel: Not one of the allowed values');
    expect(err).toContain('row 5 (line 8): amounts.0.amount: Write the amount as a plain decimal');
    expect(err).toContain('row 6 (line 9): Line 9, column 36: text after the closing quote of a field.');
    expect(err).toContain('row 7 (line 10): complainant.vipLevel: Wrong type: expected number.');
    expect(err).toContain('row 9 (line 12): amounts.0.amount: This field is required.');
    expect(err).toContain('row 9 (line 12): occurredAt: Not a valid date and time');

    const after = await rowCounts(s.t.db);
    expect(after.cases - before.cases).toBe(2);
    const one = await s.t.db
      .selectFrom('cases')
      .innerJoin('complainants', 'complainants.id', 'cases.complainant_id')
      .select(['cases.id', 'cases.channel', 'cases.category', 'cases.subcategory', 'cases.intake_key_id', 'cases.usd_equivalent', 'complainants.vip_level', 'complainants.region'])
      .where('external_ref', '=', 'CSV-1')
      .execute();
    expect(one).toHaveLength(1);
    expect(one[0]).toMatchObject({ channel: 'email', category: 'trade', subcategory: 'slippage', intake_key_id: key.id, usd_equivalent: '48700.250000000000000000', vip_level: 2, region: 'CN' });
    const four = await s.t.db.selectFrom('cases').select(['id', 'description', 'urgent', 'tier', 'priority']).where('external_ref', '=', 'CSV-4').executeTakeFirstOrThrow();
    expect(four.description).toBe('Withdrawal "stuck", since Monday.\r\n第二行:提币未到账');
    expect(four).toMatchObject({ urgent: true, tier: 'L3', priority: 'urgent' });
    const amount = await s.t.db.selectFrom('case_amounts').select(['asset', 'amount']).where('case_id', '=', four.id).execute();
    expect(amount).toEqual([{ asset: 'ETH', amount: '1.000000000000000001' }]);
    const pii = await s.t.db
      .selectFrom('complainant_pii')
      .innerJoin('complainants', 'complainants.id', 'complainant_pii.complainant_id')
      .select(['complainant_pii.name', 'complainant_pii.email'])
      .where('complainants.exchange_uid', '=', 'u-csv-1')
      .executeTakeFirstOrThrow();
    expect(pii).toEqual({ name: 'Li Lei', email: 'lilei@example.com' });
    // Audited like any intake: one entry per case made, by the key.
    const audits = await s.t.db.selectFrom('audit_log').select(['actor_label']).where('case_id', 'in', [one[0]!.id, four.id]).execute();
    expect(audits).toEqual([{ actor_label: 'intake:Batch import' }, { actor_label: 'intake:Batch import' }]);

    // Running the same file again changes nothing: every good row is now a duplicate.
    const again = await runCli(['--url', s.url, '--key', key.key, file]);
    expect(again.code).toBe(1);
    expect(again.stdout.trim().split('\n').at(-1)).toBe('imported 0, duplicates 3, failed 6');
    expect((await rowCounts(s.t.db)).cases).toBe(after.cases);
  });

  it('reports in Chinese with --lang zh-CN', async () => {
    const file = write('zh.csv', [HEADER, 'ZH-1,email,trade,slippage,坏邮箱,2026-11-20T08:00:00Z,false,u-zh-1,,bad-email,,,,,'].join('\n'));
    const run = await runCli(['--url', s.url, '--key', key.key, '--lang', 'zh-CN', file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('第 1 条（第 2 行）：complainant.email：电子邮箱地址无效。');
    expect(run.stdout.trim().split('\n').at(-1)).toBe('imported 0, duplicates 0, failed 1');
  });

  it('imports a JSON array and exits 0 when every row went in', async () => {
    const file = write('batch.json', JSON.stringify([validComplaint({ externalRef: 'JSON-1' }), validComplaint({ externalRef: 'JSON-2', amounts: [] })]));
    const run = await runCli(['--url', s.url, '--key', key.key, file]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^row 1: imported as ARB-/m);
    expect(run.stdout.trim().split('\n').at(-1)).toBe('imported 2, duplicates 0, failed 0');
    const bad = write('bad.json', JSON.stringify([validComplaint({ externalRef: 'JSON-3' }), { externalRef: 'JSON-4' }, 'not an object']));
    const mixed = await runCli(['--url', s.url, '--key', key.key, bad]);
    expect(mixed.code).toBe(1);
    expect(mixed.stderr).toContain('row 2: channel: This field is required.');
    expect(mixed.stderr).toContain('row 3: (body): Wrong type: expected object.');
    expect(mixed.stdout.trim().split('\n').at(-1)).toBe('imported 1, duplicates 0, failed 2');
  });

  it('imports the CSV and JSON examples of docs/intake.md without a single failure', async () => {
    const doc = fs.readFileSync(path.join(ROOT, 'docs/intake.md'), 'utf8');
    const csvExample = /```csv\n([\s\S]*?)```/.exec(doc)![1]!;
    const jsonExample = /### JSON files[\s\S]*?```json\n([\s\S]*?)```/.exec(doc)![1]!;
    const csvRun = await runCli(['--url', s.url, '--key', key.key, write('doc-example.csv', csvExample)]);
    expect(csvRun.code, csvRun.stderr).toBe(0);
    expect(csvRun.stdout.trim().split('\n').at(-1)).toBe('imported 3, duplicates 0, failed 0');
    const jsonRun = await runCli(['--url', s.url, '--key', key.key, write('doc-example.json', jsonExample)]);
    expect(jsonRun.code, jsonRun.stderr).toBe(0);
    expect(jsonRun.stdout.trim().split('\n').at(-1)).toBe('imported 1, duplicates 0, failed 0');
  });

  it('takes the key and address from the environment too', async () => {
    const file = write('env.json', JSON.stringify([validComplaint({ externalRef: 'ENV-1' })]));
    const run = await runCli([file], { ARBITRA_INTAKE_KEY: key.key, ARBITRA_URL: s.url });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim().split('\n').at(-1)).toBe('imported 1, duplicates 0, failed 0');
  });

  it('exits 2 with a clear message for usage errors, before sending anything', async () => {
    const file = write('usage.csv', `${HEADER}\n`);
    const before = await rowCounts(s.t.db);
    const cases: [string[], RegExp][] = [
      [['--url', s.url, file], /Give the intake key with --key/],
      [['--key', key.key, file], /Give the server address with --url/],
      [['--url', s.url, '--key', key.key], /Name one JSON or CSV file to import/],
      [['--url', s.url, '--key', key.key, path.join(dir, 'missing.csv')], /Cannot read .*missing\.csv: ENOENT/],
      [['--url', 'ftp://example.com', '--key', key.key, file], /Not a usable server address/],
      [['--url', s.url, '--key', key.key, '--colour', file], /Unknown option or missing value: --colour/],
      [['--url', s.url, '--key', key.key, '--lang', 'fr', file], /Unsupported language: fr/],
      [['--url', s.url, '--key', key.key, write('unknown.csv', 'externalRef,chanel\nx,email\n')], /Unknown CSV columns: "chanel"/],
      [['--url', s.url, '--key', key.key, write('noheader.csv', 'T-1,email,trade\n')], /The CSV file has no header row/],
      [['--url', s.url, '--key', key.key, write('object.json', '{"externalRef": "x"}')], /must hold a JSON array/],
      [['--url', s.url, '--key', key.key, write('broken.json', '[{"externalRef": ')], /is not valid JSON/],
      [['--url', s.url, '--key', key.key, write('notes.txt', 'hello')], /Cannot tell whether .*notes\.txt is JSON or CSV/],
      [['--url', s.url, '--key', `arb_000000000000_${'0'.repeat(64)}`, write('one.json', JSON.stringify([validComplaint()]))], /refused the intake key/],
      [['--url', 'http://127.0.0.1:9', '--key', key.key, write('two.json', JSON.stringify([validComplaint()]))], /Cannot reach http:\/\/127\.0\.0\.1:9/],
    ];
    // A few at a time: each is a whole tsx process.
    const runs: Run[] = [];
    for (let i = 0; i < cases.length; i += 4) runs.push(...(await Promise.all(cases.slice(i, i + 4).map(([args]) => runCli(args)))));
    runs.forEach((run, i) => {
      expect(run.code, `${cases[i]![0].join(' ')}\n${run.stderr}`).toBe(2);
      expect(run.stderr).toMatch(cases[i]![1]);
    });
    // Missing arguments also print the usage line.
    expect(runs[0]!.stderr).toContain('Usage: npm run import-complaints --');
    expect(await rowCounts(s.t.db)).toEqual(before);
  }, 240_000);

  it('prints usage errors in Chinese with --lang zh-CN', async () => {
    const run = await runCli(['--lang', 'zh-CN', '--url', s.url]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('请用 --key');
    expect(run.stderr).toContain('用法：');
  });
});
