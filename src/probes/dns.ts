// The DNS probe: one query straight to a resolver (UDP, TCP when the reply is truncated), so the
// rcode, the answers and their TTLs are observed as the resolver gave them, not as getaddrinfo saw them.
import dgram from 'node:dgram';
import net from 'node:net';
import dns from 'node:dns';
import { randomInt } from 'node:crypto';
import * as dnsPacket from 'dns-packet';
import type { DnsProbeSpec, DnsRcode } from '../domain/monitor.js';
import { Deadline, ProbeFailure, failedOutcome, okOutcome, resolveHost, toProbeFailure } from './errors.js';
import type { Probe, ProbeOutcome, ProbeRunOptions } from './types.js';
import type { DnsAnswer, DnsDetails, ErrorKind, Phases } from '../domain/observation.js';


export interface ResolverAddress {
  readonly host: string;
  readonly port: number;
}

/** What is asked: a name and a record type. */
export type DnsQuestion = Pick<DnsProbeSpec, 'name' | 'recordType'>;

/** Datagrams that came back but were not our reply (undecodable, or another id or name): kept for the diagnosis of a timeout. */
export interface StrayCount {
  strays: number;
}

export interface DnsProbeDeps {
  /** The system's resolvers, in Node's getServers() format; default node:dns getServers. */
  readonly systemResolvers?: () => string[];
}

export const RCODE_NAMES: Record<number, string> = {
  0: 'NOERROR',
  1: 'FORMERR',
  2: 'SERVFAIL',
  3: 'NXDOMAIN',
  4: 'NOTIMP',
  5: 'REFUSED',
};

export const RCODE_KINDS: Record<string, ErrorKind> = {
  NXDOMAIN: 'dns_nxdomain',
  SERVFAIL: 'dns_servfail',
  REFUSED: 'dns_refused',
};

/** "1.2.3.4", "1.2.3.4:5353", "::1", "[::1]:5353" -> host and port. */
export function parseServerAddress(server: string): ResolverAddress | undefined {
  const bracketed = /^\[(.+)\]:(\d+)$/.exec(server);
  if (bracketed) return { host: bracketed[1]!, port: Number(bracketed[2]) };
  if (net.isIP(server) !== 0) return { host: server, port: 53 };
  const withPort = /^([^:]+):(\d+)$/.exec(server);
  if (withPort && net.isIP(withPort[1]!) === 4) return { host: withPort[1]!, port: Number(withPort[2]) };
  return undefined;
}

export function trimDot(name: string): string {
  return name.endsWith('.') && name.length > 1 ? name.slice(0, -1) : name;
}

export function presentData(answer: dnsPacket.Answer): string {
  switch (answer.type) {
    case 'A':
    case 'AAAA':
      return answer.data;
    case 'CNAME':
    case 'NS':
    case 'PTR':
    case 'DNAME':
      return trimDot(answer.data).toLowerCase();
    case 'MX':
      return `${answer.data.preference ?? 0} ${trimDot(answer.data.exchange).toLowerCase()}`;
    case 'TXT': {
      const parts = Array.isArray(answer.data) ? answer.data : [answer.data];
      return parts.map((part) => (typeof part === 'string' ? part : part.toString('utf8'))).join('');
    }
    case 'SOA':
      return `${trimDot(answer.data.mname)} ${trimDot(answer.data.rname)} ${answer.data.serial ?? 0}`;
    default:
      return Buffer.isBuffer((answer as { data?: unknown }).data) ? ((answer as { data: Buffer }).data.toString('hex')) : '';
  }
}

/** Canonical text for comparing an expected answer with an observed one. */
function canonical(value: string, type: string): string {
  const text = trimDot(value.trim()).toLowerCase();
  if (type === 'AAAA' && net.isIP(text) === 6) return new URL(`http://[${text}]/`).hostname.slice(1, -1);
  return text;
}

function answerMatches(expected: string, answer: DnsAnswer): boolean {
  if (answer.type === 'TXT') return answer.data === expected;
  const want = canonical(expected, answer.type);
  const have = canonical(answer.data, answer.type);
  if (want === have) return true;
  // MX may be listed as just the exchange.
  return answer.type === 'MX' && have.split(' ')[1] === want;
}

function buildQuery(spec: DnsQuestion, id: number): dnsPacket.Packet {
  return {
    type: 'query',
    id,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ type: spec.recordType, name: spec.name, class: 'IN' }],
    additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 1232, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }],
  };
}

/** A reply for our question, not a stray or spoofed datagram. */
function isReplyTo(reply: dnsPacket.DecodedPacket, id: number, spec: DnsQuestion): boolean {
  const question = reply.questions?.[0];
  return (
    reply.id === id &&
    reply.flag_qr &&
    (question === undefined || trimDot(question.name).toLowerCase() === trimDot(spec.name).toLowerCase())
  );
}

function queryUdp(resolver: ResolverAddress, query: Buffer, id: number, spec: DnsQuestion, deadline: Deadline, strays?: StrayCount) {
  return new Promise<dnsPacket.DecodedPacket>((resolve, reject) => {
    const socket = dgram.createSocket(net.isIP(resolver.host) === 6 ? 'udp6' : 'udp4');
    let settled = false;
    // send() throws at once on a socket whose connect failed: that is a failure of this check, not a crash.
    const send = (): void => {
      if (settled) return;
      try {
        socket.send(query);
      } catch (error) {
        settle(undefined, error);
      }
    };
    // One retransmission halfway: a single lost datagram should not look like an outage.
    const retransmit = setTimeout(send, Math.max(1, deadline.timeoutMs / 2));
    const settle = (reply?: dnsPacket.DecodedPacket, error?: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(retransmit);
      stopWaiting();
      socket.close();
      if (reply) resolve(reply);
      else reject(error);
    };
    const onAbort = (): void => settle(undefined, deadline.failureAt('dns'));
    const stopWaiting = deadline.onExpire(onAbort);
    socket.on('error', (error) => settle(undefined, error));
    socket.on('message', (message) => {
      let reply: dnsPacket.DecodedPacket;
      try {
        reply = dnsPacket.decode(message);
      } catch {
        // An undecodable datagram is not an answer; keep waiting for one that is.
        if (strays) strays.strays++;
        return;
      }
      if (isReplyTo(reply, id, spec)) settle(reply);
      else if (strays) strays.strays++;
    });
    // The callback also receives a failed connect (no route to the resolver, network down).
    socket.connect(resolver.port, resolver.host, (error?: Error) => (error ? settle(undefined, error) : send()));
    if (deadline.expired) onAbort();
  });
}

function queryTcp(resolver: ResolverAddress, query: Buffer, id: number, spec: DnsQuestion, deadline: Deadline) {
  return new Promise<dnsPacket.DecodedPacket>((resolve, reject) => {
    const socket = net.connect({ host: resolver.host, port: resolver.port });
    let buffered = Buffer.alloc(0);
    let settled = false;
    const settle = (reply?: dnsPacket.DecodedPacket, error?: unknown): void => {
      if (settled) return;
      settled = true;
      stopWaiting();
      socket.destroy();
      if (reply) resolve(reply);
      else reject(error);
    };
    const onAbort = (): void => settle(undefined, deadline.failureAt('dns'));
    const stopWaiting = deadline.onExpire(onAbort);
    socket.on('error', (error) => settle(undefined, error));
    socket.on('connect', () => socket.write(query));
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length < 2 || buffered.length < 2 + buffered.readUInt16BE(0)) return;
      try {
        const reply = dnsPacket.decode(buffered.subarray(2, 2 + buffered.readUInt16BE(0)));
        if (isReplyTo(reply, id, spec)) settle(reply);
        else settle(undefined, new ProbeFailure('dns_error', 'TCP reply does not match the query'));
      } catch (error) {
        settle(undefined, new ProbeFailure('dns_error', `malformed TCP reply: ${(error as Error).message}`));
      }
    });
    socket.on('close', () => settle(undefined, new ProbeFailure('dns_error', 'resolver closed the TCP connection without a reply')));
    if (deadline.expired) onAbort();
  });
}

function evaluateReply(spec: DnsProbeSpec, rcode: string, answers: readonly DnsAnswer[]): { kind: ErrorKind; message: string } | undefined {
  const expected: DnsRcode | undefined = spec.expect.rcode;
  if (expected !== undefined && rcode !== expected) {
    // Expecting success and getting an error rcode is that error; any other mismatch is the assertion failing.
    return {
      kind: expected === 'NOERROR' ? (RCODE_KINDS[rcode] ?? 'dns_error') : 'assertion_failed',
      message: `expected rcode ${expected}, got ${rcode} for ${spec.name} ${spec.recordType}`,
    };
  }
  if (expected === undefined) {
    if (rcode !== 'NOERROR') return { kind: RCODE_KINDS[rcode] ?? 'dns_error', message: `${rcode} for ${spec.name} ${spec.recordType}` };
    if (!answers.some((answer) => answer.type === spec.recordType)) {
      return { kind: 'dns_no_answer', message: `no ${spec.recordType} record for ${spec.name}` };
    }
  }
  const missing = (spec.expect.answers ?? []).filter((want) => !answers.some((answer) => answerMatches(want, answer)));
  if (missing.length > 0) {
    const got = answers.map((answer) => `${answer.type} ${answer.data}`).join('; ') || 'no answers';
    return { kind: 'assertion_failed', message: `answers: missing ${missing.map((m) => JSON.stringify(m)).join(', ')}; got ${got}` };
  }
  return undefined;
}

/** One question to one resolver: over UDP, again over TCP when the reply is truncated. */
export async function askResolver(
  resolver: ResolverAddress,
  question: DnsQuestion,
  deadline: Deadline,
  strays?: StrayCount,
): Promise<{ reply: dnsPacket.DecodedPacket; transport: 'udp' | 'tcp' }> {
  const id = randomInt(0, 65536);
  const query = buildQuery(question, id);
  const reply = await queryUdp(resolver, dnsPacket.encode(query), id, question, deadline, strays);
  if (!reply.flag_tc) return { reply, transport: 'udp' };
  return { reply: await queryTcp(resolver, dnsPacket.streamEncode(query), id, question, deadline), transport: 'tcp' };
}

/** The rcode's name ("NXDOMAIN"), or "RCODE<n>" for one without a name here. */
export function rcodeOf(reply: dnsPacket.DecodedPacket): string {
  const code = (reply.flags ?? 0) & 0xf;
  return RCODE_NAMES[code] ?? `RCODE${code}`;
}

/** The first resolver the system is configured with (/etc/resolv.conf), or a ProbeFailure saying why not. */
export function systemResolver(deps: DnsProbeDeps = {}): ResolverAddress {
  // Read through the module object on every run: dns.setServers() rebinds it, a named import would not follow.
  const servers = deps.systemResolvers ? deps.systemResolvers() : dns.getServers();
  const first = servers[0];
  const parsed = first === undefined ? undefined : parseServerAddress(first);
  if (!parsed) throw new ProbeFailure('dns_error', first === undefined ? 'no system resolver configured' : `cannot use system resolver ${first}`);
  return parsed;
}

function pickResolver(spec: DnsProbeSpec, deps: DnsProbeDeps): ResolverAddress {
  if (spec.resolver) return spec.resolver;
  return systemResolver(deps);
}

export function createDnsProbe(deps: DnsProbeDeps = {}): Probe<DnsProbeSpec> {
  return {
    type: 'dns',
    async run(spec: DnsProbeSpec, options: ProbeRunOptions): Promise<ProbeOutcome> {
      const deadline = new Deadline(options);
      const phasesNow = (): Phases => {
        const elapsed = deadline.elapsedMs();
        return { dns: elapsed, total: elapsed };
      };
      let resolver: ResolverAddress | undefined;
      const details: { -readonly [K in keyof DnsDetails]: DnsDetails[K] } = { type: 'dns' };
      try {
        resolver = pickResolver(spec, deps);
        details.resolver = `${resolver.host}:${resolver.port}`;
        // A resolver named in a monitor made through the API is a target like any other; the system's own is trusted.
        if (options.publicTargetsOnly && spec.resolver) await resolveHost(resolver.host, deadline, { publicOnly: true });
        const { reply, transport } = await askResolver(resolver, spec, deadline);
        details.transport = transport;
        const phases = phasesNow();
        const rcode = rcodeOf(reply);
        const answers: DnsAnswer[] = (reply.answers ?? [])
          .filter((answer) => answer.type !== 'OPT')
          .map((answer) => ({
            type: answer.type,
            name: trimDot(answer.name).toLowerCase(),
            ttl: (answer as { ttl?: number }).ttl ?? 0,
            data: presentData(answer),
          }));
        Object.assign(details, { rcode, answers });
        const failure = evaluateReply(spec, rcode, answers);
        if (failure) return failedOutcome(failure, phases, details, resolver.host);
        return okOutcome(phases, details, resolver.host);
      } catch (error) {
        let failure = toProbeFailure(error, 'dns', deadline);
        if (failure.kind.startsWith('connect_')) {
          failure = new ProbeFailure('dns_error', `resolver unreachable: ${failure.message}`);
        }
        return failedOutcome(failure.toProbeError(), phasesNow(), details, resolver?.host);
      } finally {
        deadline.dispose();
      }
    },
  };
}
