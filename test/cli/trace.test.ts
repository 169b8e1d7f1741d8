// `candor trace` and `candor ipdb` as a user runs them: real processes, a loopback DNS server, an HTTPS
// site on 127.0.0.2 with a certificate made at test time, the fixture IP database.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCandor } from '../support/candor-process.js';
import { certificateFromNewCa } from '../support/certs.js';
import { startDnsServer, type RunningDnsServer } from '../support/dns-server.js';
import { FIXTURE_IPDB_DIR } from '../support/ipdb-fixture.js';
import { closedPort } from '../support/loopback-servers.js';
import { startLoopbackSite, type LoopbackSite } from '../support/provenance-servers.js';

describe('candor trace', () => {
  const { ca, leaf } = certificateFromNewCa('Candor Trace CA', { dns: ['www.example.test'], ips: [] });
  let dir: string;
  let dns: RunningDnsServer;
  let site: LoopbackSite;
  let opensslLeaf: string;
  let opensslIssuer: string;

  const openssl = (pem: string, name: string): string => {
    const file = join(dir, name);
    writeFileSync(file, pem);
    const printed = execFileSync('openssl', ['x509', '-noout', '-fingerprint', '-sha256', '-in', file], { encoding: 'utf8' }).trim();
    return printed.slice(printed.indexOf('=') + 1);
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'candor-trace-'));
    opensslLeaf = openssl(leaf.certPem, 'leaf.pem');
    opensslIssuer = openssl(ca.certPem, 'ca.pem');
    site = await startLoopbackSite('127.0.0.2', { certificate: leaf, chain: [ca], headers: { 'x-vercel-id': 'ams1::abc' } });
    dns = await startDnsServer({
      'www.example.test': { records: [{ type: 'CNAME', ttl: 600, data: 'edge.example.test' }] },
      'edge.example.test': { records: [{ type: 'A', ttl: 300, data: '127.0.0.2' }] },
    });
  });
  after(async () => {
    await Promise.all([site.close(), dns.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const base = (): string[] => ['--resolver', `${dns.host}:${dns.port}`, '--ipdb', FIXTURE_IPDB_DIR, '--timeout', '3s'];

  it('prints the chain, the network, the certificate with the fingerprint openssl prints, and the CDN; exit 0', async () => {
    const run = await runCandor(['trace', 'www.example.test', '--port', String(site.port), ...base()]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /resolution +www\.example\.test → edge\.example\.test/);
    assert.match(run.stdout, /addresses +127\.0\.0\.2 +A +ttl 300s/);
    assert.match(run.stdout, /networks +127\.0\.0\.2 +AS64500 +Example Net A +NL/);
    assert.match(run.stdout, /connected +127\.0\.0\.2/);
    assert.match(run.stdout, /issuer +CN=Candor Trace CA/);
    const lines = run.stdout.split('\n').map((line) => line.trim().split(/ {2,}/));
    assert.ok(lines.some(([label, value]) => label === 'sha256' && value === opensslLeaf), run.stdout);
    assert.ok(lines.some(([label, value]) => label === 'issuer sha256' && value === opensslIssuer), run.stdout);
    assert.match(run.stdout, /cdn +Vercel \(x-vercel-id: ams1::abc\)/);
  });

  it('--json prints the snapshot', async () => {
    const run = await runCandor(['trace', `https://www.example.test:${site.port}/some/path`, '--json', ...base()]);
    assert.equal(run.code, 0, run.stderr);
    const snapshot = JSON.parse(run.stdout) as Record<string, unknown> & { certificate: { fingerprint256: string; issuerFingerprint256: string } };
    assert.equal(snapshot['host'], 'www.example.test');
    assert.equal(snapshot['port'], site.port);
    assert.deepEqual(snapshot['cnames'], ['edge.example.test']);
    assert.deepEqual(snapshot['networks'], [{ address: '127.0.0.2', asn: 64500, org: 'Example Net A', country: 'NL' }]);
    assert.equal(snapshot.certificate.fingerprint256, opensslLeaf);
    assert.equal(snapshot.certificate.issuerFingerprint256, opensslIssuer);
    assert.deepEqual(snapshot['cdns'], ['Vercel']);
  });

  it('a name that does not resolve: exit 1, with the reason', async () => {
    const run = await runCandor(['trace', 'nothing.example.test', '--port', String(site.port), ...base()]);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /error +dns_nxdomain: NXDOMAIN/);
  });

  it('nothing answers: exit 1', async () => {
    const run = await runCandor(['trace', 'www.example.test', '--port', String(await closedPort()), ...base()]);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /connected +\(nothing answered\)/);
    assert.match(run.stdout, /error +connect_refused/);
  });

  const usage: [string[], RegExp][] = [
    [['trace', 'not a host!'], /is not a host name, an IP address or a URL/],
    [['trace', 'www.example.test', '--port', '70000'], /--port must be a whole number from 1 to 65535/],
    [['trace', 'www.example.test', '--resolver', 'dns.example'], /--resolver must be IP or IP:PORT/],
    [['trace', 'www.example.test', '--timeout', 'soon'], /--timeout must be a duration/],
    [['trace', 'www.example.test', '--ipdb', '/nonexistent-ipdb'], /--ipdb: .*asn-ipv4-num\.csv/],
    [['trace'], /missing required argument/],
  ];
  for (const [args, message] of usage) {
    it(`usage error: ${args.slice(1).join(' ') || '(no host)'} exits 2`, async () => {
      const run = await runCandor(args);
      assert.equal(run.code, 2, run.stdout + run.stderr);
      assert.match(run.stderr, message);
    });
  }
});

describe('candor ipdb', () => {
  it('info prints the date and the range counts', async () => {
    const run = await runCandor(['ipdb', 'info', '--ipdb', FIXTURE_IPDB_DIR]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^date +2026-01-01$/m);
    assert.match(run.stdout, /^IPv4 ranges +3$/m);
    assert.match(run.stdout, /^IPv6 ranges +2$/m);
    assert.match(run.stdout, /CC BY 4\.0/);
  });

  it('info on the installed database', async () => {
    const run = await runCandor(['ipdb', 'info', '--json']);
    assert.equal(run.code, 0, run.stderr);
    const info = JSON.parse(run.stdout) as { date: string; ipv4Ranges: number; ipv6Ranges: number };
    assert.match(info.date, /^\d{4}-\d{2}-\d{2}$/);
    assert.ok(info.ipv4Ranges > 100_000 && info.ipv6Ranges > 10_000);
  });

  const lookups: { args: string[]; code: number; out?: RegExp; err?: RegExp }[] = [
    { args: ['127.0.0.3'], code: 0, out: /asn +AS64501\norg +Example Net B\ncountry +US/ },
    { args: ['127.0.0.4'], code: 0, out: /org +Example "Quoted" Net C\ncountry +\(unknown\)/ },
    { args: ['127.0.0.9'], code: 1, err: /not in the database/ },
    { args: ['999.1.1.1'], code: 2, err: /is not an IP address/ },
    { args: ['127.0.0.2', '--json'], code: 0, out: /"asn": 64500/ },
  ];
  for (const row of lookups) {
    it(`lookup ${row.args.join(' ')} exits ${row.code}`, async () => {
      const run = await runCandor(['ipdb', 'lookup', ...row.args, '--ipdb', FIXTURE_IPDB_DIR]);
      assert.equal(run.code, row.code, run.stdout + run.stderr);
      if (row.out) assert.match(run.stdout, row.out);
      if (row.err) assert.match(run.stderr, row.err);
    });
  }

  it('lookup in the installed database: 8.8.8.8 is Google', async () => {
    const run = await runCandor(['ipdb', 'lookup', '8.8.8.8']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /asn +AS15169\norg +Google LLC\ncountry +US/);
  });
});
