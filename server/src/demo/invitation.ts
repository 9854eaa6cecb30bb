// The demo's open invitation: on a freshly seeded demo, the demo's legal counsel invites one more
// arbitrator, so a newcomer can take the portal's setup flow from the link in the outbox's .eml file.
// Only into the outbox: with ARBITRA_SMTP_URL set, a real mail server would try to deliver to a
// made-up address.
import type { DB } from '../db/database';
import { publicBaseUrl, type ServerConfig } from '../config';
import type { UserActor } from '../context';
import type { Language } from '../../../shared/domain';
import { invite } from '../members/members.service';
import { firstActiveUserWithRole } from '../members/members.repository';
import { createMailer, type Mailer } from '../members/mailer';
import { metaFor } from './runner';

export const DEMO_INVITEE = { email: 'new.arbitrator@arbitra-demo.example.com', role: 'arbitrator', language: 'zh-CN' } as const;

/**
 * Invites DEMO_INVITEE on behalf of the demo's legal counsel: the .eml file and the link in it (the
 * file is quoted-printable, as mail is, so the link is printed too, as the demo's passwords are), or
 * null when there is nothing to do.
 */
export async function inviteDemoMember(db: DB, config: ServerConfig): Promise<{ file: string; link: string } | null> {
  if (config.smtpUrl) return null;
  const legal = await firstActiveUserWithRole(db, 'legal');
  if (!legal) return null;
  const actor: UserActor = {
    kind: 'user',
    userId: legal.id,
    role: 'legal',
    email: legal.email,
    displayName: legal.display_name,
    language: legal.language as Language,
    teamIds: [],
    sessionId: 'demo-seed',
    totpSatisfied: true,
  };
  // The outbox's mailer, quiet: the caller says where the file is, in a line of its own.
  const mailer = createMailer({ from: config.mailFrom, dataDir: config.dataDir });
  let written: { file: string; link: string } | null = null;
  const recording: Mailer = {
    async send(message) {
      const sent = await mailer.send(message);
      written = { file: sent.path!, link: /\S+\/portal\/#\/setup\?token=\S+/.exec(message.text)![0] };
      return sent;
    },
  };
  await invite(db, { actor, meta: metaFor(actor.language) }, DEMO_INVITEE, { mailer: recording, publicBaseUrl: publicBaseUrl(config), ttlMs: config.invitationTtlMs });
  return written;
}
