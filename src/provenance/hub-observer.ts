// The hub's (and each agent's) way of taking a snapshot: the provenance probe over the IP database in use.
import type { Logger } from 'pino';
import type { MonitorSpec } from '../domain/monitor.js';
import type { IpDb } from './ipdb.js';
import { loadIpLocationDb } from './ip-location-db.js';
import { observeProvenance } from './probe.js';
import { provenanceTargetOf, type ObserveProvenance } from './schedule.js';

export interface ProbeObserverOptions {
  readonly ipdb: IpDb;
  /** Per snapshot; default 10 s. */
  readonly timeoutMs?: number;
  /** The resolvers asked, in Node's getServers() format (tests point this at a loopback DNS server); default the system's. */
  readonly systemResolvers?: () => string[];
  /** `provenance.resolver`: the DNS server asked instead of the system's ("IP" or "IP:PORT"). */
  readonly resolver?: string;
}

export function probeObserver(options: ProbeObserverOptions): ObserveProvenance {
  return (target, signal) =>
    observeProvenance({
      host: target.host,
      port: target.port,
      tls: target.tls,
      requestHeaders: target.http,
      timeoutMs: options.timeoutMs ?? 10_000,
      ipdb: options.ipdb,
      signal,
      ...(options.resolver !== undefined ? { resolver: options.resolver } : {}),
      ...(options.systemResolvers ? { systemResolvers: options.systemResolvers } : {}),
    });
}

/**
 * What the hub observes with: the probe over the installed IP database (or the files in `ipdbDir`),
 * loaded only when some monitor has a host name to observe. A database that cannot be loaded is
 * logged and leaves the hub without snapshots, not without a status page.
 */
export function hubObserver(options: { monitors: Iterable<MonitorSpec>; ipdb?: IpDb; ipdbDir?: string; resolver?: string; log: Logger }): { observe?: ObserveProvenance; ipdb?: IpDb } {
  if (![...options.monitors].some((monitor) => provenanceTargetOf(monitor) !== undefined)) return options.ipdb ? { ipdb: options.ipdb } : {};
  let ipdb = options.ipdb;
  try {
    ipdb ??= loadIpLocationDb(options.ipdbDir !== undefined ? { dir: options.ipdbDir } : {});
  } catch (error) {
    options.log.error({ err: error }, 'provenance: the IP database could not be loaded; no provenance snapshots are taken');
    return {};
  }
  return { observe: probeObserver({ ipdb, ...(options.resolver !== undefined ? { resolver: options.resolver } : {}) }), ipdb };
}
