// A tiny authoritative DNS server on 127.0.0.1 (UDP, plus TCP on the same port) answering from an
// in-memory zone. Names can be made to fail: NXDOMAIN, SERVFAIL, REFUSED, silence, or truncation.
import dgram from 'node:dgram';
import net from 'node:net';
import * as dnsPacket from 'dns-packet';
import { LOOPBACK } from './loopback-servers.js';

export type TestRecord =
  | { type: 'A' | 'AAAA' | 'CNAME' | 'NS'; ttl: number; data: string }
  | { type: 'MX'; ttl: number; data: { preference: number; exchange: string } }
  | { type: 'TXT'; ttl: number; data: string[] };

export interface TestZoneEntry {
  readonly records?: readonly TestRecord[];
  readonly rcode?: 'NXDOMAIN' | 'SERVFAIL' | 'REFUSED';
  /** Never answer: the client must time out. */
  readonly silent?: boolean;
  /** Over UDP, reply with TC set and no answers; the full answer comes over TCP. */
  readonly truncated?: boolean;
}

/** Lower-case names without trailing dot; names not listed are NXDOMAIN. */
export type TestZone = Readonly<Record<string, TestZoneEntry>>;

export interface RunningDnsServer {
  readonly host: string;
  readonly port: number;
  /** Every question received, in order. */
  readonly queries: { transport: 'udp' | 'tcp'; name: string; type: string }[];
  close(): Promise<void>;
}

const RCODES = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 } as const;

function answerFor(zone: TestZone, query: dnsPacket.DecodedPacket, transport: 'udp' | 'tcp'): Buffer | undefined {
  const question = query.questions?.[0];
  if (!question) return undefined;
  const name = question.name.toLowerCase().replace(/\.$/, '');
  const entry = zone[name];
  if (entry?.silent) return undefined;
  const rcode = entry ? (entry.rcode ?? 'NOERROR') : 'NXDOMAIN';
  const truncate = entry?.truncated === true && transport === 'udp';
  const records =
    rcode !== 'NOERROR' || truncate
      ? []
      : (entry?.records ?? []).filter((record) => record.type === question.type || record.type === 'CNAME');
  let flags = dnsPacket.AUTHORITATIVE_ANSWER | RCODES[rcode];
  if (truncate) flags |= dnsPacket.TRUNCATED_RESPONSE;
  if (query.flag_rd) flags |= dnsPacket.RECURSION_DESIRED;
  return dnsPacket.encode({
    type: 'response',
    id: query.id ?? 0,
    flags,
    questions: [question],
    answers: records.map((record) => ({ ...record, name: question.name, class: 'IN' }) as dnsPacket.Answer),
  });
}

async function bindBoth(host: string): Promise<{ udp: dgram.Socket; tcp: net.Server; port: number }> {
  // TCP on the same port number as UDP: retry in the rare case another test holds that TCP port.
  for (let attempt = 0; ; attempt++) {
    const udp = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => udp.bind(0, host, resolve));
    const port = udp.address().port;
    const tcp = net.createServer();
    const bound = await new Promise<boolean>((resolve) => {
      tcp.once('error', () => resolve(false));
      tcp.listen(port, host, () => resolve(true));
    });
    if (bound) return { udp, tcp, port };
    udp.close();
    if (attempt >= 10) throw new Error('could not bind TCP and UDP on one loopback port');
  }
}

/** `host` is another loopback address when a test needs resolvers that are distinct hosts (127.0.0.2...). */
export async function startDnsServer(zone: TestZone, options: { host?: string } = {}): Promise<RunningDnsServer> {
  const host = options.host ?? LOOPBACK;
  if (!host.startsWith('127.')) throw new Error(`test DNS servers bind loopback only, not ${host}`);
  const { udp, tcp, port } = await bindBoth(host);
  const queries: RunningDnsServer['queries'] = [];
  const sockets = new Set<net.Socket>();

  const record = (query: dnsPacket.DecodedPacket, transport: 'udp' | 'tcp'): void => {
    const question = query.questions?.[0];
    if (question) queries.push({ transport, name: question.name, type: question.type });
  };

  udp.on('message', (message, remote) => {
    const query = dnsPacket.decode(message);
    record(query, 'udp');
    const reply = answerFor(zone, query, 'udp');
    if (reply) udp.send(reply, remote.port, remote.address);
  });
  tcp.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    let buffered = Buffer.alloc(0);
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length < 2 || buffered.length < 2 + buffered.readUInt16BE(0)) return;
      const query = dnsPacket.decode(buffered.subarray(2, 2 + buffered.readUInt16BE(0)));
      record(query, 'tcp');
      const reply = answerFor(zone, query, 'tcp');
      if (!reply) return;
      const length = Buffer.alloc(2);
      length.writeUInt16BE(reply.length);
      socket.end(Buffer.concat([length, reply]));
    });
  });

  return {
    host,
    port,
    queries,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await Promise.all([
        new Promise<void>((resolve) => udp.close(() => resolve())),
        new Promise<void>((resolve) => tcp.close(() => resolve())),
      ]);
    },
  };
}
