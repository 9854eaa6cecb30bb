// With ARBITRA_SMTP_URL set, invitations go through a real SMTP server (smtp-server on loopback),
// not the outbox; the link in the mail it receives sets the account up. When the mail cannot be
// sent, no invitation is left behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { failure, startTestServer, type TestServer } from '../support/server';
import { stopServer } from './evidence/support';
import { authenticator } from '../support/totp';
import { outboxMails, parseMail, setupToken, type ReadMail } from '../support/mail';
import { loadConfig } from '../../server/src/config';

interface Received extends ReadMail {
  from: string;
  to: string[];
}

let smtp: SMTPServer;
let server: TestServer;
const received: Received[] = [];

beforeAll(async () => {
  smtp = new SMTPServer({
    // A plain local relay: no TLS certificate to trust, no credentials.
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          ...parseMail(Buffer.concat(chunks).toString('utf8')),
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = (smtp.server.address() as AddressInfo).port;
  server = await startTestServer({ smtpUrl: `smtp://127.0.0.1:${port}`, mailFrom: 'Arbitra <disputes@exchange.example>', publicUrl: 'https://disputes.exchange.example' });
}, 120_000);

afterAll(async () => {
  await stopServer(server);
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

describe('invitations over SMTP', () => {
  it('reads the SMTP URL and sender from the environment', () => {
    const config = loadConfig({ ARBITRA_SMTP_URL: 'smtps://mailer:secret@mail.example.com:465', ARBITRA_MAIL_FROM: 'Disputes <d@example.com>' });
    expect(config).toMatchObject({ smtpUrl: 'smtps://mailer:secret@mail.example.com:465', mailFrom: 'Disputes <d@example.com>' });
    expect(loadConfig({}).smtpUrl).toBeUndefined();
  });

  it('delivers the invitation to the SMTP server, in the invitee’s language; its link sets the account up', async () => {
    const legal = server.client(await server.login('legal'));
    const invitation = await legal.members.invite.mutate({ email: 'li.na@lawfirm.example', role: 'mediator', language: 'zh-CN' });
    expect(invitation.delivery).toBe('smtp');
    expect(received).toHaveLength(1);
    const mail = received[0]!;
    expect(mail.from).toBe('disputes@exchange.example');
    expect(mail.to).toEqual(['li.na@lawfirm.example']);
    expect(mail.subject).toBe('邀请您以调解员身份加入 Arbitra');
    expect(mail.headers['content-language']).toBe('zh-CN');
    expect(mail.text).toContain('https://disputes.exchange.example/portal/#/setup?token=');
    expect(outboxMails(server.dataDir)).toEqual([]);

    const token = setupToken(mail);
    const anon = server.client(null);
    const start = await anon.members.beginSetup.mutate({ token });
    expect(start).toMatchObject({ email: 'li.na@lawfirm.example', role: 'mediator', language: 'zh-CN' });
    const done = await anon.members.completeSetup.mutate({
      token,
      displayName: '李娜',
      language: 'zh-CN',
      languages: ['zh-CN'],
      password: 'jade mountain ferry lamp',
      totpCode: authenticator.generate(start.totp.secret),
    });
    expect(done.user).toMatchObject({ email: 'li.na@lawfirm.example', role: 'mediator', displayName: '李娜' });
  });

  it('when the mail cannot be sent, refuses without leaving an invitation behind', async () => {
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    const legal = server.client(await server.login('legal'));
    const before = await server.t.db
      .selectFrom('member_invitations')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const err = await failure(legal.members.invite.mutate({ email: 'no.mail@lawfirm.example', role: 'arbitrator', language: 'en' }));
    expect(err).toMatchObject({ httpStatus: 503, code: 'SERVICE_UNAVAILABLE', messageKey: 'members.mail_unavailable' });
    const after = await server.t.db
      .selectFrom('member_invitations')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    expect(await server.t.db.selectFrom('audit_log').select('action').where('action', '=', 'member.invited').execute()).toHaveLength(1);
  });
});
