// TOTP (RFC 6238, 6 digits, 30 s) for the roles that must use it. A code is accepted once: the
// last accepted time step is stored, so a replayed or older code fails.
import { generateSecret, generateSync, generateURI, verifySync } from 'otplib';

const PERIOD = 30;

export const authenticator = {
  generateSecret(): string {
    return generateSecret();
  },
  generate(secret: string, at: Date = new Date()): string {
    return generateSync({ secret, epoch: Math.floor(at.getTime() / 1000), period: PERIOD });
  },
  uri(secret: string, label: string): string {
    return generateURI({ issuer: 'Arbitra', label, secret });
  },
  /** The time step the code belongs to (±1 step of clock drift), or null if it matches none. */
  matchStep(secret: string, code: string, at: Date = new Date()): number | null {
    if (!/^[0-9]{6}$/.test(code)) return null;
    const epoch = Math.floor(at.getTime() / 1000);
    const result = verifySync({ secret, token: code, epoch, period: PERIOD, epochTolerance: PERIOD });
    return result.valid ? Math.floor(epoch / PERIOD) + result.delta : null;
  },
};
