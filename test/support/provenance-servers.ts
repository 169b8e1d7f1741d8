// Servers for provenance tests: an HTTPS (or plain HTTP) server on any loopback address (127.0.0.2,
// 127.0.0.3, ...), so a test DNS server can point a name at it, answering with the headers given.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { KeyAndCert } from './certs.js';

export interface LoopbackSite {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

/** `chain`: the certificates to send after the leaf (the issuing CA), so the client sees the issuer. */
export async function startLoopbackSite(
  host: string,
  options: { certificate?: KeyAndCert; chain?: readonly KeyAndCert[]; headers?: Record<string, string>; port?: number },
): Promise<LoopbackSite> {
  if (!host.startsWith('127.')) throw new Error(`test sites bind loopback only, not ${host}`);
  const handler = (_request: http.IncomingMessage, response: http.ServerResponse): void => {
    response.writeHead(200, { 'content-type': 'text/plain', ...options.headers });
    response.end('ok');
  };
  const certificate = options.certificate;
  const server = certificate
    ? https.createServer({ key: certificate.keyPem, cert: [certificate.certPem, ...(options.chain ?? []).map((c) => c.certPem)].join('') }, handler)
    : http.createServer(handler);
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  return {
    host,
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
