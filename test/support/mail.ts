// Reading the mail the server sends (outbox .eml files, or what a test SMTP server received): the
// headers, the plain-text body decoded, and the setup link's token.
import fs from 'node:fs';
import path from 'node:path';
import { outboxDir } from '../../server/src/members/mailer';

export interface ReadMail {
  raw: string;
  headers: Record<string, string>;
  subject: string;
  text: string;
}

/** RFC 2047 encoded words (=?UTF-8?B?…?= and =?UTF-8?Q?…?=) as text. */
function decodeWords(value: string): string {
  return value.replace(/\s*=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (_m, enc: string, data: string) =>
    enc.toLowerCase() === 'b'
      ? Buffer.from(data, 'base64').toString('utf8')
      : Buffer.from(
          data.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))),
          'latin1',
        ).toString('utf8'),
  );
}

export function parseMail(raw: string): ReadMail {
  const [head = '', ...rest] = raw.replace(/\r\n/g, '\n').split('\n\n');
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  const body = rest.join('\n\n');
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  let text: string;
  if (encoding === 'quoted-printable') {
    const bytes = body.replace(/=\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
    text = Buffer.from(bytes, 'latin1').toString('utf8');
  } else if (encoding === 'base64') text = Buffer.from(body, 'base64').toString('utf8');
  else text = body;
  return { raw, headers, subject: decodeWords(headers.subject ?? ''), text };
}

/** The messages in a data directory's outbox, oldest first, with their files. */
export function outboxMails(dataDir: string): (ReadMail & { file: string })[] {
  const dir = outboxDir(dataDir);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.eml'))
    .sort()
    .map((f) => ({ ...parseMail(fs.readFileSync(path.join(dir, f), 'utf8')), file: path.join(dir, f) }));
}

/** The invitation link's token in a mail. */
export function setupToken(mail: ReadMail): string {
  const m = /\/portal\/#\/setup\?token=([A-Za-z0-9_-]+)/.exec(mail.text);
  if (!m) throw new Error(`no setup link in the mail:\n${mail.text}`);
  return m[1]!;
}
