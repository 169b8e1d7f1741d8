// Readers for the config's value kinds beyond plain YAML types: durations, sizes, hosts, ports, regexes.

import { isIP } from 'node:net';
import { compileLinearPattern } from '../domain/linear-pattern.js';
import { formatDuration, parseDuration } from './durations.js';
import { describe, readInteger, readString, typedValue, type Located, type Reader } from './reader.js';
import { parseByteSize } from './sizes.js';

/** The longest delay a Node.js timer holds (about 24.8 days); longer ones fire at once. */
export const MAX_TIMER_MS = 2_147_483_647;

export function readDuration(reader: Reader, at: Located, minMs = 1, maxMs = MAX_TIMER_MS): number | undefined {
  const seen = reader.see(at);
  if (seen.kind === 'invalid') return undefined;
  if (seen.kind === 'scalar' && typeof seen.value === 'number') {
    reader.report(at, `expected a duration like "30s", got ${describe(seen)} (a duration needs a unit: ms, s, m, h, d or w)`);
    return undefined;
  }
  const text = readString(reader, at, { test: (value) => parseDuration(value) !== undefined, expected: 'a duration like "30s"' });
  if (text === undefined) return undefined;
  const ms = parseDuration(text) as number;
  if (ms < minMs) {
    reader.report(at, `expected a duration of at least ${formatDuration(minMs)}, got ${describe(seen)}`);
    return undefined;
  }
  if (ms > maxMs) {
    const limit = maxMs === MAX_TIMER_MS ? '24d (the longest timer Node.js holds)' : formatDuration(maxMs);
    reader.report(at, `expected a duration of at most ${limit}, got ${describe(seen)}`);
    return undefined;
  }
  return ms;
}

const MAX_BODY_BYTES = 64 * 1024 * 1024;

export function readByteSize(reader: Reader, at: Located): number | undefined {
  const seen = reader.see(at);
  if (seen.kind === 'invalid') return undefined;
  if (typeof typedValue(seen, 'number') === 'number') return readInteger(reader, at, 1);
  const expected = 'a size like "1MiB" or a number of bytes';
  const text = readString(reader, at, { test: (value) => parseByteSize(value) !== undefined, expected });
  if (text === undefined) return undefined;
  const bytes = parseByteSize(text) as number;
  if (bytes < 1) {
    reader.report(at, `expected a size of at least 1B, got ${describe(seen)}`);
    return undefined;
  }
  if (bytes > MAX_BODY_BYTES) {
    reader.report(at, `expected a size of at most 64MiB (a check reads the body into memory), got ${describe(seen)}`);
    return undefined;
  }
  return bytes;
}

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)*\.?$/;

export function isHost(text: string): boolean {
  return isIP(text) !== 0 || HOSTNAME.test(text);
}

export function readHost(reader: Reader, at: Located): string | undefined {
  return readString(reader, at, { test: isHost, expected: 'a host name or IP address like "example.org"' });
}

export function readPort(reader: Reader, at: Located): number | undefined {
  return readInteger(reader, at, 1, 65535);
}

/** Regular expression source that must compile on the linear-time engine (RE2 syntax). */
export function readRegex(reader: Reader, at: Located): string | undefined {
  const source = readString(reader, at);
  if (source === undefined) return undefined;
  const compiled = compileLinearPattern(source);
  if (!compiled.ok) {
    reader.report(at, `expected a valid regular expression (RE2 syntax), got ${JSON.stringify(source)} (${compiled.problem})`);
    return undefined;
  }
  return source;
}
