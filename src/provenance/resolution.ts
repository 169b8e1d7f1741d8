// How a name resolves, as one resolver answers it: A and AAAA asked straight to the resolver (with
// dns-packet, as the DNS probe does), the CNAME chain followed in order, every address with its TTL.
// A resolver that only points at the next name (an authoritative server, not a recursive one) is asked
// again for that name, a bounded number of times.
import { isIP } from 'node:net';
import type * as dnsPacket from 'dns-packet';
import { askResolver, rcodeOf, RCODE_KINDS, trimDot, type ResolverAddress, type StrayCount } from '../probes/dns.js';
import { ProbeFailure, toProbeFailure, type Deadline } from '../probes/errors.js';
import type { ResolvedAddress } from './snapshot.js';

/** CNAMEs followed at most, across queries: more is a loop or a mistake. */
export const MAX_CNAMES = 8;

export interface Resolution {
  readonly cnames: readonly string[];
  readonly addresses: readonly ResolvedAddress[];
}

type Family = 4 | 6;

interface FamilyAnswer {
  readonly cnames: string[];
  readonly addresses: ResolvedAddress[];
}

function normalName(name: string): string {
  return trimDot(name).toLowerCase();
}

/** Follows the chain from `name` within one reply; returns the names it led to, in order. */
function chainIn(reply: dnsPacket.DecodedPacket, name: string): string[] {
  const targets = new Map<string, string>();
  for (const answer of reply.answers ?? []) {
    if (answer.type === 'CNAME' && typeof answer.data === 'string') targets.set(normalName(answer.name), normalName(answer.data));
  }
  const chain: string[] = [];
  let current = name;
  while (targets.has(current) && chain.length < MAX_CNAMES + 1) {
    current = targets.get(current)!;
    chain.push(current);
  }
  return chain;
}

function addressesIn(reply: dnsPacket.DecodedPacket, owner: string, family: Family): ResolvedAddress[] {
  const type = family === 4 ? 'A' : 'AAAA';
  const found: ResolvedAddress[] = [];
  for (const answer of reply.answers ?? []) {
    if (answer.type !== type || normalName(answer.name) !== owner || typeof answer.data !== 'string') continue;
    // A resolver may answer anything in the data field; only real addresses of the family count.
    if (isIP(answer.data) !== family) continue;
    found.push({ address: answer.data, family, ttl: (answer as { ttl?: number }).ttl ?? 0 });
  }
  return found;
}

async function resolveFamily(resolver: ResolverAddress, host: string, family: Family, deadline: Deadline, strays: StrayCount): Promise<FamilyAnswer> {
  const cnames: string[] = [];
  let name = host;
  for (;;) {
    const { reply } = await askResolver(resolver, { name, recordType: family === 4 ? 'A' : 'AAAA' }, deadline, strays);
    const rcode = rcodeOf(reply);
    if (rcode !== 'NOERROR') {
      const failed = name === host ? host : `${host} (via ${name})`;
      throw new ProbeFailure(RCODE_KINDS[rcode] ?? 'dns_error', `${rcode} for ${failed} ${family === 4 ? 'A' : 'AAAA'}`);
    }
    const chain = chainIn(reply, name);
    cnames.push(...chain);
    if (cnames.length > MAX_CNAMES) throw new ProbeFailure('dns_error', `more than ${MAX_CNAMES} CNAMEs from ${host}: ${cnames.join(' → ')}`);
    const owner = chain.at(-1) ?? name;
    const addresses = addressesIn(reply, owner, family);
    if (addresses.length > 0 || chain.length === 0) return { cnames, addresses };
    // Only the next name: ask for it.
    name = owner;
  }
}

/** The kind of a failed resolution when the deadline fired while strays arrived: the resolver answered garbage. */
function withStrays(failure: ProbeFailure, strays: StrayCount): ProbeFailure {
  if (failure.kind !== 'dns_timeout' || strays.strays === 0) return failure;
  return new ProbeFailure('dns_error', `the resolver sent ${strays.strays} datagram(s) that were not a reply to the question, and no reply`);
}

/** A and AAAA for `host` from `resolver`; throws a ProbeFailure (dns_*) when there is no address at all. */
export async function resolveWith(resolver: ResolverAddress, host: string, deadline: Deadline): Promise<Resolution> {
  const name = normalName(host);
  const strays: StrayCount = { strays: 0 };
  const [v4, v6] = await Promise.allSettled([resolveFamily(resolver, name, 4, deadline, strays), resolveFamily(resolver, name, 6, deadline, strays)]);
  const answers = [v4, v6].flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const addresses = answers.flatMap((answer) => answer.addresses);
  const cnames = answers.map((answer) => answer.cnames).sort((a, b) => b.length - a.length)[0] ?? [];
  if (addresses.length > 0) return { cnames, addresses };
  // Nothing to connect to: the A query's failure says most (NXDOMAIN, SERVFAIL, a timeout), else AAAA's.
  for (const result of [v4, v6]) {
    if (result.status === 'rejected') {
      const failure = toProbeFailure(result.reason, 'dns', deadline);
      throw withStrays(failure.kind.startsWith('connect_') ? new ProbeFailure('dns_error', `resolver unreachable: ${failure.message}`) : failure, strays);
    }
  }
  throw new ProbeFailure('dns_no_answer', `no A or AAAA record for ${name}${cnames.length > 0 ? ` (via ${cnames.join(' → ')})` : ''}`);
}
