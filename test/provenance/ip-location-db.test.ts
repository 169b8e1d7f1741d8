// The real database, as installed from npm: a few well-known addresses (lookups only; nothing connects).
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IpDbError, loadIpLocationDb } from '../../src/provenance/ip-location-db.js';
import type { IpDb } from '../../src/provenance/ipdb.js';
import { EXAMPLE_NET_A, EXAMPLE_NET_B, FIXTURE_IPDB_DIR, fixtureIpDb } from '../support/ipdb-fixture.js';

describe('the installed IP database (@ip-location-db)', () => {
  let db: IpDb;
  before(() => {
    db = loadIpLocationDb();
  });

  // Organisations that have held these blocks for many years; the registered country is where the
  // network is registered, not where a packet goes (1.1.1.0/24 is registered by APNIC in Australia).
  const table: [string, number, RegExp, string][] = [
    ['1.1.1.1', 13335, /^Cloudflare/, 'AU'],
    ['8.8.8.8', 15169, /^Google/, 'US'],
    ['9.9.9.9', 19281, /^Quad9/, 'US'],
    ['140.82.112.3', 36459, /^GitHub/, 'US'],
    ['151.101.1.69', 54113, /^Fastly/, 'US'],
    ['2606:4700:4700::1111', 13335, /^Cloudflare/, 'US'],
    ['2001:4860:4860::8888', 15169, /^Google/, 'US'],
    ['::ffff:8.8.4.4', 15169, /^Google/, 'US'],
  ];
  for (const [address, asn, org, country] of table) {
    it(`${address} -> AS${asn} ${org.source.slice(1)} ${country}`, () => {
      const info = db.lookup(address);
      assert.ok(info, `no answer for ${address}`);
      assert.equal(info.asn, asn);
      assert.match(info.org, org);
      assert.equal(info.country, country);
    });
  }

  for (const address of ['127.0.0.1', '10.1.2.3', '192.168.0.1', '::1', 'fe80::1', 'example.org', '', '1.2.3.4.5']) {
    it(`${JSON.stringify(address)} is not covered`, () => assert.equal(db.lookup(address), undefined));
  }

  it('says how old it is, how many ranges it holds and whom to credit', () => {
    const info = db.info();
    assert.match(info.date, /^\d{4}-\d{2}-\d{2}$/);
    assert.ok(info.ipv4Ranges > 100_000, `${info.ipv4Ranges} IPv4 ranges`);
    assert.ok(info.ipv6Ranges > 10_000, `${info.ipv6Ranges} IPv6 ranges`);
    assert.match(info.attribution, /CC BY 4\.0/);
    assert.match(info.attribution, /db-ip\.com/);
  });
});

describe('an IP database from a folder (--ipdb DIR)', () => {
  it('the fixture answers the loopback test addresses', () => {
    const db = fixtureIpDb();
    assert.deepEqual(db.lookup('127.0.0.2'), EXAMPLE_NET_A);
    assert.deepEqual(db.lookup('127.0.0.3'), EXAMPLE_NET_B);
    assert.deepEqual(db.lookup('::2'), EXAMPLE_NET_A);
    assert.deepEqual(db.lookup('127.0.0.4'), { asn: 64502, org: 'Example "Quoted" Net C' });
    assert.equal(db.lookup('127.0.0.1'), undefined);
    assert.equal(db.info().date, '2026-01-01');
  });

  it('reads files laid flat in one folder, dated by the files when there is no package.json', () => {
    const dir = mkdtempSync(join(tmpdir(), 'candor-ipdb-'));
    try {
      cpSync(join(FIXTURE_IPDB_DIR, 'asn'), dir, { recursive: true });
      cpSync(join(FIXTURE_IPDB_DIR, 'geo-whois-asn-country'), dir, { recursive: true });
      rmSync(join(dir, 'package.json'));
      const when = new Date('2025-03-04T12:00:00Z');
      for (const name of ['asn-ipv4-num.csv', 'geo-whois-asn-country-ipv4-num.csv']) utimesSync(join(dir, name), when, when);
      const db = loadIpLocationDb({ dir });
      assert.deepEqual(db.lookup('127.0.0.3'), EXAMPLE_NET_B);
      assert.equal(db.info().date, '2025-03-04');
      assert.equal(db.info().source, dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the missing or malformed file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'candor-ipdb-'));
    try {
      assert.throws(() => loadIpLocationDb({ dir }), (error: unknown) => error instanceof IpDbError && error.code === 'ipdb_missing' && error.message.includes('asn-ipv4-num.csv'));
      cpSync(FIXTURE_IPDB_DIR, dir, { recursive: true });
      writeFileSync(join(dir, 'geo-whois-asn-country', 'geo-whois-asn-country-ipv6.csv'), '::2,::2,NL\nnot an address,::3,US\n');
      assert.throws(
        () => loadIpLocationDb({ dir }),
        (error: unknown) => error instanceof IpDbError && error.code === 'ipdb_malformed' && /geo-whois-asn-country-ipv6\.csv:2: start is not an IPv6 address$/.test(error.message),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
