// What each monitor type checks: the keys that belong to one type only, read into a ProbeSpec.

import { isIP } from 'node:net';
import type { DnsProbeSpec, DnsRcode, DnsRecordType, MonitorType, ProbeSpec, TcpProbeSpec, TlsProbeSpec } from '../domain/monitor.js';
import { readHttpProbe } from './http-schema.js';
import { Fields, readChoice, readInteger, readString, readStringList, type Located, type Reader } from './reader.js';
import type { Settings } from './settings.js';
import { isHost, readHost, readPort } from './values.js';

export const MONITOR_TYPES: readonly MonitorType[] = ['http', 'tcp', 'dns', 'tls'];

/** Keys each type adds to the common monitor keys. */
export const TYPE_KEYS: Readonly<Record<MonitorType, readonly string[]>> = {
  http: ['url', 'method', 'headers', 'body', 'maxRedirects', 'verifyTls', 'maxBodySize', 'keepHeaders', 'expect'],
  tcp: ['host', 'port', 'send', 'expectBanner'],
  dns: ['query', 'recordType', 'resolver', 'expect'],
  tls: ['host', 'port', 'servername', 'expect'],
};

export const DNS_RECORD_TYPES: readonly DnsRecordType[] = ['A', 'AAAA', 'CNAME', 'MX', 'NS', 'TXT'];
export const DNS_RCODES: readonly DnsRcode[] = ['NOERROR', 'NXDOMAIN', 'SERVFAIL', 'REFUSED'];
export const DEFAULT_TLS_PORT = 443;
const DNS_PORT = 53;

export function readProbe(reader: Reader, type: MonitorType, fields: Fields, settings: Settings): ProbeSpec | undefined {
  switch (type) {
    case 'http':
      return readHttpProbe(reader, fields, settings);
    case 'tcp':
      return readTcpProbe(reader, fields);
    case 'dns':
      return readDnsProbe(reader, fields);
    case 'tls':
      return readTlsProbe(reader, fields);
  }
}

function optional<T>(fields: Fields, key: string, read: (at: Located) => T | undefined): { value: T | undefined; failed: boolean } {
  const at = fields.get(key);
  if (!at) return { value: undefined, failed: false };
  const value = read(at);
  return { value, failed: value === undefined };
}

function readTcpProbe(reader: Reader, fields: Fields): TcpProbeSpec | undefined {
  const hostAt = fields.required(reader, 'host');
  const host = hostAt && readHost(reader, hostAt);
  const portAt = fields.required(reader, 'port');
  const port = portAt && readPort(reader, portAt);
  const send = optional(fields, 'send', (at) => readString(reader, at));
  const expectBanner = optional(fields, 'expectBanner', (at) => readString(reader, at));
  if (host === undefined || port === undefined || send.failed || expectBanner.failed) return undefined;
  return {
    type: 'tcp',
    host,
    port,
    ...(send.value === undefined ? {} : { send: send.value }),
    ...(expectBanner.value === undefined ? {} : { expectBanner: expectBanner.value }),
  };
}

function readDnsProbe(reader: Reader, fields: Fields): DnsProbeSpec | undefined {
  // `name` doubles as the name to resolve when `query` is absent: `{ type: dns, name: example.org }`.
  const queryAt = fields.get('query') ?? fields.get('name');
  if (!queryAt) fields.required(reader, 'query', ' (the DNS name to resolve, like "example.org")');
  const query = queryAt && readString(reader, queryAt, { test: (text) => isHost(text) && isIP(text) === 0, expected: 'a DNS name like "example.org"' });
  const recordType = optional(fields, 'recordType', (at) => readChoice(reader, at, DNS_RECORD_TYPES));
  const resolver = optional(fields, 'resolver', (at) => readResolver(reader, at));
  const expect = optional(fields, 'expect', (at) => readDnsExpect(reader, at));
  if (query === undefined || recordType.failed || resolver.failed || expect.failed) return undefined;
  const resolverAddress = resolver.value === 'system' ? undefined : resolver.value;
  return {
    type: 'dns',
    name: query,
    recordType: recordType.value ?? 'A',
    ...(resolverAddress === undefined ? {} : { resolver: resolverAddress }),
    expect: expect.value ?? {},
  };
}

type Resolver = { readonly host: string; readonly port: number };

/** "system", "1.1.1.1", "1.1.1.1:53", "2606:4700::1111" or "[2606:4700::1111]:53". */
export function parseResolver(text: string): Resolver | 'system' | undefined {
  if (text === 'system') return 'system';
  if (isIP(text)) return { host: text, port: DNS_PORT };
  const match = /^\[([0-9A-Fa-f:.]+)\]:(\d{1,5})$/.exec(text) ?? /^([0-9.]+):(\d{1,5})$/.exec(text);
  if (!match || !isIP(match[1] as string)) return undefined;
  const port = Number(match[2]);
  return port >= 1 && port <= 65535 ? { host: match[1] as string, port } : undefined;
}

function readResolver(reader: Reader, at: Located): Resolver | 'system' | undefined {
  const text = readString(reader, at, {
    test: (value) => parseResolver(value) !== undefined,
    expected: 'a resolver IP address like "1.1.1.1" or "1.1.1.1:53", or "system"',
  });
  return text === undefined ? undefined : parseResolver(text);
}

function readDnsExpect(reader: Reader, at: Located): DnsProbeSpec['expect'] | undefined {
  const fields = Fields.read(reader, at, ['answers', 'rcode']);
  if (!fields) return undefined;
  const answers = optional(fields, 'answers', (answersAt) => readStringList(reader, answersAt));
  const rcode = optional(fields, 'rcode', (rcodeAt) => readChoice(reader, rcodeAt, DNS_RCODES));
  if (answers.failed || rcode.failed) return undefined;
  return {
    ...(answers.value === undefined ? {} : { answers: answers.value }),
    ...(rcode.value === undefined ? {} : { rcode: rcode.value }),
  };
}

function readTlsProbe(reader: Reader, fields: Fields): TlsProbeSpec | undefined {
  const hostAt = fields.required(reader, 'host');
  const host = hostAt && readHost(reader, hostAt);
  const port = optional(fields, 'port', (at) => readPort(reader, at));
  const servername = optional(fields, 'servername', (at) =>
    readString(reader, at, { test: (text) => isHost(text) && isIP(text) === 0, expected: 'a server name like "example.org"' }),
  );
  const expect = optional(fields, 'expect', (at) => readTlsExpect(reader, at));
  if (host === undefined || port.failed || servername.failed || expect.failed) return undefined;
  // SNI carries the name without the root's trailing dot ("example.org." is sent as "example.org").
  const sni = servername.value ?? (isIP(host) === 0 ? host.replace(/\.$/, '') : undefined);
  return {
    type: 'tls',
    host,
    port: port.value ?? DEFAULT_TLS_PORT,
    ...(sni === undefined ? {} : { servername: sni }),
    expect: expect.value ?? {},
  };
}

function readTlsExpect(reader: Reader, at: Located): TlsProbeSpec['expect'] | undefined {
  const fields = Fields.read(reader, at, ['minDaysValid']);
  if (!fields) return undefined;
  const minDaysValid = optional(fields, 'minDaysValid', (daysAt) => readInteger(reader, daysAt, 0, 3650));
  if (minDaysValid.failed) return undefined;
  return minDaysValid.value === undefined ? {} : { minDaysValid: minDaysValid.value };
}
