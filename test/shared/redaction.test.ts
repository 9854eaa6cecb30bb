// Redaction finds the complainant's PII however it was typed: case, spacing, punctuation, width,
// accents, phones with or without their country code, ID numbers grouped any way.
import { describe, expect, it } from 'vitest';
import { piiScrubber, REDACTED, scrubDeep, scrubValues } from '../../shared/redaction';

const PII = ['Zed Quixote', 'zed.quixote@example.com', '+65 9111 2222', 'S1234567D', 'uid-zq-0042'];
const scrub = piiScrubber(PII);
const blocks = (n: number) => REDACTED.repeat(n);

/** The text with no trace of the complainant: nothing of the forms below survives. */
function expectClean(text: string) {
  const out = scrub(text);
  expect(out, `${text} → ${out}`).not.toMatch(/zed|quixote|9111|2222|1234567|zq-?0042/i);
  return out;
}

describe('names', () => {
  it.each([
    'Zed Quixote',
    'zed quixote',
    'ZED QUIXOTE',
    'ZED  QUIXOTE',
    'Zed\tQuixote',
    'Zed\nQuixote',
    'zed.quixote',
    'Zed-Quixote',
    'Zed_Quixote',
    'ZedQuixote',
    'Quixote, Zed',
    'QUIXOTE Zed',
    'Mr. Quixote',
    'mr quixote',
    'Dr Quixote',
    'Z. Quixote',
    '**Zed** Quixote',
    'Ｚｅｄ Ｑｕｉｘｏｔｅ',
    'Zéd Quixoté',
    'Zed\u200bQuixote',
  ])('cuts %j', (form) => {
    const out = expectClean(`The complainant ${form} called again.`);
    expect(out.startsWith('The complainant ')).toBe(true);
    expect(out.endsWith(' called again.')).toBe(true);
  });

  it('cuts each character with one mark, leaving the rest of the text as it was', () => {
    expect(scrubValues('Hello ZED  QUIXOTE!', ['Zed Quixote'])).toBe(`Hello ${blocks(12)}!`);
    expect(scrubValues('Ｚｅｄ Ｑｕｉｘｏｔｅ 好', ['Zed Quixote'])).toBe(`${blocks(11)} 好`);
  });

  it('does not cut a name inside a longer word or an unrelated word', () => {
    expect(scrubValues('Zedquixotes are not people; quixotic zed-like', ['Zed Quixote'])).toBe('Zedquixotes are not people; quixotic zed-like');
    expect(scrubValues('Mr Smith and Dr Who', ['Zed Quixote'])).toBe('Mr Smith and Dr Who');
  });

  it('keeps the Chinese forms of address, with spacing variants of the name', () => {
    expect(scrubValues('邓先生您好，请小邓和老邓确认；邓超已回复', ['邓超'])).toBe('███您好，请██和██确认；██已回复');
    expect(scrubValues('邓 超 与 邓·超', ['邓超'])).toBe('███ 与 ███');
    expect(scrubValues('欧阳女士与欧女士', ['欧阳娜娜'])).toBe('████与███');
    expect(scrubValues('邓小平路的邓氏', ['邓超'])).toBe('邓小平路的邓氏');
  });

  it('leaves single characters alone', () => {
    expect(scrubValues('a b', ['a'])).toBe('a b');
    expect(scrubValues('李 说', ['李'])).toBe('李 说');
  });
});

describe('e-mails', () => {
  it.each(['zed.quixote@example.com', 'ZED.QUIXOTE@EXAMPLE.COM', 'Zed.Quixote@Example.com', 'zed.quixote @ example.com', 'zed.quixote＠example．com', '<zed.quixote@example.com>'])('cuts %j', (form) => {
    expectClean(`Write to ${form} please`);
  });

  it('cuts a distinctive mailbox name on its own', () => {
    expect(scrubValues('login zqx1987 failed', ['zqx1987@mail.example'])).toBe(`login ${blocks(7)} failed`);
  });

  it('cuts a whole e-mail, and the shorter values inside it', () => {
    expect(scrubValues('mail li.lei@example.com or li.lei', ['li.lei', 'li.lei@example.com'])).toBe('mail ██████████████████ or ██████');
  });
});

describe('phones', () => {
  it.each([
    '+65 9111 2222',
    '+6591112222',
    '6591112222',
    '65 9111 2222',
    '+65 9111-2222',
    '+65-9111-2222',
    '(+65) 9111 2222',
    '0065 9111 2222',
    '9111 2222',
    '91112222',
    '9111-2222',
    '9111.2222',
    '+65 (9111) 2222',
    '９１１１ ２２２２',
  ])('cuts %j', (form) => {
    expectClean(`Call ${form} after six`);
  });

  it('finds the national number of a value stored without separators', () => {
    expect(scrubValues('Call 9111 2222', ['+6591112222'])).toBe(`Call ${blocks(9)}`);
    expect(scrubValues('Call 9111 2222 or +65-9111-2222', ['+6591112222'])).not.toMatch(/\d{4}/);
    expect(scrubValues('tel 020 7946 0958', ['+44 20 7946 0958'])).not.toMatch(/7946/);
  });

  it('does not cut the digits inside a longer number, a hash or an id', () => {
    const hash = 'a3591112222f0c';
    expect(scrubValues(`hash ${hash}`, ['+65 9111 2222'])).toBe(`hash ${hash}`);
    expect(scrubValues('order 1591112222 and 911122223', ['+65 9111 2222'])).toBe('order 1591112222 and 911122223');
  });
});

describe('ID numbers and account ids', () => {
  it.each(['S1234567D', 's1234567d', 'S 1234567 D', 'S-1234-567-D', 'S1234 567D'])('cuts %j', (form) => {
    expectClean(`ID ${form} on file`);
  });
  it.each(['uid-zq-0042', 'UID ZQ 0042', 'uidzq0042'])('cuts the account id %j', (form) => {
    expectClean(`account ${form}`);
  });
});

describe('scrubDeep', () => {
  it('scrubs every string of a response, keeps other values and Dates', () => {
    const at = new Date('2026-01-01T00:00:00Z');
    const value = { reason: 'ZED QUIXOTE +6591112222', n: 3, at, list: ['zed.quixote@EXAMPLE.com', null], nested: { deep: 'S-1234567-D' } };
    const out = scrubDeep(value, scrub) as typeof value;
    expect(JSON.stringify(out)).not.toMatch(/zed|quixote|9111|1234567/i);
    expect(out.n).toBe(3);
    expect(out.at).toBe(at);
    expect(out.list[1]).toBeNull();
  });
});
