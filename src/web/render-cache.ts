// A short-lived cache of rendered pages, with their ETag and compressed forms made once per render.
// Reading 90 days of rollups for 100 monitors and compressing the result cost tens of milliseconds;
// a page at most `ttlMs` old costs nothing, and a changed `version` (the live fingerprint: a state or
// an open incident changed) bypasses the cache at once. Concurrent requests share one render.
import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Clock } from '../runtime/clock.js';

export type ContentEncoding = 'br' | 'gzip' | 'identity';

export interface RenderedPage {
  /** Weak: the same for every encoding of the page. */
  readonly etag: string;
  /** The page's bytes in that encoding, compressed on first use and kept. */
  bytes(encoding: ContentEncoding): Buffer;
}

/**
 * Where every render is encoded before it is hashed and compressed: a page of 100 monitors is about
 * half a megabyte, and fresh memory that size costs more (page faults) than the copy into it. Only
 * compressed forms and the identity copy (made on demand) outlive the call.
 */
let scratch = Buffer.allocUnsafeSlow(1 << 20);

function compress(raw: Buffer, encoding: 'br' | 'gzip'): Buffer {
  // Brotli quality 4 (as @fastify/compress) and gzip level 6: most of their best ratios on HTML at a fraction of the time.
  return encoding === 'br' ? brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 4, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } }) : gzipSync(raw, { level: 6 });
}

/**
 * `html` may come in parts (see renderHomeParts), written one after the other. `first`: the encoding
 * the request that rendered the page wants, made at once from the scratch buffer.
 */
export function renderedPage(html: string | readonly string[], first: ContentEncoding = 'identity'): RenderedPage {
  const parts = typeof html === 'string' ? [html] : html;
  let length = 0;
  for (const part of parts) length += Buffer.byteLength(part, 'utf8');
  if (length > scratch.length) scratch = Buffer.allocUnsafeSlow(Math.max(length, scratch.length * 2));
  let offset = 0;
  for (const part of parts) offset += scratch.write(part, offset, 'utf8');
  const raw = scratch.subarray(0, length);
  const etag = `W/"${createHash('sha1').update(raw).digest('base64url')}"`;
  const encoded = new Map<ContentEncoding, Buffer>();
  encoded.set(first, first === 'identity' ? Buffer.from(raw) : compress(raw, first));
  return {
    etag,
    bytes(encoding) {
      let bytes = encoded.get(encoding);
      if (!bytes) {
        // Later than the render: the scratch buffer holds another page by now.
        const own = encoded.get('identity') ?? Buffer.from(parts.join(''), 'utf8');
        bytes = encoding === 'identity' ? own : compress(own, encoding);
        encoded.set(encoding, bytes);
      }
      return bytes;
    },
  };
}

/** The best encoding the client accepts (br, then gzip), honouring q=0; identity otherwise. */
export function pickEncoding(acceptEncoding: string | undefined): ContentEncoding {
  if (!acceptEncoding) return 'identity';
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name = '', ...params] = part.split(';').map((s) => s.trim());
    const q = params.find((p) => p.startsWith('q='));
    weights.set(name.toLowerCase(), q ? Number(q.slice(2)) : 1);
  }
  for (const encoding of ['br', 'gzip'] as const) {
    const weight = weights.get(encoding) ?? weights.get('*') ?? 0;
    if (weight > 0) return encoding;
  }
  return 'identity';
}

interface Entry {
  readonly version: string;
  readonly expiresAt: number;
  readonly page: Promise<RenderedPage>;
}

export class RenderCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs: number,
    private readonly maxEntries = 64,
  ) {}

  /** `encoding`: what this request accepts, made with the render (see renderedPage). */
  get(key: string, version: string, render: () => Promise<string | readonly string[]>, encoding: ContentEncoding = 'identity'): Promise<RenderedPage> {
    const now = this.clock.now();
    const cached = this.entries.get(key);
    if (cached && cached.version === version && now < cached.expiresAt) return cached.page;
    const page = render().then((html) => renderedPage(html, encoding));
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    const entry = { version, expiresAt: now + this.ttlMs, page };
    this.entries.set(key, entry);
    // A failed render is not kept: the next request tries again (and reports its own error).
    page.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return page;
  }
}
