import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseAddressInto, parseIpv4, parseIpv6 } from '../../src/provenance/ip-address.js';

const bytes = (text: string): Uint8Array => Buffer.from(text, 'latin1');

function v4(text: string): number {
  return parseIpv4(bytes(text), 0, text.length);
}

function v6(text: string): string | undefined {
  const out = new Uint32Array(4);
  if (!parseIpv6(bytes(text), 0, text.length, out, 0)) return undefined;
  return [...out].map((word) => word.toString(16).padStart(8, '0')).join(' ');
}

describe('parseIpv4', () => {
  const table: [string, number][] = [
    ['0.0.0.0', 0],
    ['1.2.3.4', 0x01020304],
    ['127.0.0.2', 2130706434],
    ['255.255.255.255', 0xffffffff],
    ['256.0.0.0', -1],
    ['1.2.3', -1],
    ['1.2.3.4.5', -1],
    ['1..3.4', -1],
    ['01.2.3.4', -1],
    ['1.2.3.4 ', -1],
    ['', -1],
    ['a.b.c.d', -1],
    ['1.2.3.', -1],
  ];
  for (const [text, expected] of table) it(`${JSON.stringify(text)} -> ${expected}`, () => assert.equal(v4(text), expected));
});

describe('parseIpv6', () => {
  const table: [string, string | undefined][] = [
    ['::', '00000000 00000000 00000000 00000000'],
    ['::1', '00000000 00000000 00000000 00000001'],
    ['::2', '00000000 00000000 00000000 00000002'],
    ['2001:db8::', '20010db8 00000000 00000000 00000000'],
    ['2001:DB8::FFFF', '20010db8 00000000 00000000 0000ffff'],
    ['2606:4700:4700::1111', '26064700 47000000 00000000 00001111'],
    ['1:2:3:4:5:6:7:8', '00010002 00030004 00050006 00070008'],
    ['2c0f:e9a0:2:0:0:0:2a::', '2c0fe9a0 00020000 00000000 002a0000'],
    ['1::2:3', '00010000 00000000 00000000 00020003'],
    ['::ffff:1.2.3.4', '00000000 00000000 0000ffff 01020304'],
    ['64:ff9b::192.0.2.33', '0064ff9b 00000000 00000000 c0000221'],
    ['1:2:3:4:5:6:7:8:9', undefined],
    ['1::2::3', undefined],
    [':::', undefined],
    [':1::', undefined],
    ['1:', undefined],
    ['12345::', undefined],
    ['g::', undefined],
    ['1:2:3:4:5:6:7', undefined],
    ['::1.2.3', undefined],
    ['1:2:3:4:5:6:7:1.2.3.4', undefined],
    ['', undefined],
    [':', undefined],
  ];
  for (const [text, expected] of table) it(`${JSON.stringify(text)} -> ${expected ?? 'refused'}`, () => assert.equal(v6(text), expected));

  it('reads back random addresses written in full and compressed forms', () => {
    for (let round = 0; round < 500; round++) {
      const groups = Array.from({ length: 8 }, () => (Math.random() < 0.3 ? 0 : Math.floor(Math.random() * 0x10000)));
      const expected = [0, 2, 4, 6].map((g) => ((groups[g]! * 0x10000 + groups[g + 1]!) >>> 0).toString(16).padStart(8, '0')).join(' ');
      const full = groups.map((group) => group.toString(16)).join(':');
      assert.equal(v6(full), expected, full);
      // Node's URL parser writes the canonical compressed form.
      const compressed = new URL(`http://[${full}]/`).hostname.slice(1, -1);
      assert.equal(v6(compressed), expected, compressed);
    }
  });
});

describe('parseAddressInto', () => {
  const words = new Uint32Array(4);
  const table: [string, 0 | 4 | 6, number?][] = [
    ['8.8.8.8', 4, 0x08080808],
    ['::ffff:8.8.8.8', 4, 0x08080808],
    ['::ffff:808:808', 4, 0x08080808],
    ['2001:db8::1', 6, 0x20010db8],
    ['example.org', 0],
    ['', 0],
    ['1.2.3.4\u00e9', 0],
    ['x'.repeat(100), 0],
    ['[::1]', 0],
  ];
  for (const [text, family, first] of table) {
    it(`${JSON.stringify(text.slice(0, 20))} -> IPv${family}`, () => {
      assert.equal(parseAddressInto(text, words), family);
      if (first !== undefined) assert.equal(words[0], first);
    });
  }
});
