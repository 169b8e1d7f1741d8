// Where a visitor's webhook may point: Candor sends to it on a stranger's word, so only to public
// addresses (no loopback, private, link-local, shared or multicast ranges), unless the operator allows
// private ones (an intranet status page). The check runs when subscribing and again before each send.
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

const NOT_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24],
  ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) NOT_PUBLIC.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['2001:db8::', 32], ['64:ff9b::', 96]] as const) NOT_PUBLIC.addSubnet(network, prefix, 'ipv6');

export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return isPublicAddress(mapped);
  return !NOT_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export type Resolve = (host: string) => Promise<string[]>;
const systemResolve: Resolve = async (host) => (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);

/** undefined when `url` may be sent to; else why not, in words for the visitor. */
export async function webhookTargetProblem(url: string, allowPrivate: boolean, resolve: Resolve = systemResolve): Promise<string | undefined> {
  if (!URL.canParse(url)) return 'Please enter a URL like https://hooks.example.org/candor.';
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && !(allowPrivate && parsed.protocol === 'http:')) return 'The webhook URL must start with https://.';
  if (parsed.username || parsed.password) return 'The webhook URL must not contain a user name or password.';
  if (allowPrivate) return undefined;
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : await resolve(host);
  } catch {
    return `The host ${host} could not be resolved.`;
  }
  if (addresses.length === 0 || !addresses.every(isPublicAddress)) return `The host ${host} is not a public address; webhooks can only be sent to public addresses.`;
  return undefined;
}
