// Status page rendering: 100 monitors with 90 days of rollups and some incidents, `/` rendered N times
// in-process (app.inject, so routing, the read model's queries, rendering, ETag and compression all count).
// Everything is local: a temp SQLite file and Fastify's in-process injection; nothing listens on a port.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { pino } from 'pino';
import { parseConfig } from '../src/config/load.js';
import type { Incident, MonitorState } from '../src/domain/state.js';
import { HOME_CACHE_TTL_MS } from '../src/http/routes/pages.js';
import { buildServer } from '../src/http/server.js';
import { createMetrics } from '../src/metrics/metrics.js';
import type { CheckResult } from '../src/domain/verdict.js';
import { openSqliteStore } from '../src/storage/sqlite.js';
import type { Store } from '../src/storage/store.js';
import { pageAssets } from '../src/web/assets.js';

const HOUR = 3_600_000;
/** What a browser sends: the page is measured as browsers get it (compressed). */
const BROWSER_HEADERS = { accept: 'text/html,application/xhtml+xml', 'accept-encoding': 'gzip, deflate, br' };
const DAY = 86_400_000;
/** Rebuilds left out before the measured ones, and the measured ones (simulated: one per 5 s, 21 minutes of page life, each monitor checked once a minute meanwhile). */
const COLD_WARMUP = 50;
const COLD_MEASURED = 200;
/** Rebuilds (5 s apart) per minute: each monitor is checked in one of them. */
const CHECKS_PER_MINUTE_SLOTS = 60_000 / HOME_CACHE_TTL_MS;

export interface StatusPageBenchOptions {
  readonly monitors?: number;
  readonly days?: number;
  readonly renders?: number;
}

/** A config with `count` http monitors in ten components. */
export function benchConfigYaml(count: number): string {
  // Every page view comes from one address: per-address limits would refuse most of them.
  const lines = ['title: Bench status', 'api: { rateLimit: { public: { max: 1000000000 } } }', 'monitors:'];
  for (let i = 0; i < count; i++) {
    lines.push(`  - { id: m${i}, name: "Service ${i}", type: http, url: "http://127.0.0.1:9/${i}", component: "Group ${i % 10}" }`);
  }
  return `${lines.join('\n')}\n`;
}

/** One check of `monitorId` started at `at`: passed, or timed out. */
function benchCheck(id: string, monitorId: string, at: number, ok: boolean, latencyMs: number): CheckResult {
  return {
    id,
    monitorId,
    vantage: 'local',
    plannedAt: at,
    startedAt: at,
    ok,
    degraded: false,
    maintenance: false,
    latencyMs,
    phases: { total: latencyMs },
    inconclusive: false,
    ...(ok ? {} : { error: { kind: 'timeout' as const, message: 'no answer within 10s' } }),
    details: { type: 'http', status: ok ? 200 : undefined },
  };
}

/** Checks every 3 hours over `days` days and every 15 minutes over the last day; a few bad days and incidents. */
function history(count: number, days: number, now: number): { results: CheckResult[]; incidents: Incident[] } {
  const results: CheckResult[] = [];
  const incidents: Incident[] = [];
  let n = 0;
  const add = (monitorId: string, at: number, ok: boolean) => {
    const latencyMs = ok ? 40 + ((n * 37) % 400) : 10_000;
    results.push(benchCheck(`r${String(++n).padStart(10, '0')}`, monitorId, at, ok, latencyMs));
  };
  const start = Math.floor(now / DAY) * DAY - (days - 1) * DAY;
  for (let m = 0; m < count; m++) {
    const id = `m${m}`;
    for (let at = start + (m % 3) * HOUR; at < now - DAY; at += 3 * HOUR) add(id, at, !(m % 7 === 0 && (at / DAY) % 11 < 0.2));
    for (let at = now - DAY; at < now; at += 15 * 60_000) add(id, at, true);
    if (m % 10 === 0) {
      const startedAt = start + ((m * 7) % days) * DAY + 3 * HOUR;
      incidents.push({
        id: `i${String(m).padStart(4, '0')}`,
        title: `Service ${m} is down`,
        state: 'resolved',
        monitorIds: [id],
        startedAt,
        resolvedAt: startedAt + 40 * 60_000,
        timeline: [
          { id: `i${m}-1`, incidentId: `i${String(m).padStart(4, '0')}`, at: startedAt, kind: 'first_failure', message: 'First failed check: timeout', monitorId: id },
          { id: `i${m}-2`, incidentId: `i${String(m).padStart(4, '0')}`, at: startedAt + 40 * 60_000, kind: 'recovered', message: `Service ${m} recovered`, monitorId: id },
        ],
      });
    }
  }
  return { results, incidents };
}


/** Migrates `store` and fills it with the bench history. */
export async function seedBenchStore(store: Store, count: number, days: number, now: number): Promise<void> {
  await store.migrate();
  const seed = history(count, days, now);
  for (let i = 0; i < seed.results.length; i += 20_000) {
    await store.commit({ results: seed.results.slice(i, i + 20_000), states: [], incidentsOpened: [], timelineAppended: [], incidentsResolved: [] });
  }
  await store.commit({ results: [], states: [], incidentsOpened: seed.incidents, timelineAppended: [], incidentsResolved: [] });
}

export async function runStatusPageBench(options: StatusPageBenchOptions = {}): Promise<Record<string, number>> {
  const count = options.monitors ?? 100;
  const days = options.days ?? 90;
  const renders = options.renders ?? 300;
  const now = Date.UTC(2026, 2, 10, 10, 0, 0);
  const config = parseConfig(benchConfigYaml(count), 'bench.yaml', {}, '/bench/bench.yaml');
  const dir = mkdtempSync(join(tmpdir(), 'candor-bench-page-'));
  const store = await openSqliteStore(join(dir, 'candor.db'));
  try {
    const seedStarted = performance.now();
    await seedBenchStore(store, count, days, now);
    const seedMs = performance.now() - seedStarted;
    // As ingest keeps them: each state names the last result it processed.
    const latest = await store.latestResults(config.monitors.map((m) => m.id));
    const states = new Map<string, MonitorState>(
      config.monitors.map((m) => {
        const lastResultId = latest.get(m.id)?.id;
        const state: MonitorState = { monitorId: m.id, status: 'up', since: now - DAY, updatedAt: now, ...(lastResultId ? { lastResultId } : {}) };
        return [m.id, state];
      }),
    );
    let clockNow = now;
    const app = await buildServer({
      config,
      store,
      clock: { now: () => clockNow },
      monitors: new Map(config.monitors.map((m) => [m.id, m])),
      states: () => states,
      log: pino({ level: 'silent' }),
      metrics: createMetrics(() => states.values()),
      title: config.title,
      version: 'bench',
    });
    try {
      const timings: number[] = [];
      const page = await app.inject({ method: 'GET', url: '/', headers: { accept: 'text/html' } });
      const body = page.body;
      for (let i = 0; i < renders; i++) {
        const started = performance.now();
        const response = await app.inject({ method: 'GET', url: '/', headers: BROWSER_HEADERS });
        timings.push(performance.now() - started);
        if (response.statusCode !== 200) throw new Error(`GET / answered ${response.statusCode}`);
      }
      timings.sort((a, b) => a - b);
      // Cold: the render cache expired before every request, so each one reads the store and renders.
      // The first rebuilds run before V8 has optimised this path (a hub rebuilds its page every few
      // seconds for as long as it runs): they warm up and are left out, as each scenario's warm-up is.
      // Between two rebuilds the monitors due in those 5 s get a check, as a hub's ingest keeps writing
      // while pages are read: each monitor once a minute, the default interval (the writes are not timed).
      const cold: number[] = [];
      for (let i = 0; i < COLD_WARMUP + COLD_MEASURED; i++) {
        clockNow += HOME_CACHE_TTL_MS;
        const due = config.monitors.filter((_, m) => m % CHECKS_PER_MINUTE_SLOTS === i % CHECKS_PER_MINUTE_SLOTS);
        await store.commit({ results: due.map((m) => benchCheck(`live-${i}-${m.id}`, m.id, clockNow - 1_000, true, 50)) });
        const started = performance.now();
        await app.inject({ method: 'GET', url: '/', headers: BROWSER_HEADERS });
        if (i >= COLD_WARMUP) cold.push(performance.now() - started);
      }
      cold.sort((a, b) => a - b);
      const assets = pageAssets();
      const gz = (data: string | Buffer) => gzipSync(data, { level: 6 }).length;
      return {
        monitors: count,
        days,
        renders,
        seedMs: Math.round(seedMs),
        renderP50Ms: round(percentile(timings, 50)),
        renderP99Ms: round(percentile(timings, 99)),
        coldRenderP50Ms: round(percentile(cold, 50)),
        coldRenderP99Ms: round(percentile(cold, 99)),
        pageBytesRaw: Buffer.byteLength(body) + assets.css.body.length + assets.js.body.length,
        pageBytesCompressed: gz(body) + gz(assets.css.body) + gz(assets.js.body),
        htmlBytesCompressed: gz(body),
      };
    } finally {
      await app.close();
    }
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const round = (ms: number): number => Math.round(ms * 100) / 100;

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}
