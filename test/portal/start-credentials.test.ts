// What `npm start` prints for the portal: the arbitrators' and mediators' sign-ins, with the TOTP
// secret each needs, read from the demo credentials file the server writes (server/src/demo/credentials.ts).
import { describe, expect, it } from 'vitest';
import { portalCredentials, workstationCredentials } from '../../scripts/start';

describe('npm start: the portal’s demo sign-ins', () => {
  const file = [
    'Users',
    '-----',
    '  specialist 张伟 Zhang Wei',
    '             email:    zhang@x.example',
    '             password: p-spec',
    '  arbitrator 刘海伦 Helen Lau (Arbitrator)',
    '             email:    helen@x.example',
    '             password: p-arb',
    '             TOTP secret: SECRETHELEN',
    '             TOTP URI:    otpauth://totp/Arbitra:helen?secret=SECRETHELEN',
    '  mediator   陈明 Marcus Tan (调解员)',
    '             email:    tan@x.example',
    '             password: p-med',
    '             TOTP secret: SECRETTAN',
  ].join('\n');

  it('lists arbitrators and mediators with their TOTP secrets, and only them', () => {
    expect(portalCredentials(file)).toEqual([
      { role: 'arbitrator', name: '刘海伦 Helen Lau (Arbitrator)', email: 'helen@x.example', password: 'p-arb', totpSecret: 'SECRETHELEN' },
      { role: 'mediator', name: '陈明 Marcus Tan (调解员)', email: 'tan@x.example', password: 'p-med', totpSecret: 'SECRETTAN' },
    ]);
    // The workstation's list is unchanged by it.
    expect(workstationCredentials(file).map((c) => c.role)).toEqual(['specialist']);
  });
});
