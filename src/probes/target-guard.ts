// The SSRF guard: monitors made through the API may only reach public addresses (unless the config
// says `api.allowPrivateTargets: true`). It is checked on the addresses a name resolves to at every
// check and every redirect hop, and the connection then uses exactly those addresses (fixedLookup), so
// a name that resolves to a public address once and to 127.0.0.1 the next time is refused that time.
import ipaddr from 'ipaddr.js';
import { ProbeFailure } from './errors.js';

/** Why an address is off limits ("loopback", "private", "linkLocal"...), or undefined for a public unicast address. */
export function forbiddenRange(address: string): string | undefined {
  if (!ipaddr.isValid(address)) return 'unparsable';
  // process() turns IPv4-mapped IPv6 (::ffff:127.0.0.1) into the IPv4 address it carries.
  const range = ipaddr.process(address).range();
  return range === 'unicast' ? undefined : range;
}

/** Throws a `target_forbidden` failure when any of the addresses is not public. */
export function assertPublicAddresses(host: string, addresses: readonly { readonly address: string }[]): void {
  for (const { address } of addresses) {
    const range = forbiddenRange(address);
    if (range === undefined) continue;
    const via = address === host ? '' : ` (${host} resolves to it)`;
    throw new ProbeFailure(
      'target_forbidden',
      `${address} is a ${range} address${via}: monitors made through the API may only reach public addresses (set api.allowPrivateTargets: true to allow it)`,
    );
  }
}
