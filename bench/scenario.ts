// One scenario: the whole hub in this process, N http monitors against loopback targets, measured
// from outside (process CPU and memory, /metrics, and the stored results afterwards).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { startApp } from '../src/app.js';
import { phaseOffsetMs } from '../src/scheduler/scheduler.js';
import { readFindings, type DatabaseFindings, type MeasureWindow } from './database.js';
import { benchConfig, benchMonitorId } from './monitors.js';
import { histogramSummary, sampleValue, type HistogramSummary } from './prometheus.js';
import { ProcessSampler, type ProcessSample } from './sampler.js';

export interface ScenarioInput {
  readonly monitors: number;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly durationMs: number;
  readonly warmupMs: number;
  readonly concurrency: number;
  readonly targetUrls: readonly string[];
}

export interface ScenarioOutcome {
  readonly input: ScenarioInput;
  readonly startupMs: number;
  readonly shutdownMs: number;
  /** Measured window: [warm-up end, stop - settle). */
  readonly windowMs: number;
  /** Checks planned in the window by the monitors' phases (exact), and the nominal monitors/interval rate. */
  readonly plannedInWindow: number;
  readonly plannedPerSecond: number;
  readonly nominalPerSecond: number;
  readonly achievedPerSecond: number;
  /** CPU time of this process over [warm-up end, stop] / wall time, % of one core. */
  readonly cpuPercent: number;
  readonly cpuMicrosPerCheck: number;
  readonly process: ProcessSample;
  readonly skipped: number;
  readonly scrape: { readonly ms: number; readonly bytes: number };
  readonly flush: HistogramSummary | undefined;
  readonly database: DatabaseFindings;
}

const SAMPLE_EVERY_MS = 500;
/** Checks planned in the last second before stopping may still be queued: left out of the rate. */
const SETTLE_MS = 1_000;

/** How many planned times offset + k * interval fall in [from, until) for each monitor, summed. */
function plannedBetween(monitors: number, intervalMs: number, fromMs: number, untilMs: number): number {
  let planned = 0;
  for (let index = 0; index < monitors; index++) {
    const offsetMs = phaseOffsetMs(benchMonitorId(index), intervalMs);
    planned += Math.ceil((untilMs - offsetMs) / intervalMs) - Math.ceil((fromMs - offsetMs) / intervalMs);
  }
  return planned;
}

async function scrapeMetrics(url: string): Promise<{ text: string; ms: number }> {
  const startedAt = performance.now();
  const response = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  if (!response.ok) throw new Error(`GET /metrics answered ${response.status}`);
  return { text, ms: performance.now() - startedAt };
}

/** Waits out the warm-up, then measures CPU over the rest of the run and scrapes /metrics at the end. */
async function measureWhileRunning(url: string, input: ScenarioInput, sampler: ProcessSampler) {
  await sleep(input.warmupMs);
  sampler.resetLoopDelay();
  const cpuFrom = process.cpuUsage();
  const fromMs = Date.now();
  await sleep(input.durationMs - input.warmupMs);
  const stoppedAtMs = Date.now();
  const cpu = process.cpuUsage(cpuFrom);
  const window: MeasureWindow = { fromMs, countUntilMs: stoppedAtMs - SETTLE_MS, stoppedAtMs };
  const { text: metricsText, ms: scrapeMs } = await scrapeMetrics(url);
  return { window, cpu, metricsText, scrapeMs };
}

export async function runScenario(input: ScenarioInput): Promise<ScenarioOutcome> {
  const dataDir = mkdtempSync(join(tmpdir(), 'candor-bench-'));
  try {
    const config = benchConfig({ count: input.monitors, targetUrls: input.targetUrls, intervalMs: input.intervalMs, timeoutMs: input.timeoutMs });
    const sampler = new ProcessSampler(SAMPLE_EVERY_MS);
    const startingAt = Date.now();
    const app = await startApp({
      config,
      log: pino({ level: 'warn' }),
      dataDir,
      host: '127.0.0.1',
      port: 0,
      concurrency: input.concurrency,
    });
    const readyAt = Date.now();
    let measured: { window: MeasureWindow; cpu: NodeJS.CpuUsage; metricsText: string; scrapeMs: number };
    let shutdownMs: number;
    try {
      measured = await measureWhileRunning(app.url, input, sampler);
    } finally {
      const closingAt = Date.now();
      await app.close();
      shutdownMs = Date.now() - closingAt;
    }
    const { window, cpu, metricsText, scrapeMs } = measured;
    const processSample = sampler.stop();
    const database = readFindings(dataDir, window);
    const windowMs = window.countUntilMs - window.fromMs;
    const plannedInWindow = plannedBetween(input.monitors, input.intervalMs, window.fromMs, window.countUntilMs);
    const cpuMicros = cpu.user + cpu.system;
    return {
      input,
      startupMs: readyAt - startingAt,
      shutdownMs,
      windowMs,
      plannedInWindow,
      plannedPerSecond: plannedInWindow / (windowMs / 1000),
      nominalPerSecond: input.monitors / (input.intervalMs / 1000),
      achievedPerSecond: database.resultsInWindow / (windowMs / 1000),
      cpuPercent: (cpuMicros / 1000 / (window.stoppedAtMs - window.fromMs)) * 100,
      cpuMicrosPerCheck: database.startedInCpuWindow === 0 ? NaN : cpuMicros / database.startedInCpuWindow,
      process: processSample,
      skipped: sampleValue(metricsText, 'candor_scheduler_skipped_total') ?? NaN,
      scrape: { ms: scrapeMs, bytes: Buffer.byteLength(metricsText) },
      flush: histogramSummary(metricsText, 'candor_ingest_flush_seconds'),
      database,
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
