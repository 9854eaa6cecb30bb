// What an external neutral (arbitrator, mediator) receives passes through one redaction: every
// string of every response is cut of the PII of the complainants whose cases they sit on, whatever
// the procedure and whoever typed the text (an escalation reason, a ruling, a disclosure, an
// opinion, a timeline payload). The trpc `procedure` applies it to each result; the external
// dossier applies the same redaction (shared/redaction.ts) to its snapshot.
import type { DB } from '../db/database';
import type { Actor } from '../context';
import { EXTERNAL_ROLES } from '../../../shared/domain';
import { piiScrubber, scrubDeep } from '../../../shared/redaction';
import { piiOfSeatedComplainants } from './escalations.repository';

/** Whether responses to this actor leave the company and must be redacted. */
export function isNeutral(actor: Actor | null): actor is Actor & { kind: 'user'; userId: string } {
  return !!actor && actor.kind === 'user' && EXTERNAL_ROLES.includes(actor.role);
}

/** The response as the neutral may receive it. */
export async function redactForNeutral<T>(db: DB, userId: string, value: T): Promise<T> {
  const values = await piiOfSeatedComplainants(db, userId);
  if (!values.length) return value;
  return scrubDeep(value, piiScrubber(values)) as T;
}
