// The offline IP database: how long loading the installed @ip-location-db files takes in a fresh
// process, and what one lookup costs (random addresses, four in five IPv4, one in five IPv6 in 2000::/3).
// Both in wall time and in CPU time of the process, since the machine may be shared. No network at all.
import { loadIpLocationDb } from '../src/provenance/ip-location-db.js';
import type { IpDb } from '../src/provenance/ipdb.js';
import { runInChild } from './child-run.js';

export interface IpDbBenchInput {
  readonly lookups: number;
}

export interface IpDbBenchOutcome {
  readonly loadMs: number;
  readonly loadCpuMs: number;
  readonly rssAfterLoadBytes: number;
  readonly ipv4Ranges: number;
  readonly ipv6Ranges: number;
  readonly lookups: number;
  /** Share of the addresses the database covered. */
  readonly foundShare: number;
  readonly lookupNs: number;
  readonly lookupCpuNs: number;
}

export interface IpDbFigures {
  readonly runs: readonly IpDbBenchOutcome[];
  /** Medians over the runs, each a fresh process. */
  readonly loadMs: number;
  readonly loadCpuMs: number;
  readonly lookupNs: number;
  readonly lookupCpuNs: number;
}

export const DEFAULT_IPDB_BENCH = { runs: 3, lookups: 2_000_000 } as const;

/** A fixed pseudo-random sequence, so every run looks up the same addresses. */
function addresses(count: number): string[] {
  let seed = 0x2545f491;
  const next = (): number => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return seed >>> 0;
  };
  const list: string[] = [];
  for (let i = 0; i < count; i++) {
    const word = next();
    if (i % 5 === 4) {
      const groups = [0x2000 | (word & 0x1fff), word >>> 16, next() & 0xffff, next() & 0xffff, next() & 0xffff];
      list.push(`${groups.map((group) => group.toString(16)).join(':')}::${(next() & 0xffff).toString(16)}`);
    } else {
      list.push(`${word >>> 24}.${(word >>> 16) & 255}.${(word >>> 8) & 255}.${word & 255}`);
    }
  }
  return list;
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

function timeLookups(db: IpDb, list: readonly string[], total: number): { wallMs: number; cpuMs: number; found: number } {
  let found = 0;
  const cpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  for (let i = 0; i < total; i++) if (db.lookup(list[i % list.length]!) !== undefined) found++;
  return { wallMs: performance.now() - startedAt, cpuMs: cpuMs(cpuBefore), found };
}

/** Runs in a fresh process (bench/ipdb-child.ts): the load is a cold start, as at `candor serve`. */
export function runIpDbBench(input: IpDbBenchInput): IpDbBenchOutcome {
  const cpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  const db = loadIpLocationDb();
  const loadMs = performance.now() - startedAt;
  const loadCpuMs = cpuMs(cpuBefore);
  const rssAfterLoadBytes = process.memoryUsage().rss;
  const list = addresses(100_000);
  // Warm-up: the first pass compiles the lookup path and decodes the organisations' names once.
  timeLookups(db, list, list.length);
  const measured = timeLookups(db, list, input.lookups);
  const info = db.info();
  return {
    loadMs,
    loadCpuMs,
    rssAfterLoadBytes,
    ipv4Ranges: info.ipv4Ranges,
    ipv6Ranges: info.ipv6Ranges,
    lookups: input.lookups,
    foundShare: measured.found / input.lookups,
    lookupNs: (measured.wallMs * 1e6) / input.lookups,
    lookupCpuNs: (measured.cpuMs * 1e6) / input.lookups,
  };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};

export async function measureIpDb(options: { runs: number; lookups: number } = DEFAULT_IPDB_BENCH): Promise<IpDbFigures> {
  const runs: IpDbBenchOutcome[] = [];
  for (let run = 0; run < options.runs; run++) {
    runs.push(await runInChild<IpDbBenchInput, IpDbBenchOutcome>(new URL('./ipdb-child.js', import.meta.url), { lookups: options.lookups }, 120_000));
  }
  return {
    runs,
    loadMs: median(runs.map((r) => r.loadMs)),
    loadCpuMs: median(runs.map((r) => r.loadCpuMs)),
    lookupNs: median(runs.map((r) => r.lookupNs)),
    lookupCpuNs: median(runs.map((r) => r.lookupCpuNs)),
  };
}
