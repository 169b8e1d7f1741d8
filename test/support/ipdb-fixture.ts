// The IP database tests use: loopback test addresses mapped to made-up networks and countries, kept as
// files in the real format (test/fixtures/ipdb) and read by the real loader.
//   127.0.0.2, ::2   AS64500 "Example Net A"  NL
//   127.0.0.3        AS64501 "Example Net B"  US
//   2001:db8::/32    AS64501 "Example Net B"  US
//   127.0.0.4        AS64502 'Example "Quoted" Net C', no country
import { fileURLToPath } from 'node:url';
import type { IpDb, IpInfo } from '../../src/provenance/ipdb.js';
import { loadIpLocationDb } from '../../src/provenance/ip-location-db.js';

export const EXAMPLE_NET_A: IpInfo = { asn: 64500, org: 'Example Net A', country: 'NL' };
export const EXAMPLE_NET_B: IpInfo = { asn: 64501, org: 'Example Net B', country: 'US' };

/** The folder of fixture files, for `--ipdb` in tests of the command line. */
export const FIXTURE_IPDB_DIR = fileURLToPath(new URL('../../../test/fixtures/ipdb/', import.meta.url));

let loaded: IpDb | undefined;

export function fixtureIpDb(): IpDb {
  loaded ??= loadIpLocationDb({ dir: FIXTURE_IPDB_DIR });
  return loaded;
}
