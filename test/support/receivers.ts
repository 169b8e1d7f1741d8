// Loopback receivers for notifications: an HTTP server that records every request and answers from a
// script, and an SMTP server (smtp-server) that keeps every message it accepts.
import type { IncomingHttpHeaders } from 'node:http';
import { SMTPServer } from 'smtp-server';
import { startHttpServer, type RunningHttpServer } from './loopback-servers.js';

export interface ReceivedRequest {
  readonly method: string;
  /** Path and query. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface Answer {
  readonly status: number;
  readonly body?: string;
  readonly headers?: Record<string, string>;
  /** Wait this long before answering. */
  readonly delayMs?: number;
}

export interface HttpReceiver extends RunningHttpServer {
  readonly requests: ReceivedRequest[];
  /** Answers for the next requests, in order; then `fallback`. */
  readonly script: Answer[];
  fallback: Answer;
}

export async function startHttpReceiver(fallback: Answer = { status: 200, body: 'ok' }): Promise<HttpReceiver> {
  const requests: ReceivedRequest[] = [];
  const script: Answer[] = [];
  const receiver: { fallback: Answer } = { fallback };
  const server = await startHttpServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      const answer = script.shift() ?? receiver.fallback;
      const reply = () => response.writeHead(answer.status, answer.headers ?? {}).end(answer.body ?? '');
      if (answer.delayMs) setTimeout(reply, answer.delayMs);
      else reply();
    });
  });
  return Object.assign(receiver, server, { requests, script }) as HttpReceiver;
}

export interface ReceivedMail {
  readonly from: string;
  readonly to: readonly string[];
  /** The whole message as sent (headers and MIME body). */
  readonly raw: string;
  readonly user?: string;
}

export interface SmtpReceiver {
  readonly port: number;
  readonly messages: ReceivedMail[];
  close(): Promise<void>;
}

/** Plain SMTP on 127.0.0.1 (no STARTTLS offered), accepting any login when `auth` is set. */
export async function startSmtpReceiver(options: { auth?: { user: string; pass: string } } = {}): Promise<SmtpReceiver> {
  const messages: ReceivedMail[] = [];
  const server = new SMTPServer({
    disabledCommands: options.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    allowInsecureAuth: true,
    authOptional: !options.auth,
    logger: false,
    onAuth(auth, _session, callback) {
      if (options.auth && auth.username === options.auth.user && auth.password === options.auth.pass) callback(null, { user: auth.username });
      else callback(new Error('invalid login'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw: Buffer.concat(chunks).toString('utf8'),
          ...(typeof session.user === 'string' ? { user: session.user } : {}),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as { port: number }).port;
  return { port, messages, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
