import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TlsProbeSpec } from '../../src/domain/monitor.js';
import { createTlsProbe } from '../../src/probes/tls.js';
import type { ProbeOutcome } from '../../src/probes/types.js';
import { testCertificates, type KeyAndCert } from '../support/certs.js';
import { closedPort, startTcpServer, startTlsServer } from '../support/loopback-servers.js';
import { runProbeTrustingCa } from '../support/trusted-probe.js';
import { assertFailure, assertOk, assertPlausiblePhases, detailsOf } from './helpers.js';

const probe = createTlsProbe();
const certs = testCertificates();

const spec = (port: number, extra: Partial<TlsProbeSpec> = {}): TlsProbeSpec => ({ type: 'tls', host: '127.0.0.1', port, expect: {}, ...extra });

async function againstTlsServer(
  certificate: KeyAndCert,
  run: (port: number, servernames: string[]) => Promise<void>,
): Promise<void> {
  const servernames: string[] = [];
  const server = await startTlsServer(certificate, { onServername: (name) => servernames.push(name) });
  try {
    await run(server.port, servernames);
  } finally {
    await server.close();
  }
}

function assertCertificateFacts(outcome: ProbeOutcome, commonName: string): void {
  const details = detailsOf(outcome, 'tls') as unknown as Record<string, unknown>;
  assert.match(details.subject as string, new RegExp(`CN=${commonName.replace(/\./g, '\\.')}`));
  assert.equal(typeof details.issuer, 'string');
  assert.ok(Array.isArray(details.sans));
  assert.ok(!Number.isNaN(Date.parse(details.notBefore as string)) && (details.notBefore as string).endsWith('Z'));
  assert.ok(!Number.isNaN(Date.parse(details.notAfter as string)) && (details.notAfter as string).endsWith('Z'));
  assert.equal(typeof details.daysRemaining, 'number');
  assert.match(details.fingerprintSha256 as string, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  assert.match(details.serialNumber as string, /^[0-9A-F]+$/);
  assert.match(details.protocol as string, /^TLSv1\.[23]$/);
  assert.equal(typeof details.cipher, 'string');
  assert.equal(typeof details.chainVerified, 'boolean');
}

describe('tls probe (test CA not trusted)', () => {
  it('reports certificate facts for an untrusted but otherwise valid leaf', () =>
    againstTlsServer(certs.valid, async (port) => {
      const outcome = await probe.run(spec(port), { timeoutMs: 800 });
      assertFailure(outcome, 'tls_cert_untrusted');
      assertCertificateFacts(outcome, 'localhost');
      assert.deepEqual(detailsOf(outcome, 'tls').sans, ['localhost', '127.0.0.1']);
      assert.match(detailsOf(outcome, 'tls').issuer as string, /CN=Candor Test CA/);
      assert.equal(detailsOf(outcome, 'tls').chainVerified, false);
      assert.equal(detailsOf(outcome, 'tls').hostnameVerified, true);
      assert.equal(typeof detailsOf(outcome, 'tls').verifyError, 'string');
      assert.ok((detailsOf(outcome, 'tls').daysRemaining as number) >= 88 && (detailsOf(outcome, 'tls').daysRemaining as number) <= 90);
      assert.equal(outcome.peerAddress, '127.0.0.1');
      assertPlausiblePhases(outcome, ['connect', 'tls'], ['dns', 'ttfb']);
    }));

  const table: { name: string; certificate: KeyAndCert; kind: string; hostnameVerified: boolean }[] = [
    { name: 'self-signed', certificate: certs.selfSigned, kind: 'tls_cert_untrusted', hostnameVerified: true },
    { name: 'expired', certificate: certs.expired, kind: 'tls_cert_expired', hostnameVerified: true },
    { name: 'not yet valid', certificate: certs.notYetValid, kind: 'tls_cert_not_yet_valid', hostnameVerified: true },
    { name: 'wrong host (chain error reported first)', certificate: certs.wrongHost, kind: 'tls_cert_untrusted', hostnameVerified: false },
  ];
  for (const row of table) {
    it(`${row.name} -> ${row.kind}`, () =>
      againstTlsServer(row.certificate, async (port) => {
        const outcome = await probe.run(spec(port), { timeoutMs: 800 });
        assertFailure(outcome, row.kind);
        assertCertificateFacts(outcome, row.certificate === certs.wrongHost ? 'wrong.example.test' : 'localhost');
        assert.equal(detailsOf(outcome, 'tls').hostnameVerified, row.hostnameVerified);
      }));
  }

  it('expired certificate has negative daysRemaining', () =>
    againstTlsServer(certs.expired, async (port) => {
      const outcome = await probe.run(spec(port), { timeoutMs: 800 });
      assert.ok((detailsOf(outcome, 'tls').daysRemaining as number) < 0);
    }));

  it('sends SNI for a host name (localhost) and none for an IP literal', () =>
    againstTlsServer(certs.valid, async (port, servernames) => {
      const byName = await probe.run(spec(port, { host: 'localhost' }), { timeoutMs: 800 });
      assertPlausiblePhases(byName, ['dns', 'connect', 'tls']);
      await probe.run(spec(port), { timeoutMs: 800 });
      await probe.run(spec(port, { servername: 'api.example.test' }), { timeoutMs: 800 });
      assert.deepEqual(servernames, ['localhost', 'api.example.test']);
    }));

  it('refused port', async () => {
    assertFailure(await probe.run(spec(await closedPort()), { timeoutMs: 800 }), 'connect_refused');
  });

  it('server that accepts but never handshakes times out within the bound', async () => {
    const server = await startTcpServer((socket) => socket.resume());
    try {
      const outcome = await probe.run(spec(server.port), { timeoutMs: 300 });
      assertFailure(outcome, 'timeout', 'in the TLS handshake');
      assert.ok(outcome.phases.total >= 290 && outcome.phases.total < 1_000);
      assert.equal(outcome.peerAddress, '127.0.0.1');
    } finally {
      await server.close();
    }
  });

  it('plain-text server is a handshake failure', async () => {
    const server = await startTcpServer((socket) => socket.once('data', () => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n')));
    try {
      assertFailure(await probe.run(spec(server.port), { timeoutMs: 800 }), 'tls_handshake');
    } finally {
      await server.close();
    }
  });

  it('reset during the handshake is a handshake failure', async () => {
    const server = await startTcpServer((socket) => socket.once('data', () => socket.resetAndDestroy()));
    try {
      assertFailure(await probe.run(spec(server.port), { timeoutMs: 800 }), 'tls_handshake');
    } finally {
      await server.close();
    }
  });
});

describe('tls probe with the test CA trusted (child process, NODE_EXTRA_CA_CERTS)', () => {
  const table: { name: string; certificate: KeyAndCert; extra?: Partial<TlsProbeSpec>; kind?: string; message?: string }[] = [
    { name: 'valid leaf verifies', certificate: certs.valid, extra: { expect: { minDaysValid: 14 } } },
    { name: 'valid leaf by host name', certificate: certs.valid, extra: { host: 'localhost' } },
    { name: 'hostname mismatch', certificate: certs.wrongHost, kind: 'tls_hostname_mismatch', message: '127.0.0.1' },
    { name: 'SNI name not covered', certificate: certs.valid, extra: { servername: 'api.example.test' }, kind: 'tls_hostname_mismatch' },
    { name: 'expiring soon', certificate: certs.expiringSoon, extra: { expect: { minDaysValid: 14 } }, kind: 'assertion_failed', message: 'certificate expires in 3 days, expected at least 14' },
    { name: 'expired', certificate: certs.expired, kind: 'tls_cert_expired' },
  ];
  for (const row of table) {
    it(`${row.name} -> ${row.kind ?? 'ok'}`, () =>
      againstTlsServer(row.certificate, async (port) => {
        const outcome = await runProbeTrustingCa(certs.ca.certPem, spec(port, row.extra), 1_500);
        if (row.kind) assertFailure(outcome, row.kind, row.message);
        else {
          assertOk(outcome);
          assert.equal(detailsOf(outcome, 'tls').chainVerified, true);
          assert.equal(detailsOf(outcome, 'tls').hostnameVerified, true);
          assert.equal(detailsOf(outcome, 'tls').verifyError, undefined);
        }
      }));
  }
});
