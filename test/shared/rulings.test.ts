// A ruling's signature hash: what it is taken over, that anyone can recompute it, and that any
// change to the ruling, the signer or the time gives another hash.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RULING_ACTIONS, rulingAction, rulingSignatureHash, rulingSignatureText, verifyRulingSignature, MEMBER_SEATS } from '../../shared/rulings';
import { PANEL_SEATS } from '../../shared/domain';

const base = {
  rulingId: '6F1C2B1E-0000-4000-8000-00000000AB01',
  rulingText: '裁决：平台赔偿 0.028 BTC。\nThe platform pays 0.028 BTC.',
  signerId: '00000000-0000-4000-8000-000000000001',
  signedAt: new Date('2026-11-21T12:34:56.789Z'),
};

describe('ruling signature hash', () => {
  it('is SHA-256 hex over a JSON array of format, ruling id, text, signer and time (ids lower-cased)', () => {
    const text = rulingSignatureText(base);
    expect(JSON.parse(text)).toEqual([
      'arbitra.ruling-signature.v1',
      '6f1c2b1e-0000-4000-8000-00000000ab01',
      base.rulingText,
      base.signerId,
      '2026-11-21T12:34:56.789Z',
    ]);
    const hash = rulingSignatureHash(base);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    // Anyone can recompute it with any SHA-256 implementation.
    expect(hash).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
  });

  it('is the same for the same inputs, whether the time comes as a Date or as ISO text in another zone', () => {
    expect(rulingSignatureHash({ ...base, signedAt: '2026-11-21T20:34:56.789+08:00' })).toBe(rulingSignatureHash(base));
    expect(rulingSignatureHash({ ...base, rulingId: base.rulingId.toLowerCase() })).toBe(rulingSignatureHash(base));
  });

  it('changes with any change to the ruling text, the ruling, the signer or the time', () => {
    const h = rulingSignatureHash(base);
    const variants = [
      { ...base, rulingText: base.rulingText.replace('0.028', '0.029') },
      { ...base, rulingText: base.rulingText + ' ' },
      { ...base, rulingId: '6f1c2b1e-0000-4000-8000-00000000ab02' },
      { ...base, signerId: '00000000-0000-4000-8000-000000000002' },
      { ...base, signedAt: new Date(base.signedAt.getTime() + 1) },
    ];
    const hashes = variants.map(rulingSignatureHash);
    expect(hashes).not.toContain(h);
    expect(new Set(hashes).size).toBe(variants.length);
  });

  it('cannot be forged by moving text between fields', () => {
    // With a plain separator, "a|b" + "c" and "a" + "b|c" would read the same; JSON keeps them apart.
    const a = rulingSignatureHash({ ...base, rulingText: 'pay|x', signerId: 'y' });
    const b = rulingSignatureHash({ ...base, rulingText: 'pay', signerId: 'x|y' });
    expect(a).not.toBe(b);
  });

  it('verifies a stored hash, and refuses one that does not match', () => {
    const signatureHash = rulingSignatureHash(base);
    expect(verifyRulingSignature({ ...base, signatureHash })).toBe(true);
    expect(verifyRulingSignature({ ...base, signatureHash: signatureHash.toUpperCase() })).toBe(true);
    expect(verifyRulingSignature({ ...base, rulingText: 'edited', signatureHash })).toBe(false);
  });

  it('refuses a time that is not one', () => {
    expect(() => rulingSignatureText({ ...base, signedAt: 'yesterday' })).toThrow(/not a time/);
  });
});

describe('ruling kinds and seats', () => {
  it('lets an arbitration end in an award or a settlement, a mediation in a settlement or an impasse', () => {
    expect(rulingAction('arbitration', 'award')).toBe('record_ruling');
    expect(rulingAction('arbitration', 'settlement')).toBe('record_ruling');
    expect(rulingAction('arbitration', 'impasse')).toBeNull();
    expect(rulingAction('mediation', 'settlement')).toBe('record_settlement');
    expect(rulingAction('mediation', 'impasse')).toBe('record_impasse');
    expect(rulingAction('mediation', 'award')).toBeNull();
    expect(Object.keys(RULING_ACTIONS).sort()).toEqual(['arbitration', 'mediation']);
  });

  it('has a chair and the three panel seats', () => {
    expect(MEMBER_SEATS).toEqual(['chair', ...PANEL_SEATS]);
  });
});
