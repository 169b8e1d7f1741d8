// What a snapshot says about where a host is served from, in a form that can be compared: sorted sets
// without TTLs or the address that happened to be connected to. Pure.
import { canonicalJson } from '../domain/canonical-json.js';
import type { ProvenanceSnapshot } from './snapshot.js';

export interface NetworkName {
  readonly asn: number;
  readonly org: string;
}

/**
 * The last thing known of each dimension for one (monitor, vantage). A snapshot that failed part way
 * (no certificate because the connection failed, no addresses because the resolver timed out) leaves
 * the dimensions it could not see as they were, so a passing failure is not a change.
 */
export interface ProvenanceView {
  /** A name resolution has succeeded at least once: the address dimensions are known. */
  readonly resolved: boolean;
  /** A snapshot without error has been seen: the CDN dimension is known. */
  readonly answered: boolean;
  /** Sorted, unique. */
  readonly addresses: readonly string[];
  /** The CNAME chain's last name, when the host is an alias. */
  readonly cnameTarget?: string;
  /** Networks the addresses belong to (those the IP database covers), sorted by ASN then name. */
  readonly networks: readonly NetworkName[];
  /** Registered countries of those networks, sorted, unique. */
  readonly countries: readonly string[];
  readonly certificate?: { readonly issuer: string; readonly fingerprint256: string };
  /** Sorted, unique. */
  readonly cdns: readonly string[];
}

export const EMPTY_VIEW: ProvenanceView = { resolved: false, answered: false, addresses: [], networks: [], countries: [], cdns: [] };

const sortedUnique = (values: Iterable<string>): string[] => [...new Set(values)].sort();

/** The view after `snapshot`: what it saw, and for what it could not see, what was known before. */
export function viewAfter(previous: ProvenanceView | undefined, snapshot: ProvenanceSnapshot): ProvenanceView {
  const before = previous ?? EMPTY_VIEW;
  const resolved = snapshot.addresses.length > 0;
  const answered = snapshot.error === undefined;
  const cnameTarget = resolved ? snapshot.cnames.at(-1) : before.cnameTarget;
  const certificate = snapshot.certificate
    ? { issuer: snapshot.certificate.issuer, fingerprint256: snapshot.certificate.fingerprint256 }
    : before.certificate;
  return {
    resolved: resolved || before.resolved,
    answered: answered || before.answered,
    addresses: resolved ? sortedUnique(snapshot.addresses.map((a) => a.address)) : before.addresses,
    ...(cnameTarget !== undefined ? { cnameTarget } : {}),
    networks: resolved ? networksOf(snapshot) : before.networks,
    countries: resolved ? sortedUnique(snapshot.networks.flatMap((n) => (n.country ? [n.country] : []))) : before.countries,
    ...(certificate ? { certificate } : {}),
    cdns: answered ? sortedUnique(snapshot.cdns) : before.cdns,
  };
}

function networksOf(snapshot: ProvenanceSnapshot): NetworkName[] {
  const byKey = new Map<string, NetworkName>();
  for (const network of snapshot.networks) {
    if (network.asn === undefined) continue;
    const name = { asn: network.asn, org: network.org ?? '' };
    byKey.set(`${name.asn}\u0000${name.org}`, name);
  }
  return [...byKey.values()].sort((a, b) => a.asn - b.asn || (a.org < b.org ? -1 : a.org > b.org ? 1 : 0));
}

/**
 * What makes two snapshots "the same" for the ledger: everything but TTLs and which of the addresses
 * was connected to (round-robin DNS would otherwise make every observation a row of its own).
 */
export function identityOf(snapshot: ProvenanceSnapshot): string {
  return canonicalJson({
    host: snapshot.host,
    port: snapshot.port,
    resolver: snapshot.resolver ?? null,
    cnames: snapshot.cnames,
    addresses: sortedUnique(snapshot.addresses.map((a) => a.address)),
    networks: sortedUnique(snapshot.networks.map((n) => canonicalJson(n))),
    certificate: snapshot.certificate ?? null,
    cdns: sortedUnique(snapshot.cdns),
    error: snapshot.error?.kind ?? null,
  });
}

export const formatNetwork = (network: NetworkName): string => `AS${network.asn}${network.org ? ` ${network.org}` : ''}`;
