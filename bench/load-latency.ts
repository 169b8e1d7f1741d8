// Does load on the web server bend what the checks measure? One hub watches a fast loopback target;
// the target latency it records is compared between a quiet phase and a phase in which another process
// keeps the read API (/api/v1/monitors) busy. Everything stays on 127.0.0.1; every phase is bounded.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startApp } from '../src/app.js';
import { parseConfig } from '../src/config/load.js';
import type { ApiLoadInput, ApiLoadOutcome } from './api-load.js';
import { runInChild } from './child-run.js';
import { distribution, type Distribution } from './percentiles.js';
import { TargetProcess } from './target-process.js';

export interface LoadLatencyOptions {
  readonly monitors: number;
  readonly intervalMs: number;
  readonly phaseMs: number;
  readonly connections: number;
}

export interface LoadLatencyOutcome {
  readonly monitors: number;
  readonly intervalMs: number;
  readonly phaseMs: number;
  /** Latency the hub recorded for the target while nothing else ran. */
  readonly idleMs: Distribution;
  /** The same while the read API was under load. */
  readonly loadedMs: Distribution;
  readonly api: ApiLoadOutcome;
}

export const DEFAULT_LOAD_LATENCY: LoadLatencyOptions = { monitors: 100, intervalMs: 5_000, phaseMs: 30_000, connections: 32 };
const SETTLE_MS = 7_000;
const MAX_API_REQUESTS = 5_000_000;

interface ResultJson {
  readonly startedAt: string;
  readonly ok: boolean;
  readonly latencyMs: number;
}

export async function runLoadLatencyBench(options: LoadLatencyOptions = DEFAULT_LOAD_LATENCY): Promise<LoadLatencyOutcome> {
  const targets = await TargetProcess.start(1);
  const dir = mkdtempSync(join(tmpdir(), 'candor-bench-load-'));
  const target = targets.urls[0]!;
  const monitors = Array.from(
    { length: options.monitors },
    (_, i) => `  - { id: m${i}, type: http, url: "${target}/${i}", interval: ${options.intervalMs / 1000}s, timeout: 2s }`,
  );
  // The load comes from one address: per-address limits would refuse most of it, and measure the refusals.
  const config = parseConfig(['api: { rateLimit: { public: { max: 1000000000 } } }', 'monitors:', ...monitors, ''].join('\n'), 'bench.yaml', {}, join(dir, 'bench.yaml'));
  const app = await startApp({ config, log: pino({ level: 'warn' }), dataDir: dir, host: '127.0.0.1', port: 0 });
  try {
    await sleep(SETTLE_MS);
    const idleFrom = Date.now();
    await sleep(options.phaseMs);
    const loadedFrom = Date.now();
    const input: ApiLoadInput = { url: `${app.url}/api/v1/monitors`, connections: options.connections, durationMs: options.phaseMs, maxRequests: MAX_API_REQUESTS };
    const api = await runInChild<ApiLoadInput, ApiLoadOutcome>(new URL('./api-load.js', import.meta.url), input, options.phaseMs + 60_000);
    const loadedTo = Date.now();
    await sleep(2_000);
    const latencies = async (from: number, to: number) => {
      const values: number[] = [];
      for (const monitor of config.monitors) {
        const response = await app.server.inject({ method: 'GET', url: `/api/v1/monitors/${monitor.id}/results?from=${from}&to=${to}&limit=1000` });
        for (const result of (response.json() as { results: ResultJson[] }).results) if (result.ok) values.push(result.latencyMs);
      }
      return distribution(values);
    };
    return {
      monitors: options.monitors,
      intervalMs: options.intervalMs,
      phaseMs: options.phaseMs,
      idleMs: await latencies(idleFrom, loadedFrom),
      loadedMs: await latencies(loadedFrom, loadedTo),
      api,
    };
  } finally {
    await app.close();
    await targets.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
