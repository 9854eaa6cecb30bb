// Real evidence files to mutate: the demo arbitration's exhibits (an OKX order history, a chat
// export in JSON and as a transcript, login activity, an on-chain reference list, a PNG, an
// internal engine log) and every example of docs/evidence-formats.md (Binance trade and order
// history, OKX orders in English and Chinese, OKX fills, a generic mapping, activity and chat in
// CSV, JSON and text, on-chain references), each with the exhibit type it is filed as.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoArbitrationExhibits, demoPng } from '../../../server/src/demo/data/exhibits';
import type { ExhibitType } from '../../../shared/evidence';

export interface CorpusFile {
  name: string;
  type: ExhibitType;
  bytes: Uint8Array;
  mapping?: Record<string, string>;
  timeZone?: string;
}

const DOC_KIND_TYPES: Record<string, ExhibitType> = {
  binance_trade_history: 'trade_records',
  binance_order_history: 'order_history',
  okx_order_history: 'order_history',
  okx_fills: 'fills',
  generic: 'trade_records',
  activity: 'activity_log',
  chat: 'chat_transcript',
  onchain: 'onchain_reference',
};

/** A one-page PDF, small and well formed. */
const PDF = `%PDF-1.7
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >> endobj
trailer << /Root 1 0 R >>
%%EOF
`;

export function evidenceCorpus(): CorpusFile[] {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const page = fs.readFileSync(path.resolve(here, '../../../docs/evidence-formats.md'), 'utf8');
  const files: CorpusFile[] = [];
  for (const [i, m] of [...page.matchAll(/<!-- example: (\S+)(?: (.+?))? -->\n```\w*\n([\s\S]*?)```/g)].entries()) {
    const kind = m[1]!;
    const type = DOC_KIND_TYPES[kind];
    if (!type) continue;
    const arg = m[2];
    files.push({
      name: `doc-${i}-${kind}`,
      type,
      bytes: new TextEncoder().encode(m[3]!),
      ...(kind === 'generic' && arg ? { mapping: JSON.parse(arg) as Record<string, string> } : {}),
      ...(kind === 'chat' && arg ? { timeZone: arg } : {}),
    });
  }
  for (const f of demoArbitrationExhibits({ occurredAt: new Date('2026-03-01T12:00:00Z') })) files.push({ name: `demo-${f.fileName}`, type: f.type as ExhibitType, bytes: new Uint8Array(f.bytes) });
  files.push({ name: 'tiny.png', type: 'image', bytes: new Uint8Array(demoPng(3, 2)) });
  files.push({ name: 'one-page.pdf', type: 'pdf', bytes: new TextEncoder().encode(PDF) });
  return files;
}
