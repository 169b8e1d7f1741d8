// The IP database tests use: loopback test addresses mapped to made-up networks and countries.
import type { IpDb, IpInfo } from '../../src/provenance/ipdb.js';

export const EXAMPLE_NET_A: IpInfo = { asn: 64500, org: 'Example Net A', country: 'NL' };
export const EXAMPLE_NET_B: IpInfo = { asn: 64501, org: 'Example Net B', country: 'US' };

const TABLE: ReadonlyMap<string, IpInfo> = new Map([
  ['127.0.0.2', EXAMPLE_NET_A],
  ['127.0.0.3', EXAMPLE_NET_B],
  ['::2', EXAMPLE_NET_A],
]);

export function fixtureIpDb(): IpDb {
  return {
    lookup: (ip) => TABLE.get(ip),
    info: () => ({ date: '2026-01-01', ipv4Ranges: 2, ipv6Ranges: 1, source: 'test fixture', attribution: 'test fixture' }),
  };
}
