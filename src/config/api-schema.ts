// `api:` who may read and write through the API, and what protects it (body size, rate limits, CORS).
import type { ApiSettings, RateLimit } from '../domain/monitor.js';
import { Fields, readBoolean, readInteger, readList, readString, type Located, type Reader } from './reader.js';
import { parseByteSize } from './sizes.js';
import { readDuration } from './values.js';
import { isIP } from 'node:net';

export const DEFAULT_BODY_LIMIT_BYTES = 1_048_576;
const MAX_BODY_LIMIT_BYTES = 64 * 1_048_576;

export const DEFAULT_API: ApiSettings = {
  publicResults: true,
  publicRead: true,
  bodyLimitBytes: DEFAULT_BODY_LIMIT_BYTES,
  corsOrigins: [],
  allowPrivateTargets: false,
  rateLimit: {
    public: { max: 1200, windowMs: 60_000 },
    failedAuth: { max: 20, windowMs: 600_000 },
  },
};

const ORIGIN = /^https?:\/\/[^/?#\s]+$/;

export function readApi(reader: Reader, at: Located): ApiSettings | undefined {
  const fields = Fields.read(reader, at, ['publicResults', 'publicRead', 'bodyLimit', 'cors', 'rateLimit', 'allowPrivateTargets']);
  if (!fields) return undefined;
  const publicResultsAt = fields.get('publicResults');
  const publicResults = publicResultsAt ? readBoolean(reader, publicResultsAt) : DEFAULT_API.publicResults;
  const publicReadAt = fields.get('publicRead');
  const publicRead = publicReadAt ? readBoolean(reader, publicReadAt) : DEFAULT_API.publicRead;
  const bodyLimitAt = fields.get('bodyLimit');
  const bodyLimitBytes = bodyLimitAt ? readBodyLimit(reader, bodyLimitAt) : DEFAULT_API.bodyLimitBytes;
  const corsAt = fields.get('cors');
  const corsOrigins = corsAt ? readCors(reader, corsAt) : DEFAULT_API.corsOrigins;
  const rateLimitAt = fields.get('rateLimit');
  const rateLimit = rateLimitAt ? readRateLimits(reader, rateLimitAt) : DEFAULT_API.rateLimit;
  const allowPrivateAt = fields.get('allowPrivateTargets');
  const allowPrivateTargets = allowPrivateAt ? readBoolean(reader, allowPrivateAt) : DEFAULT_API.allowPrivateTargets;
  if (publicResults === undefined || publicRead === undefined || bodyLimitBytes === undefined || corsOrigins === undefined || rateLimit === undefined || allowPrivateTargets === undefined) return undefined;
  return { publicResults, publicRead, bodyLimitBytes, corsOrigins, rateLimit, allowPrivateTargets };
}

function readBodyLimit(reader: Reader, at: Located): number | undefined {
  const seen = reader.see(at);
  if (seen.kind === 'scalar' && typeof seen.value === 'number') return readInteger(reader, at, 1, MAX_BODY_LIMIT_BYTES);
  const expected = 'a size from 1B to 64MiB like "1MiB", or a number of bytes';
  const text = readString(reader, at, { test: (value) => (parseByteSize(value) ?? 0) >= 1 && (parseByteSize(value) ?? 0) <= MAX_BODY_LIMIT_BYTES, expected });
  return text === undefined ? undefined : parseByteSize(text);
}

/** `cors: { origins: [https://dash.example.org] }`: origins allowed to read the API from a browser; "*" for any. */
function readCors(reader: Reader, at: Located): string[] | undefined {
  const fields = Fields.read(reader, at, ['origins']);
  if (!fields) return undefined;
  const originsAt = fields.required(reader, 'origins', ' (a list like ["https://dash.example.org"], or ["*"])');
  if (!originsAt) return undefined;
  const items = readList(reader, originsAt, 'a list of origins');
  if (!items) return undefined;
  const origins = items.map((item) =>
    readString(reader, item, { test: (text) => text === '*' || (ORIGIN.test(text) && URL.canParse(text)), expected: 'an origin like "https://dash.example.org" (scheme and host, no path), or "*"' }),
  );
  if (!origins.every((origin): origin is string => origin !== undefined)) return undefined;
  return origins.map((origin) => (origin === '*' ? origin : new URL(origin).origin));
}

function readRateLimits(reader: Reader, at: Located): ApiSettings['rateLimit'] | undefined {
  const fields = Fields.read(reader, at, ['public', 'failedAuth']);
  if (!fields) return undefined;
  const publicAt = fields.get('public');
  const publicLimit = publicAt ? readRateLimit(reader, publicAt, DEFAULT_API.rateLimit.public) : DEFAULT_API.rateLimit.public;
  const failedAuthAt = fields.get('failedAuth');
  const failedAuth = failedAuthAt ? readRateLimit(reader, failedAuthAt, DEFAULT_API.rateLimit.failedAuth) : DEFAULT_API.rateLimit.failedAuth;
  return publicLimit && failedAuth && { public: publicLimit, failedAuth };
}

/** `{ max: 600, window: 1m }`: at most `max` per source address in any `window`. */
function readRateLimit(reader: Reader, at: Located, defaults: RateLimit): RateLimit | undefined {
  const fields = Fields.read(reader, at, ['max', 'window']);
  if (!fields) return undefined;
  const maxAt = fields.get('max');
  const max = maxAt ? readInteger(reader, maxAt, 1, 1_000_000_000) : defaults.max;
  const windowAt = fields.get('window');
  const windowMs = windowAt ? readDuration(reader, windowAt, 1_000, 86_400_000) : defaults.windowMs;
  return max === undefined || windowMs === undefined ? undefined : { max, windowMs };
}

/** `server.trustProxy: [127.0.0.1, 10.0.0.0/8]`: the reverse proxies whose X-Forwarded-For is believed. */
export function readTrustProxy(reader: Reader, at: Located): string[] | undefined {
  const items = readList(reader, at, 'a list of proxy addresses or CIDR ranges');
  if (!items) return undefined;
  const ranges = items.map((item) => readString(reader, item, { test: isAddressOrRange, expected: 'an IP address or a CIDR range like "10.0.0.0/8"' }));
  return ranges.every((range): range is string => range !== undefined) ? ranges : undefined;
}

function isAddressOrRange(text: string): boolean {
  const [address = '', prefix, ...rest] = text.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}
