// The one sender: delivers any channel's message (HTTP request or email) within a bounded time and
// says what the receiver answered, as data. Never throws for a failing receiver.

import type { Transporter } from 'nodemailer';
import type { ChannelSpec, SmtpSettings } from '../domain/alerting.js';
import type { EmailMessage, HttpMessage, OutboundMessage } from './message.js';

export type SendOutcome =
  | { readonly ok: true; readonly status?: number; readonly answer: string }
  | {
      readonly ok: false;
      readonly status?: number;
      readonly error: string;
      /** The receiver said it will never take this message (a 4xx other than 408 and 429, an SMTP 5xx). */
      readonly permanent: boolean;
      /** The receiver asked to wait this long (429 or 503 with Retry-After). */
      readonly retryAfterMs?: number;
    };

export interface Sender {
  send(channel: ChannelSpec, message: OutboundMessage, timeoutMs: number): Promise<SendOutcome>;
  close(): void;
}

const ANSWER_CHARS = 500;

/** Retry-After as seconds or as an HTTP date (RFC 9110 §10.2.3), relative to `now`. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (header === null) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function createSender(now: () => number = Date.now): Sender {
  // One transport per channel, made once even when several queues send through it at the same time.
  const transports = new Map<string, Promise<Transporter>>();
  const transportFor = (channelId: string, smtp: SmtpSettings, timeoutMs: number): Promise<Transporter> => {
    let transport = transports.get(channelId);
    if (!transport) {
      // Loaded on the first email only: most commands and most configs never send one.
      transport = import('nodemailer').then(({ default: nodemailer }) =>
        nodemailer.createTransport({
          host: smtp.host,
          port: smtp.port,
          secure: smtp.security === 'tls',
          ...(smtp.username ? { auth: { user: smtp.username, pass: smtp.password ?? '' } } : {}),
          connectionTimeout: timeoutMs,
          greetingTimeout: timeoutMs,
          socketTimeout: timeoutMs,
        }),
      );
      transports.set(channelId, transport);
    }
    return transport;
  };

  return {
    async send(channel, message, timeoutMs) {
      if (message.kind === 'http') return sendHttp(message, timeoutMs, now);
      if (channel.type !== 'email') return { ok: false, error: `channel ${channel.id} is not an email channel`, permanent: true };
      return sendEmail(await transportFor(channel.id, channel.settings.smtp, timeoutMs), message);
    },
    close() {
      for (const transport of transports.values()) void transport.then((made) => made.close());
      transports.clear();
    },
  };
}

async function sendHttp(message: HttpMessage, timeoutMs: number, now: () => number): Promise<SendOutcome> {
  let response: Response;
  try {
    response = await fetch(message.url, {
      method: message.method,
      headers: message.headers,
      body: message.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    return { ok: false, error: describeFetchError(error, timeoutMs), permanent: false };
  }
  let answer = '';
  try {
    // The same signal bounds the body: a receiver that answers slowly is cut off at the timeout.
    answer = (await response.text()).slice(0, ANSWER_CHARS);
  } catch {
    // The status is the answer that counts; a body cut short changes nothing about it.
  }
  const status = response.status;
  if (status >= 200 && status < 300) return { ok: true, status, answer };
  const retryAfter = status === 429 || status === 503 ? retryAfterMs(response.headers.get('retry-after'), now()) : undefined;
  const permanent = (status >= 400 && status < 500 && status !== 408 && status !== 429) || (status >= 300 && status < 400);
  const error = `HTTP ${status}${status >= 300 && status < 400 ? ' (a redirect: webhooks are not followed)' : ''}${answer ? `: ${answer.replace(/\s+/g, ' ').slice(0, 200)}` : ''}`;
  return { ok: false, status, error, permanent, ...(retryAfter !== undefined ? { retryAfterMs: retryAfter } : {}) };
}

function describeFetchError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `no answer within ${timeoutMs} ms`;
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
  const code = (cause as { code?: string } | undefined)?.code;
  if (code) return `could not connect: ${code}`;
  return error instanceof Error ? error.message : String(error);
}

async function sendEmail(transport: Transporter, message: EmailMessage): Promise<SendOutcome> {
  try {
    const info = (await transport.sendMail({
      from: message.from,
      to: [...message.to],
      subject: message.subject,
      text: message.text,
      html: message.html,
      headers: message.headers,
      ...(message.headers['Message-ID'] ? { messageId: message.headers['Message-ID'] } : {}),
    })) as { response?: string };
    return { ok: true, answer: String(info.response ?? '').slice(0, ANSWER_CHARS) };
  } catch (error) {
    const responseCode = (error as { responseCode?: number }).responseCode;
    const text = error instanceof Error ? error.message : String(error);
    return { ok: false, error: `SMTP: ${text}`.slice(0, ANSWER_CHARS), permanent: responseCode !== undefined && responseCode >= 500, ...(responseCode ? { status: responseCode } : {}) };
  }
}
