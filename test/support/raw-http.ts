// Requests as the HTTP property tests send them: through node:http, or byte for byte on a socket
// (malformed ones node:http would refuse to send), with the answer read back either way.
import http from 'node:http';
import net from 'node:net';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';

export interface Sent {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string | Uint8Array;
  /** Written byte for byte on a socket (a malformed request), instead of through node:http. */
  readonly raw: boolean;
}

export interface Received {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

const REQUEST_TIMEOUT_MS = 20_000;

export async function send(base: URL, agent: http.Agent, sent: Sent): Promise<Received> {
  return sent.raw ? sendRaw(base, sent) : sendHttp(base, agent, sent);
}

function sendHttp(base: URL, agent: http.Agent | false, sent: Sent): Promise<Received> {
  return new Promise((resolve) => {
    let request: http.ClientRequest;
    // A body is always framed by its length: node:http would send a HEAD's body unframed, as a second request.
    const headers = sent.body === undefined ? sent.headers : { ...sent.headers, 'content-length': String(Buffer.byteLength(sent.body)) };
    try {
      request = http.request({ host: base.hostname, port: base.port, method: sent.method, path: sent.path, headers, agent, timeout: REQUEST_TIMEOUT_MS }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: decoded(Buffer.concat(chunks), response.headers['content-encoding']) }));
        response.on('error', (error: NodeJS.ErrnoException) => resolve(noAnswer(error)));
      });
    } catch {
      // node:http refused to send it (a header value it deems invalid): send the same bytes raw.
      void sendRaw(base, { ...sent, raw: true }).then(resolve);
      return;
    }
    request.on('timeout', () => request.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    request.on('error', (error: NodeJS.ErrnoException) => {
      // A kept-alive connection the server closed (after refusing the previous request on it) as this
      // one was sent: the race node:http documents; the request never reached the server. Once more, fresh.
      if (request.reusedSocket && agent !== false && (error.code === 'ECONNRESET' || error.code === 'EPIPE')) void sendHttp(base, false, sent).then(resolve);
      else resolve(noAnswer(error));
    });
    request.end(sent.body);
  });
}

function noAnswer(error: NodeJS.ErrnoException): Received {
  return { status: 0, headers: {}, body: `(${error.code ?? error.message})` };
}

/** Bytes on a socket, then the answer read until the server closes (Connection: close). */
function sendRaw(base: URL, sent: Sent): Promise<Received> {
  return new Promise((resolve) => {
    const socket = net.connect(Number(base.port), base.hostname);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(), REQUEST_TIMEOUT_MS);
    socket.on('connect', () => {
      const body = sent.body === undefined ? Buffer.alloc(0) : Buffer.from(sent.body);
      const headers = Object.entries(sent.headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
      socket.end(Buffer.concat([Buffer.from(`${sent.method} ${sent.path} HTTP/1.1\r\n${headers}content-length: ${body.length}\r\nconnection: close\r\n\r\n`, 'latin1'), body]));
    });
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(parseRaw(Buffer.concat(chunks)));
    });
  });
}

function parseRaw(bytes: Buffer): Received {
  const end = bytes.indexOf('\r\n\r\n');
  if (end < 0) return { status: 0, headers: {}, body: '' };
  const [statusLine, ...lines] = bytes.subarray(0, end).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = bytes.subarray(end + 4);
  if (headers['transfer-encoding'] === 'chunked') body = dechunk(body);
  return { status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '')?.[1] ?? 0), headers, body: decoded(body, headers['content-encoding']) };
}

function dechunk(bytes: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = bytes.indexOf('\r\n', offset);
    if (lineEnd < 0) break;
    const size = Number.parseInt(bytes.subarray(offset, lineEnd).toString('latin1'), 16);
    if (!(size > 0)) break;
    parts.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

function decoded(body: Buffer, encoding: string | string[] | undefined): string {
  try {
    if (encoding === 'gzip') return gunzipSync(body).toString('utf8');
    if (encoding === 'br') return brotliDecompressSync(body).toString('utf8');
    if (encoding === 'deflate') return inflateSync(body).toString('utf8');
  } catch {
    return `(undecodable ${String(encoding)} body)`;
  }
  return body.toString('utf8');
}
