// On-chain references: real BTC, ETH and TRON examples pass; one character changed fails its check.
import { describe, it, expect } from 'vitest';
import { checkReference, eip55Checksum, parseOnchainReferences, type ParseOnchainResult } from '../../../shared/evidence/onchain';

const ok = (r: ParseOnchainResult) => {
  if (!r.ok) throw new Error(`expected success, got ${JSON.stringify(r.error)}`);
  return r;
};
const err = (r: ParseOnchainResult) => {
  if (r.ok) throw new Error('expected an error');
  return r.error;
};

const GENESIS_TX = '4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b';

describe('checkReference: valid references', () => {
  it('BTC: P2PKH, P2SH, bech32 (BIP-173) and bech32m (BIP-350) addresses; tx hashes with the chain', () => {
    expect(checkReference('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa')).toEqual({ ok: true, chain: 'BTC', kind: 'address' }); // genesis coinbase
    expect(checkReference('3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy')).toEqual({ ok: true, chain: 'BTC', kind: 'address' }); // BIP-13 style P2SH
    expect(checkReference('BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4')).toEqual({ ok: true, chain: 'BTC', kind: 'address' });
    expect(checkReference('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4')).toEqual({ ok: true, chain: 'BTC', kind: 'address' });
    expect(checkReference('bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3')).toEqual({ ok: true, chain: 'BTC', kind: 'address' }); // v0, 32-byte program (P2WSH)
    expect(checkReference('1BoatSLRHtKNngkdXEeobR76b53LETtpyT', 'BTC')).toEqual({ ok: true, chain: 'BTC', kind: 'address' });
    expect(checkReference('bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y')).toEqual({ ok: true, chain: 'BTC', kind: 'address' });
    expect(checkReference('BC1SW50QGDZ25J')).toEqual({ ok: true, chain: 'BTC', kind: 'address' }); // v16, 2-byte program
    expect(checkReference(GENESIS_TX, 'BTC')).toEqual({ ok: true, chain: 'BTC', kind: 'tx' });
  });

  it('ETH: EIP-55 examples, all-lower and all-upper addresses, tx hashes', () => {
    for (const a of ['0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed', '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359', '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB', '0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb']) {
      expect([a, checkReference(a)]).toEqual([a, { ok: true, chain: 'ETH', kind: 'address' }]);
      expect(eip55Checksum(a.toLowerCase())).toBe(a);
    }
    expect(checkReference('0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed')).toEqual({ ok: true, chain: 'ETH', kind: 'address' });
    expect(checkReference('0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED')).toEqual({ ok: true, chain: 'ETH', kind: 'address' });
    expect(checkReference('0x88df016429689c079f3b2f6ad39fa052532c56795b733da78a91ebe6a713944b')).toEqual({ ok: true, chain: 'ETH', kind: 'tx' });
  });

  it('TRON: Base58Check addresses with version 0x41; tx hashes with the chain', () => {
    expect(checkReference('TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t')).toEqual({ ok: true, chain: 'TRON', kind: 'address' }); // USDT (TRC-20) contract
    expect(checkReference(GENESIS_TX, 'TRON')).toEqual({ ok: true, chain: 'TRON', kind: 'tx' });
  });
});

describe('checkReference: one character changed, and other failures', () => {
  it('each example with one character changed fails its checksum', () => {
    const changed = [
      '1A1zP1eP5QGefi2DMPTfTL5SNmv7DivfNa', // L → N
      '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLz',
      'BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T5',
      'bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6x',
      '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD', // case of the last letter
      '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAee', // a digit
      'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u',
    ];
    for (const v of changed) expect([v, checkReference(v)]).toEqual([v, { ok: false, messageKey: 'evidence.onchain.bad_checksum', params: {} }]);
    // BIP-350: a witness v0 address with a bech32m checksum is invalid.
    expect(checkReference('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh')).toMatchObject({ ok: false, messageKey: 'evidence.onchain.bad_checksum' });
  });

  it('says which check failed', () => {
    expect(checkReference(GENESIS_TX)).toEqual({ ok: false, messageKey: 'evidence.onchain.chain_required', params: {} });
    expect(checkReference('TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj60')).toEqual({ ok: false, messageKey: 'evidence.onchain.bad_character', index: 33, params: { char: '0' } });
    expect(checkReference('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfN')).toEqual({ ok: false, messageKey: 'evidence.onchain.bad_checksum', params: {} });
    expect(checkReference('1A1zP1eP5QGefi2DMPT')).toEqual({ ok: false, messageKey: 'evidence.onchain.bad_length', params: {} });
    expect(checkReference('0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe')).toEqual({ ok: false, messageKey: 'evidence.onchain.bad_length', params: {} });
    expect(checkReference('0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg')).toEqual({ ok: false, messageKey: 'evidence.onchain.bad_character', index: 41, params: { char: 'g' } });
    expect(checkReference('bc1qW508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4')).toEqual({ ok: false, messageKey: 'evidence.onchain.mixed_case', params: {} });
    expect(checkReference('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3tb')).toEqual({ ok: false, messageKey: 'evidence.onchain.bad_character', index: 41, params: { char: 'b' } });
    expect(checkReference('tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx')).toEqual({ ok: false, messageKey: 'evidence.onchain.unknown_format', params: {} }); // testnet
    expect(checkReference('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', 'TRON')).toEqual({ ok: false, messageKey: 'evidence.onchain.not_for_chain', params: { chain: 'TRON' } });
    expect(checkReference(GENESIS_TX, 'ETH')).toEqual({ ok: false, messageKey: 'evidence.onchain.not_for_chain', params: { chain: 'ETH' } });
    expect(checkReference(GENESIS_TX.slice(1), 'TRON')).toEqual({ ok: false, messageKey: 'evidence.onchain.bad_length', params: {} });
    expect(checkReference('hello')).toEqual({ ok: false, messageKey: 'evidence.onchain.unknown_format', params: {} });
    // Valid Base58Check, but version 0x42 (not TRON's 0x41) and 0x06 (not P2SH's 0x05).
    expect(checkReference('TdT5sDgE3u8FqxXivQSQW7LtzFVT1jCeA3')).toEqual({ ok: false, messageKey: 'evidence.onchain.bad_version', params: {} });
    expect(checkReference('3VAtnhnwT5KgmxAXTETHQb1hDz2rRSy6Um')).toEqual({ ok: false, messageKey: 'evidence.onchain.bad_version', params: {} });
  });
});

describe('parseOnchainReferences', () => {
  it('reads text lines with chain prefixes, notes and comments', () => {
    const r = ok(
      parseOnchainReferences(
        '# deposits\r\nTRON: 9b3c1f0e4d2a8b7c6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d TRC20 USDT deposit\r\nTR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t USDT contract\r\n\r\n0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed\r\nbitcoin:bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4\r\n',
      ),
    );
    expect(r.source).toBe('text');
    expect(r.records).toEqual([
      { seq: 1, line: 2, chain: 'TRON', kind: 'tx', value: '9b3c1f0e4d2a8b7c6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d', note: 'TRC20 USDT deposit' },
      { seq: 2, line: 3, chain: 'TRON', kind: 'address', value: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t', note: 'USDT contract' },
      { seq: 3, line: 5, chain: 'ETH', kind: 'address', value: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed' },
      { seq: 4, line: 6, chain: 'BTC', kind: 'address', value: 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4' },
    ]);
  });

  it('points at the line and column of a bad reference, at the character when one is to blame', () => {
    expect(err(parseOnchainReferences(`TRON:${GENESIS_TX}\n${GENESIS_TX}\n`))).toEqual({
      messageKey: 'evidence.onchain.chain_required',
      line: 2,
      column: 1,
      params: { line: 2, column: 1, value: `${GENESIS_TX.slice(0, 59)}…` },
    });
    expect(err(parseOnchainReferences('  ETH: 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD\n'))).toMatchObject({ messageKey: 'evidence.onchain.bad_checksum', line: 1, column: 8 });
    expect(err(parseOnchainReferences('x\nTRON: TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj60\n'))).toMatchObject({ messageKey: 'evidence.onchain.unknown_format', line: 1, column: 1 });
    expect(err(parseOnchainReferences('TRON: TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj60\n'))).toMatchObject({ messageKey: 'evidence.onchain.bad_character', line: 1, column: 40, params: { char: '0' } });
    expect(err(parseOnchainReferences('DOGE: DH5yaieqoZN36fDVciNyRueRGvGLR3mr7L\n'))).toMatchObject({ messageKey: 'evidence.onchain.unknown_chain', line: 1, column: 1, params: { value: 'DOGE' } });
  });

  it('reads CSV with chain, type, value and note columns, and checks the stated type', () => {
    const r = ok(
      parseOnchainReferences(
        `chain,type,value,note\nBTC,tx,${GENESIS_TX},genesis coinbase\nBTC,address,1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa,\nERC20,交易,0x88df016429689c079f3b2f6ad39fa052532c56795b733da78a91ebe6a713944b,\n`,
      ),
    );
    expect(r.source).toBe('csv');
    expect(r.records).toEqual([
      { seq: 1, line: 2, chain: 'BTC', kind: 'tx', value: GENESIS_TX, note: 'genesis coinbase' },
      { seq: 2, line: 3, chain: 'BTC', kind: 'address', value: '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa' },
      { seq: 3, line: 4, chain: 'ETH', kind: 'tx', value: '0x88df016429689c079f3b2f6ad39fa052532c56795b733da78a91ebe6a713944b' },
    ]);
    expect(err(parseOnchainReferences('chain,type,value\nBTC,tx,1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa\n'))).toEqual({
      messageKey: 'evidence.onchain.kind_mismatch',
      line: 2,
      column: 8,
      params: { line: 2, column: 8, value: '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', stated: 'tx', found: 'address' },
    });
    // A quoted value: the bad character's column counts the quote.
    expect(err(parseOnchainReferences('chain,value\nTRON,"TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj60"\n'))).toMatchObject({ messageKey: 'evidence.onchain.bad_character', line: 2, column: 40 });
    expect(err(parseOnchainReferences('chain,value\nLTC,abc\n'))).toMatchObject({ messageKey: 'evidence.onchain.unknown_chain', line: 2, column: 1 });
    expect(err(parseOnchainReferences('chain,type,value\nBTC,utxo,abc\n'))).toMatchObject({ messageKey: 'evidence.onchain.unknown_kind', line: 2, column: 5 });
  });

  it('reads JSON: strings (with prefixes) and objects', () => {
    const r = ok(
      parseOnchainReferences(
        `[\n  "TRON:${GENESIS_TX}",\n  {"chain": "BTC", "hash": "${GENESIS_TX}", "memo": "genesis"},\n  "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"\n]`,
      ),
    );
    expect(r.source).toBe('json');
    expect(r.records).toEqual([
      { seq: 1, line: 2, chain: 'TRON', kind: 'tx', value: GENESIS_TX },
      { seq: 2, line: 3, chain: 'BTC', kind: 'tx', value: GENESIS_TX, note: 'genesis' },
      { seq: 3, line: 4, chain: 'ETH', kind: 'address', value: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed' },
    ]);
    expect(err(parseOnchainReferences('[\n  "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u"\n]'))).toMatchObject({ messageKey: 'evidence.onchain.bad_checksum', line: 2, column: 3 });
    expect(err(parseOnchainReferences('[\n  "TRON:TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj60"\n]'))).toMatchObject({ messageKey: 'evidence.onchain.bad_character', line: 2, column: 42 });
    expect(err(parseOnchainReferences('["a" "b"]'))).toMatchObject({ messageKey: 'evidence.json.unexpected_token', line: 1, column: 6 });
  });
});
