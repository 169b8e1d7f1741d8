// npm run bench: Candor at 1k and 10k http monitors against loopback targets, next to the bare
// machine's ceiling. Everything talks to 127.0.0.1 only; every loop is bounded in time and count.
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { CeilingClient, CeilingInput, CeilingOutcome } from './ceiling.js';
import { runInChild } from './child-run.js';
import { AIMS, formatReport, saveReport, type BenchReport, type TargetLoad } from './report.js';
import type { ScenarioInput, ScenarioOutcome } from './scenario.js';
import { readSettings, type BenchSettings } from './settings.js';
import { runStatusPageBench } from './status-page.js';
import { TargetProcess } from './target-process.js';

/** A child gets its planned time plus this much before it is killed. */
const CHILD_SLACK_MS = 120_000;
const CEILING_MAX_REQUESTS = 1_000_000;
const CEILING_CLIENTS: readonly CeilingClient[] = ['undici', 'node:http'];

/** Runs `phase` and reports the target process's CPU use during it. */
async function withTargetLoad<T>(targets: TargetProcess, phase: () => Promise<T>): Promise<T & { targets: TargetLoad }> {
  const before = await targets.usage();
  const startedAt = performance.now();
  const outcome = await phase();
  const wallMs = performance.now() - startedAt;
  const after = await targets.usage();
  const cpuMs = (after.cpu.user + after.cpu.system - before.cpu.user - before.cpu.system) / 1000;
  return { ...outcome, targets: { cpuPercent: (cpuMs / wallMs) * 100, requests: after.requests - before.requests } };
}

async function runAll(settings: BenchSettings, targets: TargetProcess) {
  const scenarios: BenchReport['scenarios'][number][] = [];
  for (const monitors of settings.scenarios) {
    const input: ScenarioInput = {
      monitors,
      intervalMs: settings.intervalMs,
      timeoutMs: settings.timeoutMs,
      durationMs: settings.durationMs,
      warmupMs: settings.warmupMs,
      concurrency: settings.concurrency,
      targetUrls: targets.urls,
    };
    console.log(`scenario: ${monitors} monitors for ${settings.durationMs / 1000} s ...`);
    const entry = new URL('./scenario-child.js', import.meta.url);
    scenarios.push(await withTargetLoad(targets, () => runInChild<ScenarioInput, ScenarioOutcome>(entry, input, settings.durationMs + CHILD_SLACK_MS)));
  }
  const ceiling: BenchReport['ceiling'][number][] = [];
  for (const client of CEILING_CLIENTS) {
    const input: CeilingInput = {
      client,
      targetUrls: targets.urls,
      concurrency: settings.concurrency,
      durationMs: settings.ceilingMs,
      maxRequests: CEILING_MAX_REQUESTS,
      timeoutMs: settings.timeoutMs,
    };
    console.log(`ceiling: ${client} for ${settings.ceilingMs / 1000} s ...`);
    const entry = new URL('./ceiling-child.js', import.meta.url);
    ceiling.push(await withTargetLoad(targets, () => runInChild<CeilingInput, CeilingOutcome>(entry, input, settings.ceilingMs + CHILD_SLACK_MS)));
  }
  return { scenarios, ceiling };
}

async function main(): Promise<void> {
  const settings = readSettings(process.env);
  if (settings.durationMs < settings.intervalMs + settings.warmupMs) {
    console.warn(`note: ${settings.durationMs / 1000} s per scenario is shorter than one interval plus warm-up; figures are not representative`);
  }
  const startedAt = Date.now();
  const loadAverageBefore = loadavg();
  const targets = await TargetProcess.start(settings.targetPorts);
  let measured: Awaited<ReturnType<typeof runAll>>;
  try {
    measured = await runAll(settings, targets);
  } finally {
    await targets.stop();
  }
  console.log('status page: 100 monitors, 90 days of history ...');
  const statusPage = await runStatusPageBench();
  const report: BenchReport = {
    date: new Date(startedAt).toISOString(),
    durationMs: Date.now() - startedAt,
    parameters: settings,
    machine: {
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
      cores: cpus().length,
      totalMemoryBytes: totalmem(),
      loadAverageBefore,
      loadAverageAfter: loadavg(),
    },
    aims: AIMS,
    ...measured,
    statusPage,
  };
  console.log(`\n${formatReport(report)}`);
  const resultsDir = process.env['BENCH_RESULTS_DIR'] || fileURLToPath(new URL('../../bench/results/', import.meta.url));
  const paths = saveReport(report, resultsDir);
  console.log(`saved ${paths.join(', ')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
