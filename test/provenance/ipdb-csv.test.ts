import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { IpDbError, AsOrganisations, countryText, readAsnCsv, readCountryCsv } from '../../src/provenance/ipdb-csv.js';
import { findIpv4Range, findRange } from '../../src/provenance/range-table.js';

const csv = (text: string): Buffer => Buffer.from(text, 'utf8');

describe('readAsnCsv', () => {
  it('reads numeric and dotted IPv4 bounds, quoted organisations and CRLF line ends', () => {
    const pool = new AsOrganisations();
    const ranges = readAsnCsv(
      csv('16777216,16777471,13335,"Cloudflare, Inc."\r\n1.0.4.0,1.0.7.255,38803,Gtelecom Pty Ltd\r\n35309568,35313663,201907,"LLC ""SPUTNIK"""\n\n2130706434,2130706434,64500,Réseau ­ Exemple\n'),
      4,
      'asn.csv',
      pool,
    );
    assert.equal(ranges.table.count, 4);
    const at = (address: number) => {
      const index = findIpv4Range(ranges.table, address);
      return index < 0 ? undefined : `${pool.asnAt(ranges.systems[index]!)} ${pool.nameAt(ranges.systems[index]!)}`;
    };
    assert.equal(at(16777216 + 1), '13335 Cloudflare, Inc.');
    assert.equal(at(16778240), '38803 Gtelecom Pty Ltd');
    assert.equal(at(35309568), '201907 LLC "SPUTNIK"');
    assert.equal(at(2130706434), '64500 Réseau ­ Exemple');
    assert.equal(at(16777472), undefined);
  });

  it('keeps one name per AS, the first the file gives', () => {
    const pool = new AsOrganisations();
    readAsnCsv(csv('1,1,7,Same\n2,2,7,Same\n3,3,8,"Same"\n4,4,7,Other\n'), 4, 'asn.csv', pool);
    assert.equal(pool.size, 2);
    assert.equal(pool.nameOf(7), 'Same');
    assert.equal(pool.nameOf(8), 'Same');
    assert.equal(pool.nameOf(9), undefined);
  });

  it('reads IPv6 ranges', () => {
    const pool = new AsOrganisations();
    const ranges = readAsnCsv(csv('2001::,2001::ffff:ffff:ffff:ffff:ffff:ffff,6939,Hurricane Electric LLC\n2c0f:e9a0:2:0:0:0:2a::,2c0f:e9a0:2::2a:ffff,64500,X\n'), 6, 'asn6.csv', pool);
    assert.equal(ranges.table.count, 2);
    assert.equal(pool.asnAt(ranges.systems[findRange(ranges.table, [0x20010000, 0, 0, 1])]!), 6939);
    assert.equal(pool.asnAt(ranges.systems[findRange(ranges.table, [0x2c0fe9a0, 0x00020000, 0, 0x002a0001])]!), 64500);
  });

  const malformed: [string, string][] = [
    ['1,2\n', 'asn.csv:1: expected start,end,... with at least three fields'],
    ['1,2,3,A\nx,2,3,A\n', 'asn.csv:2: start is not an IPv4 address'],
    ['1,99999999999,3,A\n', 'asn.csv:1: end is not an IPv4 address'],
    ['1,2,,A\n', 'asn.csv:1: expected an AS number and an organisation after the range'],
    ['1,2,3\n', 'asn.csv:1: expected an AS number and an organisation after the range'],
    ['1,2,3x,A\n', 'asn.csv:1: the AS number is not a number'],
    ['1,2,9999999999,A\n', 'asn.csv:1: the AS number is above 4294967295'],
    ['1,2,3,"A\n', 'asn.csv:1: the quoted organisation has no closing quote'],
    ['5,4,3,A\n', 'asn.csv:1: range ends before it starts'],
    ['5,6,3,A\n1,2,3,A\n', 'asn.csv:2: range starts before the previous one (the file must be sorted by start)'],
  ];
  for (const [text, message] of malformed) {
    it(`refuses ${JSON.stringify(text)} with file and line`, () => {
      assert.throws(
        () => readAsnCsv(csv(text), 4, 'asn.csv', new AsOrganisations()),
        (error: unknown) => error instanceof IpDbError && error.code === 'ipdb_malformed' && error.message === message,
      );
    });
  }

  it('survives junk bytes as a malformed file, not a crash', () => {
    const junk = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
    assert.throws(() => readAsnCsv(junk, 6, 'junk.csv', new AsOrganisations()), IpDbError);
    assert.throws(() => readCountryCsv(junk, 4, 'junk.csv'), IpDbError);
  });
});

describe('readCountryCsv', () => {
  it('reads two-letter codes in either case', () => {
    const ranges = readCountryCsv(csv('1,10,nl\n11,20,US\n'), 4, 'country.csv');
    assert.equal(countryText(ranges.countries[findIpv4Range(ranges.table, 5)]!), 'NL');
    assert.equal(countryText(ranges.countries[findIpv4Range(ranges.table, 20)]!), 'US');
  });

  for (const bad of ['1,2,USA\n', '1,2,U\n', '1,2,1A\n', '1,2,\n']) {
    it(`refuses ${JSON.stringify(bad)}`, () => {
      assert.throws(() => readCountryCsv(csv(bad), 4, 'country.csv'), /country\.csv:1: expected a two-letter country code/);
    });
  }
});
