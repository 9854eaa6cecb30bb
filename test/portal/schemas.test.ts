// The portal checks its forms before sending them with schemas built from the same shared validators
// as the server's (portal/src/forms/schemas.ts): on a table of inputs, each accepts and refuses what
// the server's own schema does, with the same message key at the same field. Beside them, the pure
// parts of the inbox: a seat's status and the sort.
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { fieldIssues } from '../../shared/validation';
import { loginInput } from '../../server/src/auth/auth.schema';
import { answerSeatInput as serverAnswer, discloseInput as serverDisclose } from '../../server/src/escalations/escalations.schema';
import { answerSeatInput, discloseInput, disclosureForm, signInForm } from '../../portal/src/forms/schemas';
import { disclosureText } from '../../portal/src/disclosure';
import { seatStatus, sortSeats, type Seat } from '../../portal/src/seats';

function verdict(schema: z.ZodType, input: unknown) {
  const r = schema.safeParse(input);
  return r.success ? { ok: true, data: r.data } : { ok: false, issues: fieldIssues(r.error).map((i) => `${i.field}:${i.messageKey}`) };
}

const MEMBER = '00000000-0000-4000-8000-000000000001';

describe('the portal’s forms check what the server checks', () => {
  const signIns: unknown[] = [
    { email: 'a@example.com', password: 'x' },
    { email: ' A@Example.COM ', password: 'x', totpCode: ' 123456 ' },
    { email: 'not-an-email', password: 'x' },
    { email: '', password: '' },
    { email: 'a@example.com', password: 'x', totpCode: '12345' },
    { email: 'a@example.com', password: 'x', totpCode: 'abcdef' },
    { email: `${'a'.repeat(250)}@example.com`, password: 'x' },
    { email: 'a@example.com', password: 'x'.repeat(1025) },
    { email: 'a@example.com' },
    { email: 'a@example.com', password: 'x', recoveryCode: ' abcd-efgh-jkmn ' },
    { email: 'a@example.com', password: 'x', recoveryCode: '   ' },
    { email: 'a@example.com', password: 'x', recoveryCode: 'x'.repeat(65) },
  ];
  for (const input of signIns)
    it(`sign-in ${JSON.stringify(input).slice(0, 60)}`, () => {
      expect(verdict(signInForm, input)).toEqual(verdict(loginInput, input));
    });

  const disclosures: unknown[] = [
    { memberId: MEMBER, disclosure: 'No conflicts.' },
    { memberId: MEMBER, disclosure: '   ' },
    { memberId: MEMBER, disclosure: 'x'.repeat(10_001) },
    { memberId: MEMBER, disclosure: 'a\u0000b' },
    { memberId: MEMBER, disclosure: 'a\u0007b' },
    { memberId: 'not-a-uuid', disclosure: 'ok' },
  ];
  for (const input of disclosures)
    it(`disclosure ${JSON.stringify(input).slice(0, 60)}`, () => {
      expect(verdict(discloseInput, input)).toEqual(verdict(serverDisclose, input));
    });

  const answers: unknown[] = [
    { memberId: MEMBER, answer: 'accept' },
    { memberId: MEMBER, answer: 'decline', reason: 'Travelling for a month.' },
    { memberId: MEMBER, answer: 'maybe' },
    { memberId: MEMBER, answer: 'decline', reason: ' ' },
    { memberId: MEMBER, answer: 'decline', reason: 'x'.repeat(2001) },
  ];
  for (const input of answers)
    it(`answer ${JSON.stringify(input).slice(0, 60)}`, () => {
      expect(verdict(answerSeatInput, input)).toEqual(verdict(serverAnswer, input));
    });
});

describe('the structured disclosure', () => {
  const no = { answer: 'no' as const, details: '' };
  it('needs every answer, details for a yes, and a statement', () => {
    expect(verdict(disclosureForm, { exchange: { answer: undefined, details: '' }, complainant: no, holdings: { answer: 'yes', details: ' ' }, appointments: no, statement: '' }).issues).toEqual([
      'exchange.answer:portal.disclosure.answer_required',
      'holdings.details:portal.disclosure.details_required',
      'statement:validation.required',
    ]);
  });

  it('is written out as one text, labels in both languages, that the server accepts', () => {
    const text = disclosureText({ exchange: no, complainant: no, holdings: { answer: 'yes', details: ' 0.5 BTC ' }, appointments: no, statement: ' None otherwise. ' });
    expect(text).toBe(
      [
        'Disclosure of conflicts / 利益冲突披露',
        '',
        '1. Relationship with the exchange / 与交易所的关系: No / 否',
        '2. Relationship with the complainant / 与投诉人的关系: No / 否',
        '3. Holdings affected by the dispute / 受争议影响的持有: Yes / 是',
        '   0.5 BTC',
        '4. Prior appointments by the exchange / 交易所此前的指定: No / 否',
        '',
        'Statement / 声明:',
        'None otherwise.',
      ].join('\n'),
    );
    expect(verdict(serverDisclose, { memberId: MEMBER, disclosure: text }).ok).toBe(true);
  });
});

describe('seats in the inbox', () => {
  const seat = (over: Partial<Seat>): Seat => ({
    memberId: MEMBER,
    caseId: null,
    caseNumber: 'ARB-2026-000001',
    category: 'trade',
    subcategory: 'slippage',
    amountBand: '10k_100k',
    complainantPseudonym: 'C-1A2B',
    respondBy: '2026-12-06T00:00:00Z',
    escalationId: MEMBER,
    escalationKind: 'arbitration',
    escalationStatus: 'open',
    panelSize: 1,
    role: 'arbitrator',
    seat: null,
    assignedAt: '2026-12-01T00:00:00Z',
    disclosure: null,
    disclosedAt: null,
    acceptedAt: null,
    declinedAt: null,
    ...over,
  });

  it('names the status: what the member must do next, or how it ended', () => {
    expect(seatStatus(seat({}))).toBe('awaiting_disclosure');
    expect(seatStatus(seat({ disclosedAt: '2026-12-02T00:00:00Z' }))).toBe('awaiting_answer');
    expect(seatStatus(seat({ disclosedAt: 'x', acceptedAt: '2026-12-02T00:00:00Z' }))).toBe('accepted');
    expect(seatStatus(seat({ disclosedAt: 'x', declinedAt: '2026-12-02T00:00:00Z' }))).toBe('declined');
    expect(seatStatus(seat({ escalationStatus: 'closed' }))).toBe('closed');
    expect(seatStatus(seat({ escalationStatus: 'closed', acceptedAt: 'x' }))).toBe('accepted');
  });

  it('sorts what needs an answer first by default, then by the column asked for', () => {
    const a = seat({ memberId: 'a', caseNumber: 'ARB-2026-000003', acceptedAt: 'x', assignedAt: '2026-12-03T00:00:00Z' });
    const b = seat({ memberId: 'b', caseNumber: 'ARB-2026-000001', assignedAt: '2026-12-01T00:00:00Z' });
    const c = seat({ memberId: 'c', caseNumber: 'ARB-2026-000002', disclosedAt: 'x', assignedAt: '2026-12-02T00:00:00Z' });
    const label = (s: Seat) => s.caseNumber;
    expect(sortSeats([a, b, c], { column: 'status', direction: 'ascending' }, label).map((s) => s.memberId)).toEqual(['b', 'c', 'a']);
    expect(sortSeats([a, b, c], { column: 'caseNumber', direction: 'ascending' }, label).map((s) => s.memberId)).toEqual(['b', 'c', 'a']);
    expect(sortSeats([a, b, c], { column: 'assignedAt', direction: 'descending' }, label).map((s) => s.memberId)).toEqual(['a', 'c', 'b']);
  });
});
