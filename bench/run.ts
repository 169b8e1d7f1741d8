// npm run bench: Candor's hub at several monitor counts and intervals, each next to a bare client
// making the same GETs at the same rate; hub ingest of agents' observations on SQLite (and PostgreSQL
// when a URL is given); the status page; the bare machine's ceiling. Figures are printed against their
// aims and saved as JSON. Everything talks to 127.0.0.1 only; every loop is bounded in time and count.
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { BareClientInput, BareClientOutcome } from './bare-client.js';
import type { CeilingClient, CeilingInput, CeilingOutcome } from './ceiling.js';
import { runInChild } from './child-run.js';
import { sizeSnapshot } from './database.js';
import type { IngestBenchInput, IngestBenchOutcome } from './ingest.js';
import type { AgentsHttpBenchInput, AgentsHttpBenchOutcome } from './agents-http.js';
import { AIMS, figuresOf, formatFigure, formatReport, ipdbFiguresOf, saveReport, type BenchReport, type ScenarioRun, type TargetLoad } from './report.js';
import type { ScenarioInput, ScenarioOutcome, SnapshotQuestion } from './scenario.js';
import { readSettings, runsPart, warmupOf, type BenchPart, type BenchSettings } from './settings.js';
import { runStatusPageBench } from './status-page.js';
import { DEFAULT_LOAD_LATENCY, runLoadLatencyBench } from './load-latency.js';
import { TargetProcess } from './target-process.js';
import { DEFAULT_IPDB_BENCH, measureIpDb } from './ipdb.js';

/** A child gets its planned time plus this much before it is killed. */
const CHILD_SLACK_MS = 120_000;
const CEILING_MAX_REQUESTS = 1_000_000;
const CEILING_CLIENTS: readonly CeilingClient[] = ['undici', 'node:http'];

/** Runs `phase` and reports the target process's CPU use during it. */
async function withTargetLoad<T>(targets: TargetProcess, phase: () => Promise<T>): Promise<{ outcome: T; targets: TargetLoad }> {
  const before = await targets.usage();
  const startedAt = performance.now();
  const outcome = await phase();
  const wallMs = performance.now() - startedAt;
  const after = await targets.usage();
  const cpuMs = (after.cpu.user + after.cpu.system - before.cpu.user - before.cpu.system) / 1000;
  return { outcome, targets: { cpuPercent: (cpuMs / wallMs) * 100, requests: after.requests - before.requests } };
}

/** The scenario child asks for size snapshots; read here, from outside, so they cost it nothing. */
function snapshotHelper(question: unknown): unknown {
  const { kind, file } = question as SnapshotQuestion;
  if (kind !== 'snapshot') throw new Error(`unknown question ${JSON.stringify(kind)}`);
  return sizeSnapshot(file);
}

async function runScenarios(settings: BenchSettings, targets: TargetProcess): Promise<ScenarioRun[]> {
  const runs: ScenarioRun[] = [];
  for (const shape of settings.scenarios) {
    const warmupMs = warmupOf(settings, shape);
    const limitMs = warmupMs + settings.measureMs + CHILD_SLACK_MS;
    const candorInput: ScenarioInput = {
      ...shape,
      timeoutMs: settings.timeoutMs,
      warmupMs,
      measureMs: settings.measureMs,
      concurrency: settings.concurrency,
      targetUrls: targets.urls,
    };
    const bareInput: BareClientInput = { ...candorInput };
    console.log(`scenario: ${shape.monitors} monitors every ${shape.intervalMs / 1000} s, Candor and the bare client side by side, ${(warmupMs + settings.measureMs) / 1000} s ...`);
    const { outcome, targets: load } = await withTargetLoad(targets, () =>
      Promise.all([
        runInChild<ScenarioInput, ScenarioOutcome>(new URL('./scenario-child.js', import.meta.url), candorInput, limitMs, snapshotHelper),
        runInChild<BareClientInput, BareClientOutcome>(new URL('./bare-child.js', import.meta.url), bareInput, limitMs),
      ]),
    );
    const [candor, bare] = outcome;
    runs.push({ candor, bare, cpuRatio: candor.cpuMsPerCheck / bare.cpuMsPerCheck, targets: load });
  }
  return runs;
}

async function runCeiling(settings: BenchSettings, targets: TargetProcess): Promise<BenchReport['ceiling'][number][]> {
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
    const { outcome, targets: load } = await withTargetLoad(targets, () =>
      runInChild<CeilingInput, CeilingOutcome>(new URL('./ceiling-child.js', import.meta.url), input, settings.ceilingMs + CHILD_SLACK_MS),
    );
    ceiling.push({ ...outcome, targets: load });
  }
  return ceiling;
}

async function runIngest(settings: BenchSettings): Promise<IngestBenchOutcome[]> {
  const { databaseUrl, ...shape } = settings.ingest;
  const engines: IngestBenchInput[] = [{ engine: 'sqlite', ...shape }];
  if (databaseUrl) engines.push({ engine: 'postgres', databaseUrl, ...shape });
  else console.log('ingest: PostgreSQL skipped (set CANDOR_BENCH_DATABASE_URL or CANDOR_TEST_DATABASE_URL)');
  const outcomes: IngestBenchOutcome[] = [];
  for (const input of engines) {
    console.log(`ingest: ${input.engine}, ${input.agents} agents × ${input.monitors} monitors, batches of ${input.batch}, ${input.durationMs / 1000} s ...`);
    // The first round is bounded at three times the duration, the rest at the duration.
    outcomes.push(await runInChild<IngestBenchInput, IngestBenchOutcome>(new URL('./ingest-child.js', import.meta.url), input, input.durationMs * 4 + CHILD_SLACK_MS));
  }
  return outcomes;
}

/** 20 agent processes × 1,000 monitors through the real HTTP endpoint, signatures verified: per engine. */
async function runAgentsHttp(settings: BenchSettings): Promise<AgentsHttpBenchOutcome[]> {
  const { databaseUrl, ...shape } = settings.ingest;
  const engines: AgentsHttpBenchInput[] = [{ engine: 'sqlite', ...shape }];
  if (databaseUrl) engines.push({ engine: 'postgres', databaseUrl, ...shape });
  else console.log('agents over HTTP: PostgreSQL skipped (set CANDOR_BENCH_DATABASE_URL or CANDOR_TEST_DATABASE_URL)');
  const outcomes: AgentsHttpBenchOutcome[] = [];
  for (const input of engines) {
    console.log(`agents over HTTP: ${input.engine}, ${input.agents} agent processes × ${input.monitors} monitors, batches of ${input.batch}, ${input.durationMs / 1000} s ...`);
    outcomes.push(await runInChild<AgentsHttpBenchInput, AgentsHttpBenchOutcome>(new URL('./agents-http-child.js', import.meta.url), input, input.durationMs * 5 + CHILD_SLACK_MS));
  }
  return outcomes;
}

function machineOf(loadAverageBefore: readonly number[]): BenchReport['machine'] {
  return {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    totalMemoryBytes: totalmem(),
    loadAverageBefore,
    loadAverageAfter: loadavg(),
  };
}

const resultsDirectory = () => process.env['BENCH_RESULTS_DIR'] || fileURLToPath(new URL('../../bench/results/', import.meta.url));

/** `npm run bench -- ipdb`: the IP database scenario alone (a few seconds), printed, not saved. */
async function ipdbOnly(): Promise<void> {
  console.log(`IP database: ${DEFAULT_IPDB_BENCH.runs} fresh processes, ${DEFAULT_IPDB_BENCH.lookups.toLocaleString('en')} lookups each ...`);
  const loadAverageBefore = loadavg();
  const ipdb = await measureIpDb();
  for (const run of ipdb.runs) {
    console.log(
      `  load ${run.loadMs.toFixed(0)} ms (CPU ${run.loadCpuMs.toFixed(0)} ms), RSS after load ${(run.rssAfterLoadBytes / 1e6).toFixed(0)} MB; ` +
        `lookup ${run.lookupNs.toFixed(0)} ns (CPU ${run.lookupCpuNs.toFixed(0)} ns), ${(run.foundShare * 100).toFixed(0)}% found`,
    );
  }
  console.log(`load average before/after: ${loadAverageBefore.map((v) => v.toFixed(2)).join(' ')} / ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);
  console.log(ipdbFiguresOf(ipdb).map(formatFigure).join('\n'));
}

async function main(): Promise<void> {
  if (process.argv.slice(2).includes('ipdb')) return ipdbOnly();
  const settings = readSettings(process.env);
  const runs = (part: BenchPart) => runsPart(settings, part);
  const startedAt = Date.now();
  const loadAverageBefore = loadavg();
  let scenarios: ScenarioRun[] = [];
  let ceiling: BenchReport['ceiling'][number][] = [];
  if (runs('scenarios') || runs('ceiling')) {
    const targets = await TargetProcess.start(settings.targetPorts);
    try {
      if (runs('scenarios')) scenarios = await runScenarios(settings, targets);
      if (runs('ceiling')) ceiling = await runCeiling(settings, targets);
    } finally {
      await targets.stop();
    }
  }
  const ingest = runs('ingest') ? await runIngest(settings) : [];
  const agentsHttp = runs('agents-http') ? await runAgentsHttp(settings) : [];
  let statusPage: BenchReport['statusPage'] = {};
  if (runs('page')) {
    console.log(`status page: 100 monitors, 90 days of history, ${settings.pageRenders} renders ...`);
    statusPage = await runStatusPageBench({ renders: settings.pageRenders });
  }
  let loadLatency: BenchReport['loadLatency'];
  if (runs('load-latency')) {
    console.log(`target latency idle and under API load: ${DEFAULT_LOAD_LATENCY.monitors} monitors, ${DEFAULT_LOAD_LATENCY.phaseMs / 1000} s per phase ...`);
    loadLatency = await runLoadLatencyBench(DEFAULT_LOAD_LATENCY);
  }
  let ipdb: BenchReport['ipdb'];
  if (runs('ipdb')) {
    console.log(`IP database: ${DEFAULT_IPDB_BENCH.runs} fresh processes, load and ${DEFAULT_IPDB_BENCH.lookups.toLocaleString('en')} lookups each ...`);
    ipdb = await measureIpDb();
  }
  const measured: Omit<BenchReport, 'figures'> = {
    date: new Date(startedAt).toISOString(),
    durationMs: Date.now() - startedAt,
    parameters: { ...settings, ingest: { ...settings.ingest, databaseUrl: settings.ingest.databaseUrl === undefined ? undefined : '(set)' } },
    machine: machineOf(loadAverageBefore),
    aims: AIMS,
    scenarios,
    ceiling,
    ingest,
    statusPage,
    ...(loadLatency ? { loadLatency } : {}),
    agentsHttp,
    ...(ipdb ? { ipdb } : {}),
  };
  const report: BenchReport = { ...measured, figures: figuresOf(measured) };
  console.log(`\n${formatReport(report)}`);
  // A run of some parts only is saved apart from the full run's latest.json.
  const prefix = settings.only ? `${settings.only.join('+')}-` : '';
  console.log(`saved ${saveReport(report, resultsDirectory(), prefix).join(', ')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
