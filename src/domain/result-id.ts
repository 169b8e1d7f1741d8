// Stable result ids. A result is identified by (monitor, vantage, startedAt); its public id spells that
// in the shape of a ULID (26 Crockford base-32 characters, sortable by time): ten characters of
// startedAt, then sixteen of a digest of the series (monitor and vantage). So the same observation has
// the same id on every hub, engine and migration, and an id names its row without an index of its own.
import { createHash } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const TIME_CHARS = 10;
const SERIES_CHARS = 16;
const MAX_TIME = 2 ** 48 - 1;
const RESULT_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** The sixteen characters naming one (monitor, vantage) series: 80 bits of SHA-256. */
export function seriesSuffix(monitorId: string, vantage: string): string {
  const digest = createHash('sha256').update(monitorId).update('\u0000').update(vantage).digest();
  let bits = 0n;
  for (let i = 0; i < 10; i++) bits = (bits << 8n) | BigInt(digest[i]!);
  let text = '';
  for (let i = 0; i < SERIES_CHARS; i++) {
    text = ALPHABET[Number(bits & 31n)]! + text;
    bits >>= 5n;
  }
  return text;
}

export function encodeTime(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0 || ms > MAX_TIME) throw new RangeError(`time ${ms} cannot be encoded in a result id`);
  let rest = ms;
  let text = '';
  for (let i = 0; i < TIME_CHARS; i++) {
    text = ALPHABET[rest % 32]! + text;
    rest = Math.floor(rest / 32);
  }
  return text;
}

export function resultId(seriesSuffixText: string, startedAt: number): string {
  return encodeTime(startedAt) + seriesSuffixText;
}

export interface ParsedResultId {
  readonly startedAt: number;
  readonly seriesSuffix: string;
}

/** Undefined for anything that is not a well-formed result id (ids from before v2 are ULIDs too: they parse, and then match no series). */
export function parseResultId(id: string): ParsedResultId | undefined {
  const upper = id.toUpperCase();
  if (!RESULT_ID.test(upper)) return undefined;
  let startedAt = 0;
  for (let i = 0; i < TIME_CHARS; i++) startedAt = startedAt * 32 + ALPHABET.indexOf(upper[i]!);
  if (startedAt > MAX_TIME) return undefined;
  return { startedAt, seriesSuffix: upper.slice(TIME_CHARS) };
}
