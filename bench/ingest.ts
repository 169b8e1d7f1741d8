// Hub ingest of observations pushed from outside: simulated agents, each with its own vantage and the
// same monitors, push batches through Ingest.submit (what the agents' endpoint will call) and wait for
// each batch's outcomes, as agents will. Measures observations committed per second on SQLite or
// PostgreSQL. Nothing here opens a socket except the PostgreSQL pool (on the URL given: loopback).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import type { MonitorSpec } from '../src/domain/monitor.js';
import type { Observation } from '../src/domain/observation.js';
import { Ingest, type SubmitOutcome } from '../src/ingest/ingest.js';
import { systemClock, systemTimers } from '../src/runtime/clock.js';
import { createIds } from '../src/runtime/ids.js';
import { openPostgresStore } from '../src/storage/postgres.js';
import { openSqliteStore } from '../src/storage/sqlite.js';
import type { Store } from '../src/storage/store.js';
import { benchConfig } from './monitors.js';
import { distribution, type Distribution } from './percentiles.js';

export interface IngestBenchInput {
  readonly engine: 'sqlite' | 'postgres';
  /** PostgreSQL only (a fresh schema is made and dropped). */
  readonly databaseUrl?: string;
  readonly agents: number;
  readonly monitors: number;
  readonly batch: number;
  readonly durationMs: number;
}

export interface IngestPhase {
  readonly observations: number;
  readonly refused: number;
  readonly elapsedMs: number;
  readonly perSecond: number;
  readonly cpuMs: number;
  /** CPU of this process (Candor's part; PostgreSQL's server is not counted) per observation. */
  readonly cpuMsPerObservation: number;
}

export interface IngestBenchOutcome {
  readonly input: Omit<IngestBenchInput, 'databaseUrl'>;
  /** Every agent's first round: series, texts and rollup rows are created. */
  readonly firstRound: IngestPhase;
  /** After the first round, for durationMs. */
  readonly steady: IngestPhase;
  /** Submit call to its outcomes, per batch, steady phase. */
  readonly batchLatencyMs: Distribution;
  /** Ingest's own flushes (one transaction each), steady phase. */
  readonly flushMs: Distribution;
  readonly observationsPerFlush: number;
  readonly firstRefusal?: string;
  readonly peakRssBytes: number;
}

const INTERVAL_MS = 60_000;
/** Observations are dated from this long ago, one round per interval: bounds the rounds an agent can push. */
const HISTORY_MS = 6 * 3_600_000;
const HTTP_DETAILS = { type: 'http', status: 200, httpVersion: '1.1', headers: {}, bodyBytes: 3, bodyTruncated: false, redirects: [] } as const;

function observation(monitor: MonitorSpec, index: number, agent: number, round: number, t0: number): Observation {
  const startedAt = t0 + round * INTERVAL_MS + ((index * 59 + agent * 7) % INTERVAL_MS);
  const total = 20 + ((index + round) % 40) + 0.37;
  return {
    monitorId: monitor.id,
    vantage: `agent-${agent}`,
    plannedAt: startedAt - 2,
    startedAt,
    ok: true,
    phases: { dns: 1.12, connect: 3.5, tls: 8.25, ttfb: total - 2, total },
    // Documentation addresses (RFC 5737): data only, nothing connects to them.
    peerAddress: `192.0.2.${1 + (index % 200)}`,
    details: HTTP_DETAILS,
  };
}

async function openStore(input: IngestBenchInput, dir: string): Promise<{ store: Store; dispose: () => Promise<void> }> {
  if (input.engine === 'sqlite') {
    const store = await openSqliteStore(join(dir, 'candor.db'));
    return { store, dispose: async () => undefined };
  }
  if (!input.databaseUrl) throw new Error('PostgreSQL ingest bench needs a database URL');
  const schema = `bench_ingest_${process.pid}_${Date.now()}`;
  const store = await openPostgresStore(input.databaseUrl, { schema });
  const url = input.databaseUrl;
  return {
    store,
    async dispose() {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`drop schema if exists ${schema} cascade`);
      } finally {
        await client.end();
      }
    },
  };
}

export async function runIngestBench(input: IngestBenchInput): Promise<IngestBenchOutcome> {
  const dir = mkdtempSync(join(tmpdir(), 'candor-bench-ingest-'));
  const { store, dispose } = await openStore(input, dir);
  let peakRssBytes = process.memoryUsage.rss();
  const rssTimer = setInterval(() => (peakRssBytes = Math.max(peakRssBytes, process.memoryUsage.rss())), 250);
  try {
    await store.migrate();
    const config = benchConfig({ count: input.monitors, targetUrls: ['http://127.0.0.1:9'], intervalMs: INTERVAL_MS, timeoutMs: 10_000 });
    const monitors = new Map(config.monitors.map((m) => [m.id, m]));
    const vantages = new Set(Array.from({ length: input.agents }, (_, agent) => `agent-${agent}`));
    const flushes: { ms: number; count: number }[] = [];
    const ingest = new Ingest({
      store,
      clock: systemClock,
      timers: systemTimers,
      ids: createIds(systemClock),
      log: pino({ level: 'warn' }),
      monitors,
      vantages: () => vantages,
      onFlushed: (ms, count) => flushes.push({ ms, count }),
    });
    await ingest.restore();
    await ingest.flush();
    ingest.start();

    const t0 = Date.now() - HISTORY_MS;
    const maxRounds = Math.floor(HISTORY_MS / INTERVAL_MS);
    const specs = [...monitors.values()];
    let refused = 0;
    let firstRefusal: string | undefined;
    const batchLatencies: number[] = [];

    /** One agent: its monitors round after round, `batch` at a time, each push awaited. */
    const agentLoop = async (agent: number, rounds: readonly number[], deadline: number, record: boolean): Promise<number> => {
      let stored = 0;
      for (const round of rounds) {
        if (round >= maxRounds) break;
        for (let from = 0; from < specs.length; from += input.batch) {
          if (performance.now() >= deadline) return stored;
          const batch = specs.slice(from, from + input.batch).map((monitor, i) => observation(monitor, from + i, agent, round, t0));
          const submittedAt = performance.now();
          const outcomes: SubmitOutcome[] = await ingest.submit(batch);
          if (record) batchLatencies.push(performance.now() - submittedAt);
          for (const outcome of outcomes) {
            if ('stored' in outcome) stored += 1;
            else {
              refused += 1;
              firstRefusal ??= `${outcome.refused.reason}: ${outcome.refused.message}`;
            }
          }
        }
      }
      return stored;
    };
    const phase = async (rounds: readonly number[], deadline: number, record: boolean): Promise<IngestPhase> => {
      const refusedBefore = refused;
      const cpuFrom = process.cpuUsage();
      const startedAt = performance.now();
      const stored = await Promise.all(Array.from({ length: input.agents }, (_, agent) => agentLoop(agent, rounds, deadline, record)));
      const elapsedMs = performance.now() - startedAt;
      const cpu = process.cpuUsage(cpuFrom);
      const observations = stored.reduce((sum, n) => sum + n, 0);
      const cpuMs = (cpu.user + cpu.system) / 1000;
      return { observations, refused: refused - refusedBefore, elapsedMs, perSecond: observations / (elapsedMs / 1000), cpuMs, cpuMsPerObservation: cpuMs / observations };
    };

    const firstRound = await phase([0], performance.now() + input.durationMs * 3, false);
    const flushesBefore = flushes.length;
    const steady = await phase(
      Array.from({ length: maxRounds - 1 }, (_, i) => i + 1),
      performance.now() + input.durationMs,
      true,
    );
    const steadyFlushes = flushes.slice(flushesBefore);
    await ingest.stop();
    return {
      input: { engine: input.engine, agents: input.agents, monitors: input.monitors, batch: input.batch, durationMs: input.durationMs },
      firstRound,
      steady,
      batchLatencyMs: distribution(batchLatencies),
      flushMs: distribution(steadyFlushes.map((f) => f.ms)),
      observationsPerFlush: steadyFlushes.reduce((sum, f) => sum + f.count, 0) / Math.max(1, steadyFlushes.length),
      ...(firstRefusal === undefined ? {} : { firstRefusal }),
      peakRssBytes,
    };
  } finally {
    clearInterval(rssTimer);
    await store.close();
    await dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}
