import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import type { HttpProbeSpec } from '../../src/domain/monitor.js';
import { createHttpProbe } from '../../src/probes/http.js';
import { testCertificates, type KeyAndCert } from '../support/certs.js';
import {
  closedPort,
  startHttpServer,
  startHttpsServer,
  startTcpServer,
  type RunningHttpServer,
} from '../support/loopback-servers.js';
import { runProbeTrustingCa } from '../support/trusted-probe.js';
import { assertFailure, assertOk, assertPlausiblePhases, detailsOf } from './helpers.js';
import { RunCancellation } from '../../src/probes/errors.js';

const probe = createHttpProbe();
const TIMEOUT_MS = 800;

function httpSpec(url: string, overrides: Partial<HttpProbeSpec> = {}): HttpProbeSpec {
  return {
    type: 'http',
    url,
    method: 'GET',
    headers: {},
    maxRedirects: 5,
    verifyTls: true,
    maxBodyBytes: 64 * 1024,
    keepHeaders: ['content-type', 'server'],
    expect: { status: [[200, 399]] },
    ...overrides,
  };
}

function pumpForever(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/plain' });
  const chunk = 'y'.repeat(4096);
  const pump = (): void => {
    while (!res.destroyed && res.write(chunk));
    if (!res.destroyed) res.once('drain', pump);
  };
  pump();
}

describe('http probe against a loopback server', () => {
  let server: RunningHttpServer;
  before(async () => {
    server = await startHttpServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      switch (url.pathname) {
        case '/ok':
          res.writeHead(200, { 'content-type': 'application/json', 'x-secret': 'not kept', server: 'loopback' });
          res.end(JSON.stringify({ status: 'ok', items: [{ state: 'up' }] }));
          return;
        case '/repeated':
          // Raw pairs: a field repeated the way proxies and CDNs do.
          res.writeHead(200, ['Content-Type', 'text/plain', 'content-type', 'text/html', 'X-Cache', 'MISS', 'x-cache', 'HIT', 'Server', 'a', 'Server', 'b']);
          res.end('ok');
          return;
        case '/echo': {
          const chunks: Buffer[] = [];
          req.on('data', (chunk: Buffer) => chunks.push(chunk));
          req.on('end', () => {
            res.writeHead(200, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ method: req.method, token: req.headers['x-token'], ua: req.headers['user-agent'], body: Buffer.concat(chunks).toString() }));
          });
          return;
        }
        case '/down':
          res.writeHead(503, { 'content-type': 'text/plain' });
          res.end('maintenance in progress');
          return;
        case '/endless':
          pumpForever(res);
          return;
        case '/hop':
          res.writeHead(302, { location: 'final?from=hop' });
          res.end();
          return;
        case '/final':
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.end(`final ${req.method} ${url.search}`);
          return;
        case '/loop':
          res.writeHead(301, { location: '/loop' });
          res.end();
          return;
        case '/post-redirect':
          res.writeHead(303, { location: '/echo' });
          res.end();
          return;
        case '/slow':
          setTimeout(() => res.end('late'), 150);
          return;
        default:
          res.writeHead(404);
          res.end('not found');
      }
    });
  });
  after(() => server.close());

  it('succeeds with phases, peer address and kept headers only', async () => {
    const outcome = await probe.run(httpSpec(`${server.url}/ok`), { timeoutMs: TIMEOUT_MS });
    assertOk(outcome);
    assert.equal(outcome.peerAddress, '127.0.0.1');
    assertPlausiblePhases(outcome, ['connect', 'ttfb'], ['dns', 'tls']);
    assert.deepEqual(detailsOf(outcome, 'http').headers, { 'content-type': 'application/json', server: 'loopback' });
    assert.equal(detailsOf(outcome, 'http').status, 200);
    assert.equal(detailsOf(outcome, 'http').httpVersion, '1.1');
    assert.equal(detailsOf(outcome, 'http').bodyTruncated, false);
    assert.equal(detailsOf(outcome, 'http').bodyBytes, Buffer.byteLength(JSON.stringify({ status: 'ok', items: [{ state: 'up' }] })));
    assert.deepEqual(detailsOf(outcome, 'http').redirects, []);
    assert.equal(detailsOf(outcome, 'http').bodyExcerpt, undefined, 'no excerpt on success');
  });

  it('measures a DNS phase for a host name (localhost via the system resolver)', async () => {
    const outcome = await probe.run(httpSpec(`http://localhost:${server.port}/ok`), { timeoutMs: TIMEOUT_MS });
    assertOk(outcome);
    assertPlausiblePhases(outcome, ['dns', 'connect', 'ttfb']);
    assert.equal(outcome.peerAddress, '127.0.0.1');
  });

  it('sends method, headers and body', async () => {
    const spec = httpSpec(`${server.url}/echo`, {
      method: 'POST',
      headers: { 'X-Token': 'abc', 'Content-Type': 'text/plain' },
      body: 'hello',
      expect: { status: [[200, 200]], json: [{ path: 'method', equals: 'POST' }, { path: 'token', equals: 'abc' }, { path: 'body', equals: 'hello' }] },
    });
    assertOk(await probe.run(spec, { timeoutMs: TIMEOUT_MS }));
  });

  it('reports an unexpected status with an excerpt of the body', async () => {
    const outcome = await probe.run(httpSpec(`${server.url}/down`), { timeoutMs: TIMEOUT_MS });
    assertFailure(outcome, 'http_status', 'expected status 200-399, got 503');
    assert.equal(detailsOf(outcome, 'http').status, 503);
    assert.equal(detailsOf(outcome, 'http').bodyExcerpt, 'maintenance in progress');
    assert.equal(outcome.peerAddress, '127.0.0.1');
  });

  it('fails a header assertion naming the header', async () => {
    const spec = httpSpec(`${server.url}/ok`, { expect: { status: [[200, 299]], headers: [{ name: 'Content-Type', contains: 'html' }] } });
    assertFailure(await probe.run(spec, { timeoutMs: TIMEOUT_MS }), 'assertion_failed', 'header content-type');
  });

  it('fails maxLatencyMs on a slow answer', async () => {
    const spec = httpSpec(`${server.url}/slow`, { expect: { status: [[200, 299]], maxLatencyMs: 50 } });
    assertFailure(await probe.run(spec, { timeoutMs: TIMEOUT_MS }), 'assertion_failed', 'maxLatencyMs');
  });

  it('caps an endless chunked body and stays ok when no assertion needs the body', async () => {
    const outcome = await probe.run(httpSpec(`${server.url}/endless`, { maxBodyBytes: 10_000 }), { timeoutMs: TIMEOUT_MS });
    assertOk(outcome);
    assert.equal(detailsOf(outcome, 'http').bodyTruncated, true);
    assert.ok((detailsOf(outcome, 'http').bodyBytes as number) > 10_000);
  });

  it('reports body_too_large when a body assertion meets a capped body', async () => {
    const spec = httpSpec(`${server.url}/endless`, { maxBodyBytes: 10_000, expect: { status: [[200, 299]], bodyContains: ['never'] } });
    const outcome = await probe.run(spec, { timeoutMs: TIMEOUT_MS });
    assertFailure(outcome, 'body_too_large', 'maxBodyBytes (10000)');
    assert.equal(detailsOf(outcome, 'http').bodyTruncated, true);
    assert.equal(typeof detailsOf(outcome, 'http').bodyExcerpt, 'string');
    assert.ok((detailsOf(outcome, 'http').bodyExcerpt as string).length <= 513);
  });

  it('follows a relative redirect and lists it', async () => {
    const outcome = await probe.run(httpSpec(`${server.url}/hop`, { expect: { status: [[200, 200]], bodyContains: ['final GET ?from=hop'] } }), { timeoutMs: TIMEOUT_MS });
    assertOk(outcome);
    assert.deepEqual(detailsOf(outcome, 'http').redirects, [`${server.url}/final?from=hop`]);
  });

  it('treats a 3xx as the answer when maxRedirects is 0', async () => {
    const outcome = await probe.run(httpSpec(`${server.url}/hop`, { maxRedirects: 0 }), { timeoutMs: TIMEOUT_MS });
    assertOk(outcome);
    assert.equal(detailsOf(outcome, 'http').status, 302);
    assert.deepEqual(detailsOf(outcome, 'http').redirects, []);
  });

  it('turns POST into GET on 303', async () => {
    const spec = httpSpec(`${server.url}/post-redirect`, { method: 'POST', body: 'x', expect: { status: [[200, 200]], json: [{ path: 'method', equals: 'GET' }, { path: 'body', equals: '' }] } });
    assertOk(await probe.run(spec, { timeoutMs: TIMEOUT_MS }));
  });

  it('stops a redirect loop with too_many_redirects', async () => {
    const outcome = await probe.run(httpSpec(`${server.url}/loop`, { maxRedirects: 3 }), { timeoutMs: TIMEOUT_MS });
    assertFailure(outcome, 'too_many_redirects', 'more than 3 redirects');
    assert.equal((detailsOf(outcome, 'http').redirects as string[]).length, 3);
  });

  it('keeps repeated response headers as Node does: single-valued ones keep the first, others are joined', async () => {
    const outcome = await probe.run(httpSpec(`${server.url}/repeated`, { keepHeaders: ['content-type', 'x-cache', 'server'] }), { timeoutMs: TIMEOUT_MS });
    assert.equal(outcome.ok, true);
    assert.deepEqual(detailsOf(outcome, 'http').headers, { 'content-type': 'text/plain', 'x-cache': 'MISS, HIT', server: 'a' });
  });

  it('an abort signal ends the run as a timeout', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const outcome = await probe.run(httpSpec(`${server.url}/slow`), { timeoutMs: 5_000, signal: controller.signal });
    assertFailure(outcome, 'timeout', 'aborted');
    assert.ok(outcome.phases.total < 1_000);
  });

  it('a cancellation (shutdown) ends every run given it as a timeout, and later runs at once', async () => {
    const shutdown = new RunCancellation();
    setTimeout(() => shutdown.cancel(), 30);
    const outcomes = await Promise.all([1, 2].map(() => probe.run(httpSpec(`${server.url}/slow`), { timeoutMs: 5_000, cancel: shutdown })));
    for (const outcome of outcomes) {
      assertFailure(outcome, 'timeout', 'aborted');
      assert.ok(outcome.phases.total < 1_000);
    }
    assertFailure(await probe.run(httpSpec(`${server.url}/slow`), { timeoutMs: 5_000, cancel: shutdown }), 'timeout', 'aborted');
  });
});

describe('http probe against misbehaving targets', () => {
  it('refused port', async () => {
    const port = await closedPort();
    const outcome = await probe.run(httpSpec(`http://127.0.0.1:${port}/`), { timeoutMs: TIMEOUT_MS });
    assertFailure(outcome, 'connect_refused');
    assert.equal(outcome.peerAddress, '127.0.0.1', 'the address tried is kept as evidence');
    assertPlausiblePhases(outcome, [], ['connect', 'ttfb']);
  });

  it('hanging server times out within the bound', async () => {
    const server = await startTcpServer((socket) => socket.resume());
    try {
      const outcome = await probe.run(httpSpec(`http://127.0.0.1:${server.port}/`), { timeoutMs: 300 });
      assertFailure(outcome, 'timeout', 'timed out after 300 ms while waiting for the response');
      assert.ok(outcome.phases.total >= 290 && outcome.phases.total < 1_000, `total ${outcome.phases.total}`);
      assert.equal(outcome.peerAddress, '127.0.0.1');
      assertPlausiblePhases(outcome, ['connect'], ['ttfb']);
    } finally {
      await server.close();
    }
  });

  it('server that resets the connection', async () => {
    const server = await startTcpServer((socket) => socket.once('data', () => socket.resetAndDestroy()));
    try {
      assertFailure(await probe.run(httpSpec(`http://127.0.0.1:${server.port}/`), { timeoutMs: TIMEOUT_MS }), 'connect_reset');
    } finally {
      await server.close();
    }
  });

  it('garbage bytes instead of HTTP', async () => {
    const server = await startTcpServer((socket) => socket.once('data', () => socket.end('SSH-2.0-OpenSSH_9.6\r\n\x00\x01garbage\r\n\r\n')));
    try {
      assertFailure(await probe.run(httpSpec(`http://127.0.0.1:${server.port}/`), { timeoutMs: TIMEOUT_MS }), 'http_protocol');
    } finally {
      await server.close();
    }
  });
});

describe('https probe', () => {
  const certs = testCertificates();
  const withServer = async (certificate: KeyAndCert, run: (url: string) => Promise<void>): Promise<void> => {
    const server = await startHttpsServer(certificate, (_req, res) => res.end('secure'));
    try {
      await run(server.url.replace('https://127.0.0.1', 'https://localhost'));
    } finally {
      await server.close();
    }
  };

  const table: { name: string; certificate: KeyAndCert; kind: string }[] = [
    { name: 'certificate from an unknown CA', certificate: certs.valid, kind: 'tls_cert_untrusted' },
    { name: 'self-signed certificate', certificate: certs.selfSigned, kind: 'tls_cert_untrusted' },
    { name: 'expired certificate', certificate: certs.expired, kind: 'tls_cert_expired' },
  ];
  for (const row of table) {
    it(`${row.name} -> ${row.kind}`, () =>
      withServer(row.certificate, async (url) => {
        const outcome = await probe.run(httpSpec(url), { timeoutMs: TIMEOUT_MS });
        assertFailure(outcome, row.kind);
        assert.equal(outcome.peerAddress, '127.0.0.1');
      }));
  }

  it('verifyTls false accepts a self-signed certificate and measures the TLS phase', () =>
    withServer(certs.selfSigned, async (url) => {
      const outcome = await probe.run(httpSpec(url, { verifyTls: false, expect: { status: [[200, 200]], bodyContains: ['secure'] } }), { timeoutMs: TIMEOUT_MS });
      assertOk(outcome);
      assertPlausiblePhases(outcome, ['dns', 'connect', 'tls', 'ttfb']);
      assert.equal(outcome.peerAddress, '127.0.0.1');
    }));

  describe('with the test CA trusted (child process, NODE_EXTRA_CA_CERTS)', () => {
    const trusted: { name: string; certificate: KeyAndCert; kind?: string }[] = [
      { name: 'valid certificate verifies', certificate: certs.valid },
      { name: 'wrong host name', certificate: certs.wrongHost, kind: 'tls_hostname_mismatch' },
      { name: 'expired', certificate: certs.expired, kind: 'tls_cert_expired' },
      { name: 'not yet valid', certificate: certs.notYetValid, kind: 'tls_cert_not_yet_valid' },
    ];
    for (const row of trusted) {
      it(`${row.name} -> ${row.kind ?? 'ok'}`, () =>
        withServer(row.certificate, async (url) => {
          const outcome = await runProbeTrustingCa(certs.ca.certPem, httpSpec(url), TIMEOUT_MS * 2);
          if (row.kind) assertFailure(outcome, row.kind);
          else assertOk(outcome);
        }));
    }
  });
});

describe('http probe: redirects to another origin', () => {
  it('sends neither the configured Host nor credentials to the next origin', async () => {
    const seen: Record<string, string | undefined>[] = [];
    const server = await startHttpServer((request, response) => {
      seen.push({ host: request.headers.host, authorization: request.headers.authorization });
      if (request.url === '/start') {
        response.writeHead(302, { location: `http://localhost:${server.port}/next` });
        response.end();
        return;
      }
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end('ok');
    });
    try {
      const outcome = await probe.run(httpSpec(`${server.url}/start`, { headers: { Host: 'internal.example', Authorization: 'Bearer secret' } }), { timeoutMs: TIMEOUT_MS });
      assertOk(outcome);
      assert.deepEqual(seen[0], { host: 'internal.example', authorization: 'Bearer secret' });
      assert.deepEqual(seen[1], { host: `localhost:${server.port}`, authorization: undefined });
    } finally {
      await server.close();
    }
  });
});
