// Outgoing mail. With ARBITRA_SMTP_URL set, through that SMTP server (nodemailer); otherwise each
// message is written as an .eml file to the outbox under the data directory and its path logged, so
// a machine without a mail server still hands out invitations (open the file, follow the link).
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { ServerConfig } from '../config';
import type { Language } from '../../../shared/domain';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  language: Language;
}

export interface SentMail {
  via: 'smtp' | 'outbox';
  messageId: string;
  /** The .eml file, for mail written to the outbox. */
  path?: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<SentMail>;
}

export const outboxDir = (dataDir: string) => path.join(dataDir, 'outbox');

export function createMailer(options: { smtpUrl?: string; from: string; dataDir: string; log?: (line: string) => void }): Mailer {
  const log = options.log ?? (() => {});
  const envelope = (m: MailMessage) => ({ from: options.from, to: m.to, subject: m.subject, text: m.text, headers: { 'Content-Language': m.language } });
  if (options.smtpUrl) {
    const transport = nodemailer.createTransport(options.smtpUrl);
    return {
      async send(message) {
        const info = await transport.sendMail(envelope(message));
        log(`Arbitra: mail "${message.subject}" sent to ${message.to} over SMTP (${info.messageId})`);
        return { via: 'smtp', messageId: info.messageId };
      },
    };
  }
  // The message exactly as it would go over the wire, LF line ends so it opens anywhere.
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(message) {
      const info = await transport.sendMail(envelope(message));
      const dir = outboxDir(options.dataDir);
      await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
      // Sortable by time, unique without coordination between server instances.
      const file = path.join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}.eml`);
      // Readable by the server's user only: the link in it is a credential until used.
      await fs.promises.writeFile(file, info.message as Buffer, { mode: 0o600, flag: 'wx' });
      log(`Arbitra: mail "${message.subject}" to ${message.to} written to ${file}`);
      return { via: 'outbox', messageId: info.messageId, path: file };
    },
  };
}

const mailers = new WeakMap<ServerConfig, Mailer>();

/** The server's mailer for a configuration (one transport per configuration, so SMTP connections are reused). */
export function mailerFor(config: ServerConfig): Mailer {
  let mailer = mailers.get(config);
  if (!mailer) {
    const log = config.logLevel === 'silent' ? undefined : (line: string) => process.stdout.write(`${line}\n`);
    mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, dataDir: config.dataDir, log });
    mailers.set(config, mailer);
  }
  return mailer;
}
