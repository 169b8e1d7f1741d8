import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import type { TcpProbeSpec } from '../../src/domain/monitor.js';
import { createTcpProbe } from '../../src/probes/tcp.js';
import { closedPort, startTcpServer } from '../support/loopback-servers.js';
import { assertFailure, assertOk, assertPlausiblePhases, detailsOf } from './helpers.js';

const probe = createTcpProbe();

async function withTcpServer(onConnection: (socket: Socket) => void, run: (port: number) => Promise<void>): Promise<void> {
  const server = await startTcpServer(onConnection);
  try {
    await run(server.port);
  } finally {
    await server.close();
  }
}

const spec = (port: number, extra: Partial<TcpProbeSpec> = {}): TcpProbeSpec => ({ type: 'tcp', host: '127.0.0.1', port, ...extra });

describe('tcp probe', () => {
  it('connects and records phases and peer address', () =>
    withTcpServer((socket) => socket.resume(), async (port) => {
      const outcome = await probe.run(spec(port), { timeoutMs: 800 });
      assertOk(outcome);
      assert.equal(outcome.peerAddress, '127.0.0.1');
      assertPlausiblePhases(outcome, ['connect'], ['dns', 'tls']);
    }));

  it('resolves localhost through the system resolver and records a dns phase', () =>
    withTcpServer((socket) => socket.resume(), async (port) => {
      const outcome = await probe.run(spec(port, { host: 'localhost' }), { timeoutMs: 800 });
      assertOk(outcome);
      assertPlausiblePhases(outcome, ['dns', 'connect']);
    }));

  it('matches a banner', () =>
    withTcpServer((socket) => socket.write('220 mail.example.test ESMTP ready\r\n'), async (port) => {
      const outcome = await probe.run(spec(port, { expectBanner: 'ESMTP' }), { timeoutMs: 800 });
      assertOk(outcome);
      assertPlausiblePhases(outcome, ['connect', 'ttfb']);
      assert.match(detailsOf(outcome, 'tcp').bannerExcerpt as string, /^220 mail/);
    }));

  it('sends a line and matches the reply', () =>
    withTcpServer(
      (socket) => socket.on('data', (data: Buffer) => (data.toString() === 'PING\r\n' ? socket.write('+PONG\r\n') : socket.end('-ERR\r\n'))),
      async (port) => {
        assertOk(await probe.run(spec(port, { send: 'PING\r\n', expectBanner: '+PONG' }), { timeoutMs: 800 }));
      },
    ));

  it('sends without expecting anything', () => {
    let received = '';
    let onEnd: (text: string) => void = () => undefined;
    const ended = new Promise<string>((resolve) => (onEnd = resolve));
    const collect = (socket: Socket): void => {
      socket.on('data', (data: Buffer) => (received += data.toString()));
      socket.on('end', () => onEnd(received));
    };
    return withTcpServer(collect, async (port) => {
      assertOk(await probe.run(spec(port, { send: 'hello\n' }), { timeoutMs: 800 }));
      assert.equal(await ended, 'hello\n');
    });
  });

  it('banner mismatch when the server closes after saying something else', () =>
    withTcpServer((socket) => socket.end('SSH-2.0-OpenSSH_9.6\r\n'), async (port) => {
      const outcome = await probe.run(spec(port, { expectBanner: 'ESMTP' }), { timeoutMs: 800 });
      assertFailure(outcome, 'banner_mismatch', 'SSH-2.0-OpenSSH_9.6');
      assert.equal(outcome.peerAddress, '127.0.0.1');
    }));

  it('banner mismatch at the deadline when the server said something else and stays open', () =>
    withTcpServer((socket) => socket.write('hello there'), async (port) => {
      const outcome = await probe.run(spec(port, { expectBanner: 'ESMTP' }), { timeoutMs: 300 });
      assertFailure(outcome, 'banner_mismatch', 'hello there');
    }));

  it('silent server: timeout within the bound', () =>
    withTcpServer((socket) => socket.resume(), async (port) => {
      const outcome = await probe.run(spec(port, { expectBanner: 'ESMTP' }), { timeoutMs: 300 });
      assertFailure(outcome, 'timeout', 'timed out after 300 ms');
      assert.ok(outcome.phases.total >= 290 && outcome.phases.total < 1_000);
    }));

  it('refused port', async () => {
    const outcome = await probe.run(spec(await closedPort()), { timeoutMs: 800 });
    assertFailure(outcome, 'connect_refused');
    assert.equal(outcome.peerAddress, '127.0.0.1', 'the address tried is kept as evidence');
    assertPlausiblePhases(outcome, [], ['connect']);
  });

  it('reset while waiting for a banner', () =>
    withTcpServer((socket) => setImmediate(() => socket.resetAndDestroy()), async (port) => {
      assertFailure(await probe.run(spec(port, { expectBanner: 'x' }), { timeoutMs: 800 }), 'connect_reset');
    }));

  it('abort signal is a timeout', () =>
    withTcpServer((socket) => socket.resume(), async (port) => {
      const outcome = await probe.run(spec(port, { expectBanner: 'x' }), { timeoutMs: 5_000, signal: AbortSignal.timeout(30) });
      assertFailure(outcome, 'timeout', 'aborted');
    }));
});
