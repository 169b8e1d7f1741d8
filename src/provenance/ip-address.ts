// IP addresses as numbers, read straight from bytes: IPv4 as one unsigned 32-bit number, IPv6 as four
// 32-bit words, most significant first. The database loader parses about a million addresses from its
// CSV files and a lookup parses one; both go through these two functions, over bytes, without making
// strings. Pure.

const DOT = 0x2e;
const COLON = 0x3a;
const ZERO = 0x30;
const NINE = 0x39;

function hexValue(byte: number): number {
  if (byte >= ZERO && byte <= NINE) return byte - ZERO;
  const lower = byte | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

/** A dotted quad in bytes[start, end) as an unsigned number; -1 when it is not one. */
export function parseIpv4(bytes: Uint8Array, start: number, end: number): number {
  let value = 0;
  let part = 0;
  let digits = 0;
  let parts = 0;
  for (let i = start; i < end; i++) {
    const byte = bytes[i]!;
    if (byte >= ZERO && byte <= NINE) {
      // No leading zeros ("010" is octal to some parsers, decimal to others: refuse it).
      if (digits > 0 && part === 0) return -1;
      part = part * 10 + (byte - ZERO);
      if (part > 255) return -1;
      digits++;
    } else if (byte === DOT) {
      if (digits === 0 || parts === 3) return -1;
      value = value * 256 + part;
      parts++;
      part = 0;
      digits = 0;
    } else {
      return -1;
    }
  }
  if (digits === 0 || parts !== 3) return -1;
  return value * 256 + part;
}

/**
 * An IPv6 address in bytes[start, end) written as four words at out[offset..offset+3]; false when it is
 * not one. Accepts "::" anywhere, non-canonical forms ("1:0:0:0:0:0:2a::") and a trailing dotted quad.
 */
const groups = new Uint32Array(8);

export function parseIpv6(bytes: Uint8Array, start: number, end: number, out: Uint32Array, offset: number): boolean {
  let count = 0;
  let gapAt = -1;
  let i = start;
  if (end - start < 2) return false;
  if (bytes[i] === COLON) {
    if (bytes[i + 1] !== COLON) return false;
    gapAt = 0;
    i += 2;
    if (i === end) return fill(groups, count, gapAt, out, offset);
  }
  while (i < end) {
    if (count === 8) return false;
    let value = 0;
    let digits = 0;
    let j = i;
    for (; j < end && digits < 5; j++) {
      const digit = hexValue(bytes[j]!);
      if (digit < 0) break;
      value = value * 16 + digit;
      digits++;
    }
    if (digits === 0 || digits > 4) {
      return false;
    }
    if (j < end && bytes[j] === DOT) {
      // The last 32 bits as a dotted quad.
      if (count > 6) return false;
      const v4 = parseIpv4(bytes, i, end);
      if (v4 < 0) return false;
      groups[count++] = v4 >>> 16;
      groups[count++] = v4 & 0xffff;
      return fill(groups, count, gapAt, out, offset);
    }
    groups[count++] = value;
    if (j === end) break;
    if (bytes[j] !== COLON) return false;
    j++;
    if (j < end && bytes[j] === COLON) {
      if (gapAt >= 0) return false;
      gapAt = count;
      j++;
      if (j === end) break;
    } else if (j === end) {
      return false;
    }
    i = j;
  }
  return fill(groups, count, gapAt, out, offset);
}

function fill(groups: Uint32Array, count: number, gapAt: number, out: Uint32Array, offset: number): boolean {
  if (gapAt < 0 ? count !== 8 : count > 7) return false;
  const zeros = 8 - count;
  let g = 0;
  for (let w = 0; w < 4; w++) {
    const high = groupAt(groups, g++, gapAt, zeros);
    const low = groupAt(groups, g++, gapAt, zeros);
    out[offset + w] = high * 0x10000 + low;
  }
  return true;
}

/** The index-th of the eight groups once the gap "::" stands for `zeros` zero groups. */
function groupAt(groups: Uint32Array, index: number, gapAt: number, zeros: number): number {
  if (gapAt < 0 || index < gapAt) return groups[index]!;
  if (index < gapAt + zeros) return 0;
  return groups[index - zeros]!;
}

const MAX_TEXT = 64;
const scratchBytes = new Uint8Array(MAX_TEXT);

/**
 * Parses an address given as text into `words` (length >= 4): returns 4 with the IPv4 value in words[0]
 * (also for IPv4-mapped IPv6, ::ffff:a.b.c.d), 6 with the IPv6 words in words[0..3], or 0 for anything
 * else. Allocates nothing: lookups run it for every address.
 */
export function parseAddressInto(text: string, words: Uint32Array): 0 | 4 | 6 {
  const length = text.length;
  if (length === 0 || length > MAX_TEXT) return 0;
  // The common case, a dotted quad, read straight from the string.
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  let i = 0;
  for (; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code >= ZERO && code <= NINE) {
      // Not a dotted quad (a leading zero, a part above 255): perhaps IPv6 ("2001:..."), read below.
      if ((digits > 0 && part === 0) || part * 10 + (code - ZERO) > 255) break;
      part = part * 10 + (code - ZERO);
      digits++;
    } else if (code === DOT && digits > 0 && dots < 3) {
      value = value * 256 + part;
      dots++;
      part = 0;
      digits = 0;
    } else {
      break;
    }
  }
  if (i === length) {
    if (dots !== 3 || digits === 0) return 0;
    words[0] = value * 256 + part;
    return 4;
  }
  let colon = false;
  for (let j = 0; j < length; j++) {
    const code = text.charCodeAt(j);
    if (code > 0x7f) return 0;
    if (code === COLON) colon = true;
    scratchBytes[j] = code;
  }
  if (!colon) return 0;
  if (!parseIpv6(scratchBytes, 0, length, words, 0)) return 0;
  if (words[0] === 0 && words[1] === 0 && words[2] === 0xffff) {
    words[0] = words[3]!;
    return 4;
  }
  return 6;
}
