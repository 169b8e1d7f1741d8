// The provenance probe against loopback servers only: a scripted DNS server, HTTPS sites on 127.0.0.2
// and 127.0.0.3 with certificates made at test time by two test CAs, and the fixture IP database.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';
import { X509Certificate } from 'node:crypto';
import dgram from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { observeProvenance, traceProvenance, type ProvenanceRequest } from '../../src/provenance/probe.js';
import { certificateFromNewCa, type KeyAndCert } from '../support/certs.js';
import { startDnsServer, type RunningDnsServer } from '../support/dns-server.js';
import { EXAMPLE_NET_A, EXAMPLE_NET_B, fixtureIpDb } from '../support/ipdb-fixture.js';
import { closedPort } from '../support/loopback-servers.js';
import { startLoopbackSite, type LoopbackSite } from '../support/provenance-servers.js';

const NAMES = { dns: ['www.example.test', 'a.example.test', 'b.example.test'], ips: ['127.0.0.2', '127.0.0.3'] };

/** What `openssl x509 -fingerprint -sha256` prints for the certificate, after the "=". */
function opensslFingerprint(certificate: KeyAndCert, dir: string): string {
  const file = join(dir, `cert-${Math.random().toString(16).slice(2)}.pem`);
  writeFileSync(file, certificate.certPem);
  const printed = execFileSync('openssl', ['x509', '-noout', '-fingerprint', '-sha256', '-in', file], { encoding: 'utf8' }).trim();
  assert.match(printed, /^sha256 Fingerprint=/i);
  return printed.slice(printed.indexOf('=') + 1);
}

describe('observeProvenance', () => {
  const ipdb = fixtureIpDb();
  const caA = certificateFromNewCa('Candor Test CA A', NAMES);
  const caB = certificateFromNewCa('Candor Test CA B', NAMES);
  let dir: string;
  let dns: RunningDnsServer;
  let siteA: LoopbackSite;
  let siteB: LoopbackSite;
  let refused: number;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'candor-provenance-'));
    siteA = await startLoopbackSite('127.0.0.2', { certificate: caA.leaf, chain: [caA.ca], headers: { 'cf-ray': '8f1c2d3e4a5b6c7d-AMS', server: 'cloudflare' } });
    siteB = await startLoopbackSite('127.0.0.3', { certificate: caB.leaf, chain: [caB.ca], headers: { 'x-served-by': 'cache-ams21080-AMS' } });
    refused = await closedPort();
    dns = await startDnsServer({
      'www.example.test': { records: [{ type: 'CNAME', ttl: 600, data: 'edge.example.test' }] },
      'edge.example.test': { records: [{ type: 'A', ttl: 300, data: '127.0.0.2' }] },
      'b.example.test': { records: [{ type: 'A', ttl: 60, data: '127.0.0.3' }] },
      'servfail.example.test': { rcode: 'SERVFAIL' },
      'silent.example.test': { silent: true },
      'empty.example.test': { records: [{ type: 'TXT', ttl: 60, data: ['no address'] }] },
      'loop1.example.test': { records: [{ type: 'CNAME', ttl: 60, data: 'loop2.example.test' }] },
      'loop2.example.test': { records: [{ type: 'CNAME', ttl: 60, data: 'loop1.example.test' }] },
    });
  });
  after(async () => {
    await Promise.all([siteA.close(), siteB.close(), dns.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const request = (host: string, port: number, extra: Partial<ProvenanceRequest> = {}): ProvenanceRequest => ({
    host,
    port,
    resolver: `${dns.host}:${dns.port}`,
    timeoutMs: 2_000,
    ipdb,
    ...extra,
  });

  it('follows the CNAME chain, connects, reads the certificate and its issuer, and names the network and the CDN', async () => {
    const trace = await traceProvenance(request('www.example.test', siteA.port, { requestHeaders: true }));
    const snapshot = trace.snapshot;
    assert.equal(snapshot.error, undefined, JSON.stringify(snapshot.error));
    assert.equal(snapshot.host, 'www.example.test');
    assert.equal(snapshot.resolver, `127.0.0.1:${dns.port}`);
    assert.deepEqual(snapshot.cnames, ['edge.example.test']);
    assert.deepEqual(snapshot.addresses, [{ address: '127.0.0.2', family: 4, ttl: 300 }]);
    assert.equal(snapshot.connectedAddress, '127.0.0.2');
    assert.deepEqual(snapshot.networks, [{ address: '127.0.0.2', ...EXAMPLE_NET_A }]);
    const certificate = snapshot.certificate!;
    assert.match(certificate.subject, /CN=www\.example\.test/);
    assert.match(certificate.issuer, /CN=Candor Test CA A/);
    assert.deepEqual(certificate.sans, ['www.example.test', 'a.example.test', 'b.example.test', '127.0.0.2', '127.0.0.3']);
    assert.equal(certificate.validFrom, new Date(new X509Certificate(caA.leaf.certPem).validFrom).toISOString());
    assert.equal(certificate.fingerprint256, new X509Certificate(caA.leaf.certPem).fingerprint256);
    assert.equal(certificate.issuerFingerprint256, new X509Certificate(caA.ca.certPem).fingerprint256);
    assert.deepEqual(snapshot.cdns, ['Cloudflare']);
    assert.deepEqual(trace.hints.map((hint) => hint.evidence), ['cf-ray: 8f1c2d3e4a5b6c7d-AMS']);
  });

  it('prints fingerprints exactly as openssl x509 -fingerprint -sha256 does, for the leaf and its issuer', async () => {
    const snapshot = await observeProvenance(request('www.example.test', siteA.port));
    assert.equal(snapshot.certificate?.fingerprint256, opensslFingerprint(caA.leaf, dir));
    assert.equal(snapshot.certificate?.issuerFingerprint256, opensslFingerprint(caA.ca, dir));
    assert.match(snapshot.certificate!.fingerprint256, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });

  it('certificates from two test CAs: the issuer and its fingerprint differ, and so do the networks', async () => {
    const a = await observeProvenance(request('www.example.test', siteA.port, { requestHeaders: true }));
    const b = await observeProvenance(request('b.example.test', siteB.port, { requestHeaders: true }));
    assert.match(b.certificate!.issuer, /CN=Candor Test CA B/);
    assert.notEqual(a.certificate!.issuerFingerprint256, b.certificate!.issuerFingerprint256);
    assert.equal(b.certificate!.issuerFingerprint256, opensslFingerprint(caB.ca, dir));
    assert.notEqual(a.certificate!.fingerprint256, b.certificate!.fingerprint256);
    assert.deepEqual(b.networks, [{ address: '127.0.0.3', ...EXAMPLE_NET_B }]);
    assert.deepEqual(b.cnames, []);
    assert.deepEqual(b.cdns, ['Fastly']);
  });

  it('takes CDN hints from the headers the caller already has, without a request', async () => {
    const snapshot = await observeProvenance(request('b.example.test', siteB.port, { headers: { 'x-amz-cf-pop': 'AMS58-P3' }, requestHeaders: true }));
    assert.deepEqual(snapshot.cdns, ['Amazon CloudFront']);
  });

  it('an IP literal needs no resolver', async () => {
    const snapshot = await observeProvenance({ host: '127.0.0.3', port: siteB.port, timeoutMs: 2_000, ipdb, systemResolvers: () => [] });
    assert.equal(snapshot.error, undefined);
    assert.equal(snapshot.resolver, undefined);
    assert.deepEqual(snapshot.addresses, [{ address: '127.0.0.3', family: 4, ttl: 0 }]);
    assert.equal(snapshot.connectedAddress, '127.0.0.3');
    assert.deepEqual(snapshot.networks, [{ address: '127.0.0.3', ...EXAMPLE_NET_B }]);
  });

  it('plain TCP: the address answered, no certificate', async () => {
    const snapshot = await observeProvenance(request('b.example.test', siteB.port, { tls: false }));
    assert.equal(snapshot.connectedAddress, '127.0.0.3');
    assert.equal(snapshot.certificate, undefined);
    assert.equal(snapshot.error, undefined);
  });

  const failures: { name: string; host: string; kind: string; message?: RegExp; timeoutMs?: number }[] = [
    { name: 'a name that does not exist', host: 'nothing.example.test', kind: 'dns_nxdomain', message: /NXDOMAIN for nothing\.example\.test A/ },
    { name: 'a resolver that fails', host: 'servfail.example.test', kind: 'dns_servfail' },
    { name: 'a resolver that never answers', host: 'silent.example.test', kind: 'dns_timeout', timeoutMs: 300 },
    { name: 'a name with no address', host: 'empty.example.test', kind: 'dns_no_answer' },
    { name: 'a CNAME loop', host: 'loop1.example.test', kind: 'dns_error', message: /more than 8 CNAMEs/ },
  ];
  for (const failure of failures) {
    it(`${failure.name}: ${failure.kind}, recorded, not thrown`, async () => {
      const snapshot = await observeProvenance(request(failure.host, siteA.port, failure.timeoutMs ? { timeoutMs: failure.timeoutMs } : {}));
      assert.equal(snapshot.error?.kind, failure.kind, JSON.stringify(snapshot.error));
      if (failure.message) assert.match(snapshot.error!.message, failure.message);
      assert.deepEqual(snapshot.addresses, []);
      assert.equal(snapshot.connectedAddress, undefined);
      assert.deepEqual(snapshot.networks, []);
    });
  }

  it('a resolver that answers garbage: dns_error saying so', async () => {
    const garbage = dgram.createSocket('udp4');
    garbage.on('message', (_message, remote) => garbage.send(Buffer.from('\u0000\u0001not dns at all\uffff'), remote.port, remote.address));
    await new Promise<void>((resolve) => garbage.bind(0, '127.0.0.1', resolve));
    try {
      const snapshot = await observeProvenance(request('www.example.test', siteA.port, { resolver: `127.0.0.1:${garbage.address().port}`, timeoutMs: 300 }));
      assert.equal(snapshot.error?.kind, 'dns_error');
      assert.match(snapshot.error!.message, /not a reply/);
    } finally {
      garbage.close();
    }
  });

  it('nothing listening: connect_refused, with the addresses and their networks still recorded', async () => {
    const snapshot = await observeProvenance(request('b.example.test', refused));
    assert.equal(snapshot.error?.kind, 'connect_refused');
    assert.deepEqual(snapshot.addresses, [{ address: '127.0.0.3', family: 4, ttl: 60 }]);
    assert.equal(snapshot.connectedAddress, undefined);
    assert.deepEqual(snapshot.networks, [{ address: '127.0.0.3', ...EXAMPLE_NET_B }]);
  });

  it('a server that is not TLS: the address answered, tls_handshake', async () => {
    const plain = await startLoopbackSite('127.0.0.2', {});
    try {
      const snapshot = await observeProvenance(request('www.example.test', plain.port));
      assert.equal(snapshot.connectedAddress, '127.0.0.2');
      assert.equal(snapshot.error?.kind, 'tls_handshake');
      assert.equal(snapshot.certificate, undefined);
    } finally {
      await plain.close();
    }
  });

  it('megabytes of response headers: no hints, no crash, the certificate kept', async () => {
    const server = tls.createServer({ key: caA.leaf.keyPem, cert: caA.leaf.certPem + caA.ca.certPem }, (socket) => {
      socket.on('error', () => socket.destroy());
      socket.write('HTTP/1.1 200 OK\r\n');
      const line = `X-Junk: ${'\u00ff\u0001'.repeat(2000)}\r\n`;
      for (let i = 0; i < 500; i++) socket.write(line);
      socket.end('cf-ray: 1-AMS\r\n\r\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.2', resolve));
    try {
      const trace = await traceProvenance(request('www.example.test', (server.address() as net.AddressInfo).port, { requestHeaders: true }));
      assert.equal(trace.snapshot.error, undefined);
      assert.ok(trace.snapshot.certificate);
      assert.deepEqual(trace.snapshot.cdns, []);
      assert.equal(trace.headersFailure?.kind, 'http_protocol');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('a certificate with odd fields (no subject, no names, ends before it starts, self-signed): recorded as it is', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const key = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
    const cert = forge.pki.createCertificate();
    cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
    cert.serialNumber = '00';
    cert.validity.notBefore = new Date('2030-01-01T00:00:00Z');
    cert.validity.notAfter = new Date('2001-01-01T00:00:00Z');
    cert.setSubject([]);
    cert.setIssuer([]);
    cert.sign(key, forge.md.sha256.create());
    const odd = { keyPem, certPem: forge.pki.certificateToPem(cert) };
    const site = await startLoopbackSite('127.0.0.2', { certificate: odd });
    try {
      const snapshot = await observeProvenance(request('www.example.test', site.port));
      assert.equal(snapshot.error, undefined, JSON.stringify(snapshot.error));
      assert.equal(snapshot.certificate?.subject, '');
      assert.deepEqual(snapshot.certificate?.sans, []);
      assert.equal(snapshot.certificate?.validFrom, '2030-01-01T00:00:00.000Z');
      assert.equal(snapshot.certificate?.validTo, '2001-01-01T00:00:00.000Z');
      assert.equal(snapshot.certificate?.fingerprint256, opensslFingerprint(odd, dir));
    } finally {
      await site.close();
    }
  });

  it('an odd resolver address is recorded as dns_error', async () => {
    const snapshot = await observeProvenance(request('www.example.test', siteA.port, { resolver: 'not-an-address' }));
    assert.equal(snapshot.error?.kind, 'dns_error');
  });
});
