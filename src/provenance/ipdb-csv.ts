// Reads the CSV files of the @ip-location-db packages into range tables, byte by byte: a million lines
// in well under a second, without making a string per line. The format is fixed and simple (no header;
// `start,end,asn,organisation` or `start,end,CC`; bounds as addresses or, for IPv4, as numbers; only
// the organisation is ever quoted, with "" for a quote), which is why this is not a general CSV parser:
// a general one makes a string per field and takes seconds over these files.
import { parseIpv4, parseIpv6 } from './ip-address.js';
import { RangeTableBuilder, type RangeTable } from './range-table.js';

export class IpDbError extends Error {
  constructor(
    readonly code: 'ipdb_missing' | 'ipdb_malformed',
    message: string,
  ) {
    super(message);
    this.name = 'IpDbError';
  }
}

const COMMA = 0x2c;
const NEWLINE = 0x0a;
const RETURN = 0x0d;
const QUOTE = 0x22;

/**
 * The autonomous systems met in the files, numbered densely in the order met: their numbers and their
 * organisations' names (stored once as UTF-8, decoded on first use). Ranges refer to an AS by this
 * index, so a lookup reads two arrays instead of hashing. An AS has one name: the first the files give
 * (in the published files every AS has exactly one).
 */
export class AsOrganisations {
  private bytes = Buffer.alloc(1 << 20);
  private used = 0;
  /** ASN → its index. */
  private readonly indexes = new Map<number, number>();
  private asnsByIndex: Uint32Array = new Uint32Array(1024);
  private starts: Uint32Array = new Uint32Array(1024);
  private ends: Uint32Array = new Uint32Array(1024);
  private readonly names: string[] = [];
  private lastAsn = -1;
  private lastIndex = -1;

  get size(): number {
    return this.indexes.size;
  }

  /** The index of `asn`, recording the name in source[start, end) the first time; `quoted`: "" stands for a quote. */
  add(asn: number, source: Uint8Array, start: number, end: number, quoted: boolean): number {
    if (asn === this.lastAsn) return this.lastIndex;
    this.lastAsn = asn;
    const known = this.indexes.get(asn);
    if (known !== undefined) {
      this.lastIndex = known;
      return known;
    }
    const length = quoted ? unquotedLength(source, start, end) : end - start;
    if (this.used + length > this.bytes.length) {
      const bigger = Buffer.alloc(Math.max(this.bytes.length * 2, this.used + length));
      this.bytes.copy(bigger, 0, 0, this.used);
      this.bytes = bigger;
    }
    const at = this.used;
    if (quoted) {
      for (let i = start; i < end; i++) {
        this.bytes[this.used++] = source[i]!;
        if (source[i] === QUOTE) i++;
      }
    } else {
      this.bytes.set(source.subarray(start, end), at);
      this.used += length;
    }
    const index = this.indexes.size;
    if (index === this.starts.length) {
      this.starts = grown(this.starts);
      this.ends = grown(this.ends);
      this.asnsByIndex = grown(this.asnsByIndex);
    }
    this.starts[index] = at;
    this.ends[index] = this.used;
    this.asnsByIndex[index] = asn;
    this.names.push('');
    this.indexes.set(asn, index);
    this.lastIndex = index;
    return index;
  }

  asnAt(index: number): number {
    return this.asnsByIndex[index]!;
  }

  nameAt(index: number): string {
    let name = this.names[index]!;
    if (name === '' && this.ends[index]! > this.starts[index]!) {
      name = this.bytes.toString('utf8', this.starts[index], this.ends[index]);
      this.names[index] = name;
    }
    return name;
  }

  nameOf(asn: number): string | undefined {
    const index = this.indexes.get(asn);
    return index === undefined ? undefined : this.nameAt(index);
  }
}

function grown(array: Uint32Array): Uint32Array {
  const bigger = new Uint32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}

function unquotedLength(source: Uint8Array, start: number, end: number): number {
  let length = 0;
  for (let i = start; i < end; i++, length++) if (source[i] === QUOTE) i++;
  return length;
}

export type Family = 4 | 6;

export interface AsnRanges {
  readonly table: RangeTable;
  /** Per range, the AS's index in AsOrganisations. */
  readonly systems: Uint32Array;
}

export interface CountryRanges {
  readonly table: RangeTable;
  /** Two ASCII letters packed as (first << 8) | second. */
  readonly countries: Uint32Array;
}

const start4 = new Uint32Array(1);
const end4 = new Uint32Array(1);
const start6 = new Uint32Array(4);
const end6 = new Uint32Array(4);

/** A bound: an IPv6 address, or for IPv4 a dotted quad or an unsigned decimal number. */
function parseBound(bytes: Uint8Array, start: number, end: number, family: Family, out: Uint32Array): boolean {
  if (family === 6) return parseIpv6(bytes, start, end, out, 0);
  let value = 0;
  let numeric = end > start;
  for (let i = start; i < end && numeric; i++) {
    const byte = bytes[i]!;
    if (byte < 0x30 || byte > 0x39) numeric = false;
    else value = value * 10 + (byte - 0x30);
  }
  if (!numeric) value = parseIpv4(bytes, start, end);
  if (value < 0 || value > 0xffffffff || (numeric && end - start > 10)) return false;
  out[0] = value;
  return true;
}

function estimateLines(bytes: Uint8Array): number {
  let lines = 0;
  for (let at = 0; ; at++) {
    at = (bytes as Buffer).indexOf(NEWLINE, at);
    if (at < 0) return lines + 1;
    lines++;
  }
}

/** The lines of a file, one at a time, without an object per line: `start`/`end` (exclusive, without the line break). */
class Lines {
  number = 0;
  start = 0;
  end = 0;
  private next = 0;

  constructor(private readonly bytes: Uint8Array) {}

  /** Moves to the next non-empty line; false at the end. */
  advance(): boolean {
    const bytes = this.bytes;
    while (this.next < bytes.length) {
      this.number++;
      const start = this.next;
      let end = (bytes as Buffer).indexOf(NEWLINE, start);
      if (end < 0) end = bytes.length;
      this.next = end + 1;
      if (end > start && bytes[end - 1] === RETURN) end--;
      if (end > start) {
        this.start = start;
        this.end = end;
        return true;
      }
    }
    return false;
  }
}

function commaAfter(bytes: Uint8Array, from: number, end: number): number {
  for (let i = from; i < end; i++) if (bytes[i] === COMMA) return i;
  return -1;
}

/** Reads the two bounds of a line into the scratch arrays; returns where the rest begins, or throws. */
function readBounds(bytes: Uint8Array, line: Lines, family: Family, file: string): number {
  const startOut = family === 4 ? start4 : start6;
  const endOut = family === 4 ? end4 : end6;
  const first = commaAfter(bytes, line.start, line.end);
  const second = first < 0 ? -1 : commaAfter(bytes, first + 1, line.end);
  if (second < 0) throw malformed(file, line, 'expected start,end,... with at least three fields');
  if (!parseBound(bytes, line.start, first, family, startOut)) throw malformed(file, line, `start is not an IPv${family} address`);
  if (!parseBound(bytes, first + 1, second, family, endOut)) throw malformed(file, line, `end is not an IPv${family} address`);
  return second + 1;
}

function malformed(file: string, line: Lines, why: string): IpDbError {
  return new IpDbError('ipdb_malformed', `${file}:${line.number}: ${why}`);
}

function addRow(builder: RangeTableBuilder, family: Family, value: number, file: string, line: Lines): void {
  const refused = family === 4 ? builder.add(start4, end4, value) : builder.add(start6, end6, value);
  if (refused) throw malformed(file, line, refused);
}

/** `start,end,asn,organisation`, the organisation possibly quoted. */
export function readAsnCsv(bytes: Uint8Array, family: Family, file: string, organisations: AsOrganisations): AsnRanges {
  const lines = estimateLines(bytes);
  const builder = new RangeTableBuilder(family === 4 ? 1 : 4, lines);
  const line = new Lines(bytes);
  while (line.advance()) {
    const rest = readBounds(bytes, line, family, file);
    const comma = commaAfter(bytes, rest, line.end);
    if (comma < 0 || comma === rest || comma - rest > 10) throw malformed(file, line, 'expected an AS number and an organisation after the range');
    let asn = 0;
    for (let i = rest; i < comma; i++) {
      const digit = bytes[i]! - 0x30;
      if (digit < 0 || digit > 9) throw malformed(file, line, 'the AS number is not a number');
      asn = asn * 10 + digit;
    }
    if (asn > 0xffffffff) throw malformed(file, line, 'the AS number is above 4294967295');
    let orgStart = comma + 1;
    let orgEnd = line.end;
    const quoted = bytes[orgStart] === QUOTE;
    if (quoted) {
      if (orgEnd - orgStart < 2 || bytes[orgEnd - 1] !== QUOTE) throw malformed(file, line, 'the quoted organisation has no closing quote');
      orgStart++;
      orgEnd--;
    }
    const system = organisations.add(asn, bytes, orgStart, orgEnd, quoted);
    addRow(builder, family, system, file, line);
  }
  const { table, values } = builder.build();
  return { table, systems: values };
}

/** `start,end,CC` with an ISO 3166-1 alpha-2 code. */
export function readCountryCsv(bytes: Uint8Array, family: Family, file: string): CountryRanges {
  const builder = new RangeTableBuilder(family === 4 ? 1 : 4, estimateLines(bytes));
  const line = new Lines(bytes);
  while (line.advance()) {
    const rest = readBounds(bytes, line, family, file);
    const first = bytes[rest]! & ~0x20;
    const second = bytes[rest + 1]! & ~0x20;
    const letters = first >= 0x41 && first <= 0x5a && second >= 0x41 && second <= 0x5a;
    if (line.end - rest !== 2 || !letters) throw malformed(file, line, 'expected a two-letter country code after the range');
    addRow(builder, family, (first << 8) | second, file, line);
  }
  const { table, values } = builder.build();
  return { table, countries: values };
}

const countryTexts: string[] = [];

/** "NL" for the packed code; the strings are made once. */
export function countryText(code: number): string {
  let text = countryTexts[code];
  if (text === undefined) {
    text = String.fromCharCode(code >>> 8, code & 0xff);
    countryTexts[code] = text;
  }
  return text;
}
