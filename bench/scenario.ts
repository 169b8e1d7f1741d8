// One scenario: the whole hub in this process, N http monitors against loopback targets, measured
// from outside (process CPU and memory, /metrics, the database's size while it runs and its rows after).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { startApp } from '../src/app.js';
import { phaseOffsetMs } from '../src/scheduler/scheduler.js';
import { askParent } from './child-run.js';
import { databaseFile, growthBetween, readFindings, type DatabaseFindings, type Growth, type MeasureWindow, type SizeSnapshot } from './database.js';
import { benchConfig, benchMonitorId } from './monitors.js';
import { histogramSummary, sampleValue, type HistogramSummary } from './prometheus.js';
import { ProcessSampler, type ProcessSample } from './sampler.js';

export interface ScenarioInput {
  readonly monitors: number;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly warmupMs: number;
  readonly measureMs: number;
  readonly concurrency: number;
  readonly targetUrls: readonly string[];
}

/** What the scenario asks its parent for: a size snapshot of the database, read from outside. */
export interface SnapshotQuestion {
  readonly kind: 'snapshot';
  readonly file: string;
}

export interface ScenarioOutcome {
  readonly input: ScenarioInput;
  readonly startupMs: number;
  readonly shutdownMs: number;
  readonly windowMs: number;
  /** Checks due in the window by the monitors' phases (exact), and the nominal monitors/interval rate. */
  readonly plannedPerSecond: number;
  readonly nominalPerSecond: number;
  /** Results started in the window / window. */
  readonly achievedPerSecond: number;
  /** CPU time of this process over the window / wall time, % of one core. */
  readonly cpuPercent: number;
  readonly cpuMs: number;
  readonly cpuMsPerCheck: number;
  readonly process: ProcessSample;
  readonly skipped: number;
  readonly scrape: { readonly ms: number; readonly bytes: number };
  readonly flush: HistogramSummary | undefined;
  /** The file's growth over the window (steady state: every monitor checked at least once before). */
  readonly growth: Growth;
  readonly database: DatabaseFindings;
}

const SAMPLE_EVERY_MS = 500;

/** How many planned times offset + k * interval fall in [from, until), over every monitor. */
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

const snapshot = (file: string): Promise<SizeSnapshot> => askParent<SizeSnapshot>({ kind: 'snapshot', file } satisfies SnapshotQuestion);

/** Waits out the warm-up, then measures CPU and the file's growth over the window, then scrapes /metrics. */
async function measureWhileRunning(url: string, file: string, input: ScenarioInput, sampler: ProcessSampler) {
  await sleep(input.warmupMs);
  const before = await snapshot(file);
  sampler.resetLoopDelay();
  const cpuFrom = process.cpuUsage();
  const fromMs = Date.now();
  await sleep(input.measureMs);
  const untilMs = Date.now();
  const cpu = process.cpuUsage(cpuFrom);
  const after = await snapshot(file);
  const { text: metricsText, ms: scrapeMs } = await scrapeMetrics(url);
  return { window: { fromMs, untilMs } satisfies MeasureWindow, cpu, growth: growthBetween(before, after), metricsText, scrapeMs };
}

export async function runScenario(input: ScenarioInput): Promise<ScenarioOutcome> {
  const dataDir = mkdtempSync(join(tmpdir(), 'candor-bench-'));
  try {
    const config = benchConfig({ count: input.monitors, targetUrls: input.targetUrls, intervalMs: input.intervalMs, timeoutMs: input.timeoutMs });
    const sampler = new ProcessSampler(SAMPLE_EVERY_MS);
    const startingAt = Date.now();
    const app = await startApp({ config, log: pino({ level: 'warn' }), dataDir, host: '127.0.0.1', port: 0, concurrency: input.concurrency });
    const readyAt = Date.now();
    let measured: Awaited<ReturnType<typeof measureWhileRunning>>;
    let shutdownMs: number;
    try {
      measured = await measureWhileRunning(app.url, databaseFile(dataDir), input, sampler);
    } finally {
      const closingAt = Date.now();
      await app.close();
      shutdownMs = Date.now() - closingAt;
    }
    const { window, cpu, growth, metricsText, scrapeMs } = measured;
    const processSample = sampler.stop();
    const database = readFindings(dataDir, window);
    const windowMs = window.untilMs - window.fromMs;
    const cpuMs = (cpu.user + cpu.system) / 1000;
    return {
      input,
      startupMs: readyAt - startingAt,
      shutdownMs,
      windowMs,
      plannedPerSecond: plannedBetween(input.monitors, input.intervalMs, window.fromMs, window.untilMs) / (windowMs / 1000),
      nominalPerSecond: input.monitors / (input.intervalMs / 1000),
      achievedPerSecond: database.resultsInWindow / (windowMs / 1000),
      cpuPercent: (cpuMs / windowMs) * 100,
      cpuMs,
      cpuMsPerCheck: database.resultsInWindow === 0 ? NaN : cpuMs / database.resultsInWindow,
      process: processSample,
      skipped: sampleValue(metricsText, 'candor_scheduler_skipped_total') ?? NaN,
      scrape: { ms: scrapeMs, bytes: Buffer.byteLength(metricsText) },
      flush: histogramSummary(metricsText, 'candor_ingest_flush_seconds'),
      growth,
      database,
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
