// The address actually connected to and, over TLS, the certificate it presented: each resolved address
// is tried in order until one answers. Nothing is verified here (an untrusted or expired certificate is
// still evidence of who serves the name); the TLS probe judges certificates, this records them.
import net from 'node:net';
import tls from 'node:tls';
import http from 'node:http';
import { certificateFacts } from '../probes/tls.js';
import { ProbeFailure, toProbeFailure, type Deadline, type ProbeStage } from '../probes/errors.js';
import type { CertificateInfo } from './snapshot.js';

export interface Connection {
  readonly address: string;
  readonly socket: net.Socket;
  readonly certificate?: CertificateInfo;
  /** Set when TCP connected but the TLS handshake or the certificate failed. */
  readonly failure?: ProbeFailure;
}

/** The certificate facts a provenance snapshot keeps; odd fields come through as text, never as a throw. */
export function certificateInfo(peer: tls.DetailedPeerCertificate): CertificateInfo {
  const facts = certificateFacts(peer, Date.now());
  const issuer = peer.issuerCertificate as tls.DetailedPeerCertificate | undefined;
  const issuerFingerprint = typeof issuer?.fingerprint256 === 'string' && issuer.fingerprint256 !== '' ? issuer.fingerprint256 : undefined;
  return {
    subject: facts.subject,
    issuer: facts.issuer,
    sans: facts.sans,
    validFrom: facts.notBefore,
    validTo: facts.notAfter,
    fingerprint256: facts.fingerprintSha256,
    ...(issuerFingerprint ? { issuerFingerprint256: issuerFingerprint } : {}),
  };
}

interface Attempt {
  readonly address: string;
  readonly port: number;
  /** SNI name; undefined for an IP literal. */
  readonly servername: string | undefined;
  readonly useTls: boolean;
}

function attempt(target: Attempt, deadline: Deadline): Promise<Connection> {
  return new Promise<Connection>((resolve, reject) => {
    let stage: ProbeStage = 'connect';
    let settled = false;
    const socket = target.useTls
      ? tls.connect({ host: target.address, port: target.port, rejectUnauthorized: false, ...(target.servername ? { servername: target.servername } : {}) })
      : net.connect({ host: target.address, port: target.port });
    const finish = (connection?: Connection, error?: unknown): void => {
      if (settled) return;
      settled = true;
      stopWaiting();
      // onError stays: a later error on a kept connection is the HEAD request's to report, not a crash.
      if (connection) resolve(connection);
      else {
        socket.destroy();
        reject(error);
      }
    };
    const onAbort = (): void => {
      if (stage === 'tls') finish({ address: target.address, socket, failure: deadline.failureAt('tls') });
      else finish(undefined, deadline.failureAt(stage));
    };
    const onError = (error: Error): void => {
      // TCP answered and TLS failed: this address is where the name is served from, with no certificate.
      if (stage === 'tls') finish({ address: target.address, socket, failure: toProbeFailure(error, 'tls', deadline) });
      else finish(undefined, toProbeFailure(error, stage, deadline));
    };
    const stopWaiting = deadline.onExpire(onAbort);
    socket.on('error', onError);
    socket.once('connect', () => {
      stage = 'tls';
      if (!target.useTls) finish({ address: target.address, socket });
    });
    if (target.useTls) {
      (socket as tls.TLSSocket).once('secureConnect', () => {
        try {
          const peer = (socket as tls.TLSSocket).getPeerCertificate(true);
          if (!peer || Object.keys(peer).length === 0) {
            finish({ address: target.address, socket, failure: new ProbeFailure('tls_handshake', 'the server presented no certificate') });
          } else {
            finish({ address: target.address, socket, certificate: certificateInfo(peer) });
          }
        } catch (error) {
          finish({ address: target.address, socket, failure: new ProbeFailure('tls_handshake', `the certificate could not be read: ${(error as Error).message}`) });
        }
      });
    }
    if (deadline.expired) onAbort();
  });
}

/** Tries each address in order; the first that answers is the connection, else the first failure is thrown. */
export async function connectFirst(
  addresses: readonly string[],
  port: number,
  servername: string | undefined,
  useTls: boolean,
  deadline: Deadline,
): Promise<Connection> {
  let firstFailure: unknown;
  for (const address of addresses) {
    try {
      return await attempt({ address, port, servername, useTls }, deadline);
    } catch (error) {
      firstFailure ??= error;
      if (deadline.expired) break;
    }
  }
  throw firstFailure ?? new ProbeFailure('connect_unreachable', 'no address to connect to');
}

export interface HeadResponse {
  readonly headers?: http.IncomingHttpHeaders;
  /** Why no headers came: an HTTP error, a timeout. */
  readonly failure?: ProbeFailure;
}

/** One HEAD / over the open connection, for the response headers (CDN hints). Never throws. */
export function headOver(socket: net.Socket, hostHeader: string, deadline: Deadline): Promise<HeadResponse> {
  return new Promise<HeadResponse>((resolve) => {
    let settled = false;
    const finish = (response: HeadResponse): void => {
      if (settled) return;
      settled = true;
      stopWaiting();
      request.destroy();
      resolve(response);
    };
    const request = http.request({
      createConnection: () => socket,
      method: 'HEAD',
      path: '/',
      headers: { host: hostHeader, 'user-agent': 'candor-trace', connection: 'close' },
    });
    const onAbort = (): void => finish({ failure: deadline.failureAt('response') });
    const stopWaiting = deadline.onExpire(onAbort);
    request.on('response', (response) => finish({ headers: response.headers }));
    request.on('error', (error) => finish({ failure: toProbeFailure(error, 'response', deadline) }));
    request.end();
    if (deadline.expired) onAbort();
  });
}
