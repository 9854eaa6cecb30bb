// Imports a batch of complaints from a JSON array or a CSV file THROUGH the intake REST API: one
// POST /api/v1/complaints per row, so validation, idempotency (externalRef) and audit are exactly
// those of an integration. A bad row is reported (row, field, message) and the batch goes on.
//
//   npm run import-complaints -- --url http://127.0.0.1:5170 --key arb_… [--lang zh-CN] complaints.csv
//
// Exit codes: 0 every row imported or already there, 1 some rows failed, 2 usage error (missing
// --url/--key/file, unreadable or unrecognisable file, key refused, server unreachable at start).
// The last line on stdout is always `imported N, duplicates N, failed N` (not translated, for scripts).
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { translate } from '../../../shared/i18n';
import type { Language } from '../../../shared/domain';
import { csvImportItems, jsonImportItems, type ImportItem } from './complaint-rows';

const EXIT_OK = 0;
const EXIT_ROWS_FAILED = 1;
const EXIT_USAGE = 2;
const MAX_RATE_LIMIT_RETRIES = 5;
const REQUEST_TIMEOUT_MS = 30_000;

class UsageError extends Error {
  constructor(
    readonly messageKey: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(messageKey);
  }
}

interface Options {
  url: URL;
  key: string;
  file: string;
  lang: Language;
}

interface ErrorIssue {
  field?: string;
  message?: string;
}
interface ErrorBody {
  error?: { messageKey?: string; message?: string; field?: string | null; issues?: ErrorIssue[] };
}

function languageOf(value: string | undefined): Language | null {
  if (value === undefined) return null;
  const v = value.toLowerCase();
  if (v === 'zh-cn' || v === 'zh' || v === 'zh_cn') return 'zh-CN';
  if (v === 'en') return 'en';
  return null;
}

function parseOptions(argv: string[]): { options?: Options; lang: Language; help?: boolean } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        url: { type: 'string' },
        key: { type: 'string' },
        lang: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    const option = /'([^']+)'/.exec((error as Error).message)?.[1] ?? (error as Error).message;
    throw new UsageError('intake.cli.unknown_option', { option });
  }
  const { values, positionals } = parsed;
  const requested = values.lang ?? process.env.ARBITRA_LANG;
  const lang = languageOf(requested) ?? 'en';
  if (values.lang !== undefined && !languageOf(values.lang)) throw Object.assign(new UsageError('intake.cli.bad_lang', { lang: values.lang }), { lang });
  if (values.help) return { lang, help: true };
  const fail = (key: string, params: Record<string, string | number> = {}) => Object.assign(new UsageError(key, params), { lang });
  const urlText = values.url ?? process.env.ARBITRA_URL;
  if (!urlText) throw fail('intake.cli.missing_url');
  let url: URL;
  try {
    url = new URL(urlText);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol');
  } catch {
    throw fail('intake.cli.bad_url', { url: urlText });
  }
  const key = values.key ?? process.env.ARBITRA_INTAKE_KEY;
  if (!key) throw fail('intake.cli.missing_key');
  if (positionals.length === 0) throw fail('intake.cli.missing_file');
  if (positionals.length > 1) throw fail('intake.cli.too_many_files');
  return { lang, options: { url, key, file: positionals[0]!, lang } };
}

async function readItems(file: string): Promise<ImportItem[]> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    throw new UsageError('intake.cli.unreadable_file', { file, reason: e.code ?? e.message });
  }
  const ext = path.extname(file).toLowerCase();
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  // By extension, else by content: a JSON array starts with `[`; anything else is not guessed at.
  const kind = ext === '.json' ? 'json' : ext === '.csv' ? 'csv' : trimmed.startsWith('[') ? 'json' : null;
  if (kind === null) throw new UsageError('intake.cli.unknown_format', { file });
  if (kind === 'json') {
    let data: unknown;
    try {
      data = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (error) {
      throw new UsageError('intake.cli.json_invalid', { file, reason: (error as Error).message });
    }
    const items = jsonImportItems(data);
    if (!items) throw new UsageError('intake.cli.json_not_array', { file });
    return items;
  }
  const { items, headerProblem } = csvImportItems(text);
  if (headerProblem) throw new UsageError(headerProblem.messageKey, headerProblem.params);
  return items;
}

type PostOutcome =
  | { kind: 'created'; caseNumber: string }
  | { kind: 'duplicate'; caseNumber: string }
  | { kind: 'refused'; status: number; body: ErrorBody | null }
  | { kind: 'key_refused'; body: ErrorBody | null }
  | { kind: 'unreachable'; reason: string };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function postComplaint(options: Options, body: unknown): Promise<PostOutcome> {
  const endpoint = new URL('api/v1/complaints', options.url.href.endsWith('/') ? options.url : new URL(`${options.url.href}/`));
  for (let attempt = 0; ; attempt++) {
    let res: Response;
    try {
      res = await fetch(endpoint, {
        method: 'POST',
        headers: { authorization: `Bearer ${options.key}`, 'content-type': 'application/json', 'accept-language': options.lang },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      return { kind: 'unreachable', reason: cause?.code ?? cause?.message ?? (error as Error).message };
    }
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (res.status === 201 || res.status === 200) {
      const r = json as { caseNumber?: string; duplicate?: boolean } | null;
      const caseNumber = String(r?.caseNumber ?? '?');
      return r?.duplicate ? { kind: 'duplicate', caseNumber } : { kind: 'created', caseNumber };
    }
    if (res.status === 429 && attempt < MAX_RATE_LIMIT_RETRIES) {
      const wait = Math.min(60, Math.max(1, Number(res.headers.get('retry-after')) || 1));
      await sleep(wait * 1000);
      continue;
    }
    if (res.status === 401) return { kind: 'key_refused', body: json as ErrorBody | null };
    return { kind: 'refused', status: res.status, body: json as ErrorBody | null };
  }
}

export async function main(argv: string[], out = process.stdout, err = process.stderr): Promise<number> {
  const say = (stream: NodeJS.WritableStream, line: string) => stream.write(`${line}\n`);
  let lang: Language = languageOf(process.env.ARBITRA_LANG) ?? 'en';
  let options: Options;
  let items: ImportItem[];
  try {
    const parsed = parseOptions(argv);
    lang = parsed.lang;
    if (parsed.help) {
      say(out, translate(lang, 'intake.cli.usage'));
      return EXIT_OK;
    }
    options = parsed.options!;
    items = await readItems(options.file);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    lang = (error as UsageError & { lang?: Language }).lang ?? lang;
    say(err, translate(lang, error.messageKey, error.params));
    say(err, translate(lang, 'intake.cli.usage'));
    return EXIT_USAGE;
  }
  const t = (key: string, params: Record<string, string | number> = {}) => translate(lang, key, params);
  const label = (item: ImportItem) =>
    item.line === undefined ? t('intake.cli.row_label', { row: item.row }) : t('intake.cli.row_label_line', { row: item.row, line: item.line });

  let imported = 0;
  let duplicates = 0;
  let failed = 0;
  let exitOverride: number | null = null;
  let serverAnswered = false;
  for (const [index, item] of items.entries()) {
    const row = label(item);
    if (item.csvError) {
      failed++;
      say(err, t('intake.cli.row_error', { row, message: t(item.csvError.messageKey, item.csvError.params) }));
      continue;
    }
    const outcome = await postComplaint(options, item.body);
    if (outcome.kind !== 'unreachable' && outcome.kind !== 'key_refused') serverAnswered = true;
    if (outcome.kind === 'created') {
      imported++;
      say(out, t('intake.cli.row_imported', { row, caseNumber: outcome.caseNumber }));
    } else if (outcome.kind === 'duplicate') {
      duplicates++;
      say(out, t('intake.cli.row_duplicate', { row, caseNumber: outcome.caseNumber }));
    } else if (outcome.kind === 'refused') {
      failed++;
      const e = outcome.body?.error;
      const issues = e?.issues?.filter((i) => i.field && i.message) ?? [];
      if (issues.length) for (const i of issues) say(err, t('intake.cli.row_issue', { row, field: i.field!, message: i.message! }));
      else if (e?.message && e.field) say(err, t('intake.cli.row_issue', { row, field: e.field, message: e.message }));
      else say(err, t('intake.cli.row_error', { row, message: e?.message ?? t('intake.cli.http_status', { status: outcome.status }) }));
    } else {
      // Nothing more can succeed: the key is refused or the server is gone. Stop, count the rest as failed.
      const remaining = items.length - index;
      failed += remaining;
      const reason =
        outcome.kind === 'key_refused'
          ? t('intake.cli.key_refused', { message: outcome.body?.error?.message ?? t('intake.key_invalid') })
          : t('intake.cli.unreachable', { url: options.url.origin, reason: outcome.reason });
      say(err, index === 0 ? reason : t('intake.cli.stopped', { count: remaining, reason }));
      // A refused key or a server that never answered is a usage problem; a server lost mid-batch is not.
      exitOverride = outcome.kind === 'key_refused' || !serverAnswered ? EXIT_USAGE : EXIT_ROWS_FAILED;
      break;
    }
  }
  say(out, `imported ${imported}, duplicates ${duplicates}, failed ${failed}`);
  if (exitOverride !== null) return exitOverride;
  return failed > 0 ? EXIT_ROWS_FAILED : EXIT_OK;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = EXIT_USAGE;
  },
);
