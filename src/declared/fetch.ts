// One bounded GET of a declared source with undici: conditional (ETag / Last-Modified), a deadline
// over the whole exchange, a cap on the body, redirects followed by hand and only to http(s), and the
// content type checked. Failures come back as data with a stable kind, never thrown.
import { Agent, request } from 'undici';
import type { DeclaredSourceType, PollFailure } from '../domain/declared.js';
import type { FetchLimits, FetchOutcome, Validators } from './fetch-limits.js';

const EXPECTED_TYPES: Record<DeclaredSourceType, { readonly test: RegExp; readonly words: string }> = {
  statuspage: { test: /^application\/([\w.+-]*\+)?json\b|^text\/json\b/i, words: 'application/json' },
  feed: { test: /^(application|text)\/([\w.+-]*\+)?(xml|rss|atom)\b/i, words: 'an XML, Atom or RSS type' },
};

const REDIRECT = new Set([301, 302, 303, 307, 308]);

export function createSourceAgent(): Agent {
  return new Agent({ connect: { timeout: 5_000 }, keepAliveTimeout: 10_000, connections: 4 });
}

export async function fetchSource(
  agent: Agent,
  type: DeclaredSourceType,
  url: string,
  validators: Validators,
  limits: FetchLimits,
): Promise<FetchOutcome> {
  const deadline = AbortSignal.timeout(limits.timeoutMs);
  let target = new URL(url);
  try {
    for (let hop = 0; ; hop++) {
      const headers: Record<string, string> = { 'user-agent': limits.userAgent, accept: EXPECTED_TYPES[type].words === 'application/json' ? 'application/json' : 'application/atom+xml, application/rss+xml, application/xml;q=0.9, text/xml;q=0.8' };
      if (hop === 0 && validators.etag) headers['if-none-match'] = validators.etag;
      if (hop === 0 && validators.lastModified) headers['if-modified-since'] = validators.lastModified;
      const response = await request(target, { method: 'GET', headers, signal: deadline, dispatcher: agent, headersTimeout: limits.timeoutMs, bodyTimeout: limits.timeoutMs });
      if (REDIRECT.has(response.statusCode)) {
        await response.body.dump();
        const location = header(response.headers['location']);
        if (!location) return failed('http_status', `HTTP ${response.statusCode} without a Location header`);
        const next = new URL(location, target);
        if (next.protocol !== 'http:' && next.protocol !== 'https:') return failed('redirect_refused', `redirected to ${next.protocol} (only http and https are followed)`);
        if (hop >= limits.maxRedirects) return failed('too_many_redirects', `more than ${limits.maxRedirects} redirects`);
        target = next;
        continue;
      }
      if (response.statusCode === 304) {
        await response.body.dump();
        return { kind: 'not_modified' };
      }
      if (response.statusCode !== 200) {
        await response.body.dump();
        return failed('http_status', `HTTP ${response.statusCode}`);
      }
      const contentType = header(response.headers['content-type']) ?? '';
      if (!EXPECTED_TYPES[type].test.test(contentType.trim())) {
        abandon(response.body);
        return failed('wrong_content_type', `expected ${EXPECTED_TYPES[type].words}, got ${contentType ? JSON.stringify(contentType.slice(0, 100)) : 'no content type'}`);
      }
      const declaredLength = Number(header(response.headers['content-length']));
      if (Number.isFinite(declaredLength) && declaredLength > limits.maxBodyBytes) {
        abandon(response.body);
        return failed('body_too_large', `the body is ${declaredLength} bytes, more than ${limits.maxBodyBytes}`);
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of response.body as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > limits.maxBodyBytes) {
          abandon(response.body);
          return failed('body_too_large', `the body is more than ${limits.maxBodyBytes} bytes`);
        }
        chunks.push(chunk);
      }
      const etag = header(response.headers['etag']);
      const lastModified = header(response.headers['last-modified']);
      return {
        kind: 'body',
        text: Buffer.concat(chunks).toString('utf8'),
        validators: { ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) },
      };
    }
  } catch (error) {
    if (deadline.aborted) return failed('timeout', `no complete answer within ${limits.timeoutMs} ms`);
    const code = (error as { code?: string }).code ?? '';
    if (/TIMEOUT/.test(code)) return failed('timeout', `no complete answer within ${limits.timeoutMs} ms (${code})`);
    return failed('connect_failed', `${code ? `${code}: ` : ''}${(error as Error).message}`.slice(0, 300));
  }
}

function failed(kind: PollFailure['kind'], message: string): FetchOutcome {
  return { kind: 'failed', failure: { kind, message } };
}

/** Stops reading a body we do not want; the abort error it then emits is the one we asked for. */
function abandon(body: { once(event: 'error', listener: () => void): unknown; destroy(): unknown }): void {
  body.once('error', () => undefined);
  body.destroy();
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
