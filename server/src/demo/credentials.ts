// The demo credentials as shown once: lines for the log, and the text of the owner-only file.
import { authenticator } from '../auth/totp';
import { STAFF, TEAMS, type StaffKey } from './data/organisation';
import type { CreatedUser } from './runner';

export function credentialLines(users: Map<StaffKey, CreatedUser>, intakeKey: string, credentialsFile: string): { log: string[]; file: string[] } {
  const userLines: string[] = [];
  for (const spec of STAFF) {
    const u = users.get(spec.key)!;
    userLines.push(`  ${spec.role.padEnd(10)} ${spec.displayName}`);
    userLines.push(`             email:    ${spec.email}`);
    userLines.push(`             password: ${u.password}`);
    if (u.totpSecret) {
      userLines.push(`             TOTP secret: ${u.totpSecret}`);
      userLines.push(`             TOTP URI:    ${authenticator.uri(u.totpSecret, spec.email)}`);
    }
  }
  const keyLines = [`  intake key (default team ${TEAMS[0]!.name}): ${intakeKey}`];
  const log = [
    `Arbitra demo: created the demo organisation. Credentials (shown once here; also in ${credentialsFile}, mode 0600):`,
    ...userLines,
    ...keyLines,
  ];
  const file = [
    'Arbitra demo credentials',
    '========================',
    '',
    'How to log in: open the workstation or the portal and sign in with an email and password below.',
    'Admins, arbitrators and mediators must also give a 6-digit TOTP code: add the TOTP secret (or scan',
    'the otpauth:// URI as a QR code) in any authenticator app, e.g. `oathtool --totp -b <secret>`.',
    'Change these passwords after the first login. Delete this file once you have stored them.',
    '',
    'Users',
    '-----',
    ...userLines,
    '',
    'Intake API',
    '----------',
    ...keyLines,
    '  POST /api/v1/complaints with the header  Authorization: Bearer <intake key>',
    '  (the schema is served at /api/v1/openapi.json)',
  ];
  return { log, file };
}
