// Real servers on 127.0.0.1, port 0, for tests that need a target: HTTP, HTTPS, raw TCP and TLS.
// Every close() destroys open connections too, so a hanging handler never keeps a test alive.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import type { KeyAndCert } from './certs.js';

export const LOOPBACK = '127.0.0.1';

export interface RunningServer {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

export interface RunningHttpServer extends RunningServer {
  /** Base URL, e.g. "http://127.0.0.1:43121" (no trailing slash). */
  readonly url: string;
}

function trackSockets(server: net.Server): () => void {
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket): void => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  server.on('connection', track);
  // For TLS servers the TCP socket is the one to destroy, and 'connection' still sees it.
  return () => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  };
}

async function listen(server: net.Server, port = 0): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as net.AddressInfo).port;
}

async function running(server: net.Server, scheme?: 'http' | 'https'): Promise<RunningHttpServer> {
  const destroySockets = trackSockets(server);
  const port = await listen(server);
  return {
    host: LOOPBACK,
    port,
    url: `${scheme ?? 'tcp'}://${LOOPBACK}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        destroySockets();
        server.close(() => resolve());
      }),
  };
}

export function startHttpServer(handler: http.RequestListener): Promise<RunningHttpServer> {
  return running(http.createServer(handler), 'http');
}

export function startHttpsServer(certificate: KeyAndCert, handler: http.RequestListener): Promise<RunningHttpServer> {
  return running(https.createServer({ key: certificate.keyPem, cert: certificate.certPem }, handler), 'https');
}

/** A raw TCP server; onConnection decides what the "service" does (banner, silence, reset, garbage). */
export function startTcpServer(onConnection: (socket: net.Socket) => void): Promise<RunningServer> {
  const server = net.createServer(onConnection);
  return running(server);
}

export interface TlsServerOptions {
  /** Called after each handshake; default: close politely. */
  readonly onSecureConnection?: (socket: tls.TLSSocket) => void;
  /** Called with the SNI name of each client that sent one (during the handshake). */
  readonly onServername?: (servername: string) => void;
}

/** A TLS server that completes handshakes with `certificate`. */
export function startTlsServer(certificate: KeyAndCert, options: TlsServerOptions = {}): Promise<RunningServer> {
  const context = tls.createSecureContext({ key: certificate.keyPem, cert: certificate.certPem });
  const server = tls.createServer(
    {
      key: certificate.keyPem,
      cert: certificate.certPem,
      SNICallback: (servername, callback) => {
        options.onServername?.(servername);
        callback(null, context);
      },
    },
    options.onSecureConnection ?? ((socket) => socket.end()),
  );
  // Clients that abort the handshake make the server emit tlsClientError; that is expected here.
  server.on('tlsClientError', () => undefined);
  return running(server);
}

/** A loopback port with nothing listening: bound, then closed, so connecting is refused. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
