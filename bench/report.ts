// The bench report: one JSON document (saved twice: latest and dated), the aims each figure is held
// to, and a readable print-out with "met" or "missed" (and what the run shows about why) per figure.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadLatencyOutcome } from './load-latency.js';
import type { BareClientOutcome } from './bare-client.js';
import type { CeilingOutcome } from './ceiling.js';
import type { IngestBenchOutcome } from './ingest.js';
import type { AgentsHttpBenchOutcome } from './agents-http.js';
import type { IpDbFigures } from './ipdb.js';
import type { ScenarioOutcome } from './scenario.js';
import type { BenchSettings } from './settings.js';

export interface TargetLoad {
  /** CPU of the target child process during the phase, % of one core. */
  readonly cpuPercent: number;
  readonly requests: number;
}

export interface Machine {
  readonly node: string;
  readonly platform: string;
  readonly cpuModel: string;
  readonly cores: number;
  readonly totalMemoryBytes: number;
  readonly loadAverageBefore: readonly number[];
  readonly loadAverageAfter: readonly number[];
}

export const AIMS = {
  /** Whole file growth per stored result, 10,000 monitors at 60 s, steady state. */
  bytesPerResult: 60,
  /** Candor's CPU per check / the bare GET's, same rate, same run. */
  cpuRatio: 1.3,
  latenessP99Ms: 100,
  ingestPerSecond: 5_000,
  /** Agents' signed batches through POST /api/v1/agent/results, committed (20 agents × 1,000 monitors). */
  agentsHttpPerSecond: 5_000,
  statusPageRebuiltP99Ms: 20,
  peakRssBytes: 250e6,
  /** How much load on the read API may add to the target latency the checks record, at p99. */
  loadAddedLatencyP99Ms: 5,
  /** Loading the IP database in a fresh process, and one lookup in it. */
  ipdbLoadMs: 1_000,
  ipdbLookupNs: 1_000,
} as const;

/** Shapes the aims name. */
export const BYTES_SHAPE = { monitors: 10_000, intervalMs: 60_000 } as const;
export const LATENESS_SHAPES = [{ monitors: 10_000, intervalMs: 60_000 }, { monitors: 2_000, intervalMs: 10_000 }] as const;
export const RSS_SHAPE = BYTES_SHAPE;

/** `/` with 100 monitors and 90 days of history (bench/status-page.ts). */
export type StatusPageFigures = Record<string, number>;

export interface ScenarioRun {
  readonly candor: ScenarioOutcome;
  readonly bare: BareClientOutcome;
  /** candor.cpuMsPerCheck / bare.cpuMsPerCheck. */
  readonly cpuRatio: number;
  readonly targets: TargetLoad;
}

export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly aim: string;
  /** Undefined: not measured in this run. */
  readonly met?: boolean;
  /** What this run shows about a miss. */
  readonly cause?: string;
}

export interface BenchReport {
  readonly date: string;
  readonly durationMs: number;
  readonly parameters: BenchSettings;
  readonly machine: Machine;
  readonly aims: typeof AIMS;
  readonly figures: readonly Figure[];
  readonly scenarios: readonly ScenarioRun[];
  readonly ceiling: readonly (CeilingOutcome & { readonly targets: TargetLoad })[];
  readonly ingest: readonly IngestBenchOutcome[];
  readonly statusPage: StatusPageFigures;
  /** Absent in a run of only some parts (BENCH_ONLY). */
  readonly loadLatency?: LoadLatencyOutcome;
  /** Agents over HTTP, per engine; absent in runs from before it. */
  readonly agentsHttp?: readonly AgentsHttpBenchOutcome[];
  readonly ipdb?: IpDbFigures;
}

const MB = 1e6;
const HOUR_MS = 3_600_000;
const fixed = (value: number, digits = 0): string => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const shapeName = (s: { monitors: number; intervalMs: number }): string => `${s.monitors.toLocaleString('en')} monitors every ${s.intervalMs / 1000} s`;

function findRun(runs: readonly ScenarioRun[], shape: { monitors: number; intervalMs: number }): ScenarioRun | undefined {
  return runs.find((r) => r.candor.input.monitors === shape.monitors && r.candor.input.intervalMs === shape.intervalMs);
}

/**
 * Bytes per result in the long run: the window's growth less what the rollups table grew in it, plus
 * the hourly and daily rollup rows each series adds (amortised over the results of an hour). A window
 * that crosses an hour sees every series' new hourly row, an hour's worth of rows against a few
 * minutes of results; one that does not sees only the current rows' growth in place: neither is what a
 * result costs over time, so the rows are counted at their size at the end, spread over their hour.
 */
export function bytesPerResultLongRun(run: ScenarioOutcome): { total: number; rollupsInWindow: number; rollupsAmortised: number } {
  const growth = run.growth;
  const rollupsInWindow = growth.bytesPerResultByTable['rollups'] ?? 0;
  const resultsPerSeriesHour = HOUR_MS / run.input.intervalMs;
  const rollupsAmortised = (run.database.rollupBytesPerRow * (1 + 1 / 24)) / resultsPerSeriesHour;
  return { total: growth.bytesPerResult - rollupsInWindow + rollupsAmortised, rollupsInWindow, rollupsAmortised };
}

function bytesCause(run: ScenarioOutcome): string {
  const tree = run.database.observationsTree;
  const { rollupsAmortised, rollupsInWindow } = bytesPerResultLongRun(run);
  const byTable = Object.entries(run.growth.bytesPerResultByTable)
    .sort(([, a], [, b]) => b - a)
    .map(([name, bytes]) => `${name} ${fixed(bytes, 1)}`)
    .join(', ');
  return (
    `growth per result by table: ${byTable}; counted: everything but rollups (${fixed(rollupsInWindow, 1)}), then rollups amortised ${fixed(rollupsAmortised, 1)}. ` +
    `The observations b-tree (rows live in it, WITHOUT ROWID) costs ${fixed(tree.bytesPerRow, 1)} B per row at the end: ` +
    `records of ${fixed(tree.payloadPerRow, 1)} B, leaf pages ${fixed(tree.leafFill * 100)} % full ` +
    `(${tree.leafPages} leaf, ${tree.interiorPages} interior pages)`
  );
}

/** Agents over HTTP (bench/agents-http.ts), one figure per engine. */
export function agentsHttpFigures(report: Pick<BenchReport, 'agentsHttp' | 'parameters'>): Figure[] {
  const shape = report.parameters.ingest;
  return (['sqlite', 'postgres'] as const).map((engine): Figure => {
    const run = report.agentsHttp?.find((a) => a.input.engine === engine);
    const value = run?.steady.perSecond ?? NaN;
    const met = run ? value >= AIMS.agentsHttpPerSecond && run.steady.refused === 0 : undefined;
    return {
      name: `agents over HTTP, signed batches committed, ${engine === 'sqlite' ? 'SQLite' : 'PostgreSQL'} (${shape.agents} agent processes × ${shape.monitors} monitors, batches of ${shape.batch})`,
      value,
      unit: 'observations/s',
      aim: `>= ${AIMS.agentsHttpPerSecond}`,
      ...(met === undefined ? {} : { met }),
      ...(run && !met
        ? { cause: `push p50 ${fixed(run.pushLatencyMs.p50)} ms / p99 ${fixed(run.pushLatencyMs.p99)} ms for ${shape.batch} observations; hub CPU ${fixed(run.steady.hubCpuMsPerObservation, 3)} ms per observation (HTTP, JSON, signature, ingest); ${run.steady.refused} refused${run.firstRefusal ? ` (${run.firstRefusal})` : ''}` }
        : {}),
      ...(run ? {} : { cause: 'not measured in this run' }),
    };
  });
}

export function figuresOf(report: Omit<BenchReport, 'figures'>): Figure[] {
  const figures: Figure[] = [];
  const runs = report.scenarios;

  const bytesRun = findRun(runs, BYTES_SHAPE);
  if (bytesRun) {
    const { total } = bytesPerResultLongRun(bytesRun.candor);
    const met = total <= AIMS.bytesPerResult;
    figures.push({
      name: `database bytes per result, steady state (${shapeName(BYTES_SHAPE)})`,
      value: total,
      unit: 'B',
      aim: `<= ${AIMS.bytesPerResult} B`,
      met,
      ...(met ? {} : { cause: bytesCause(bytesRun.candor) }),
    });
  } else figures.push({ name: `database bytes per result (${shapeName(BYTES_SHAPE)})`, value: NaN, unit: 'B', aim: `<= ${AIMS.bytesPerResult} B` });

  for (const run of runs) {
    const met = run.cpuRatio <= AIMS.cpuRatio;
    const extra = run.candor.cpuMsPerCheck - run.bare.cpuMsPerCheck;
    figures.push({
      name: `CPU per check, Candor / bare GET (${shapeName(run.candor.input)})`,
      value: run.cpuRatio,
      unit: '×',
      aim: `<= ${AIMS.cpuRatio}×`,
      met,
      ...(met
        ? {}
        : { cause: `Candor ${fixed(run.candor.cpuMsPerCheck, 3)} ms vs bare ${fixed(run.bare.cpuMsPerCheck, 3)} ms per check: ${fixed(extra, 3)} ms more per check (profile: README, Performance)` }),
    });
  }

  for (const shape of LATENESS_SHAPES) {
    const run = findRun(runs, shape);
    const p99 = run?.candor.database.latenessMs.p99 ?? NaN;
    const met = run ? p99 <= AIMS.latenessP99Ms : undefined;
    figures.push({
      name: `scheduler lateness p99 (${shapeName(shape)})`,
      value: p99,
      unit: 'ms',
      aim: `<= ${AIMS.latenessP99Ms} ms`,
      ...(met === undefined ? {} : { met }),
      ...(run && !met
        ? { cause: `event-loop delay p99 ${fixed(run.candor.process.loopDelayMs.p99, 1)} ms, max ${fixed(run.candor.process.loopDelayMs.max, 1)} ms; ingest flush mean ${run.candor.flush ? fixed((run.candor.flush.sumSeconds / run.candor.flush.count) * 1000, 1) : 'n/a'} ms` }
        : {}),
    });
  }

  for (const engine of ['sqlite', 'postgres'] as const) {
    const run = report.ingest.find((i) => i.input.engine === engine);
    const value = run?.steady.perSecond ?? NaN;
    const met = run ? value >= AIMS.ingestPerSecond && run.steady.refused === 0 : undefined;
    figures.push({
      name: `hub ingest through Ingest.submit, ${engine === 'sqlite' ? 'SQLite' : 'PostgreSQL'} (${report.parameters.ingest.agents} agents × ${report.parameters.ingest.monitors} monitors, batches of ${report.parameters.ingest.batch})`,
      value,
      unit: 'observations/s',
      aim: `>= ${AIMS.ingestPerSecond}`,
      ...(met === undefined ? {} : { met }),
      ...(run && !met
        ? { cause: `flush p50 ${fixed(run.flushMs.p50)} ms for ${fixed(run.observationsPerFlush)} observations; CPU ${fixed(run.steady.cpuMsPerObservation, 3)} ms per observation in the hub process; ${run.steady.refused} refused${run.firstRefusal ? ` (${run.firstRefusal})` : ''}` }
        : {}),
      ...(run ? {} : { cause: 'not measured: set CANDOR_BENCH_DATABASE_URL (or CANDOR_TEST_DATABASE_URL)' }),
    });
  }

  const rebuilt = report.statusPage['coldRenderP99Ms'];
  const pageMet = rebuilt === undefined ? undefined : rebuilt <= AIMS.statusPageRebuiltP99Ms;
  figures.push({
    name: 'status page / rebuilt from the database p99 (100 monitors, 90 days)',
    value: rebuilt ?? NaN,
    unit: 'ms',
    aim: `<= ${AIMS.statusPageRebuiltP99Ms} ms`,
    ...(pageMet === undefined ? {} : { met: pageMet }),
    ...(pageMet === false ? { cause: 'see README, Performance (profile of a rebuild)' } : {}),
  });

  figures.push(...agentsHttpFigures(report));
  figures.push(loadLatencyFigure(report.loadLatency));
  figures.push(...ipdbFiguresOf(report.ipdb));

  const rssRun = findRun(runs, RSS_SHAPE);
  const rss = rssRun?.candor.process.peakRssBytes ?? NaN;
  figures.push({
    name: `peak RSS (${shapeName(RSS_SHAPE)})`,
    value: rss / MB,
    unit: 'MB',
    aim: `<= ${AIMS.peakRssBytes / MB} MB`,
    ...(rssRun ? { met: rss <= AIMS.peakRssBytes } : {}),
    ...(rssRun && rss > AIMS.peakRssBytes ? { cause: `peak heap used ${fixed(rssRun.candor.process.peakHeapUsedBytes / MB)} MB` } : {}),
  });
  return figures;
}

function loadLatencyFigure(load: LoadLatencyOutcome | undefined): Figure {
  if (!load) return { name: 'target latency p99 added by load on the read API', value: NaN, unit: 'ms', aim: `<= ${AIMS.loadAddedLatencyP99Ms} ms` };
  const { idleMs, loadedMs, api } = load;
  const added = loadedMs.p99 - idleMs.p99;
  return {
    name: `target latency p99 added by load on the read API (${load.monitors} monitors every ${load.intervalMs / 1000} s; idle ${fixed(idleMs.p99, 1)} ms, loaded ${fixed(loadedMs.p99, 1)} ms)`,
    value: added,
    unit: 'ms',
    aim: `<= ${AIMS.loadAddedLatencyP99Ms} ms`,
    met: added <= AIMS.loadAddedLatencyP99Ms,
    ...(added <= AIMS.loadAddedLatencyP99Ms
      ? {}
      : { cause: `the API served ${fixed(api.perSecond)} requests/s from another process on the same 2 cores: the checks thread waits for a core, not for the server's event loop` }),
  };
}

/** The IP database's figures; also printed alone by `npm run bench -- ipdb`. */
export function ipdbFiguresOf(ipdb: IpDbFigures | undefined): Figure[] {
  const loadMs = ipdb?.loadMs ?? NaN;
  const lookupNs = ipdb?.lookupNs ?? NaN;
  const measured = ipdb !== undefined;
  const where = ipdb ? ` (median of ${ipdb.runs.length} fresh processes)` : '';
  return [
    {
      name: `IP database load, cold${where}`,
      value: loadMs,
      unit: 'ms',
      aim: `<= ${AIMS.ipdbLoadMs} ms`,
      ...(measured ? { met: loadMs <= AIMS.ipdbLoadMs } : {}),
      ...(ipdb && loadMs > AIMS.ipdbLoadMs ? { cause: `CPU ${fixed(ipdb.loadCpuMs)} ms of it: the rest is waiting for a core` } : {}),
    },
    {
      name: `IP database lookup, random addresses, 4/5 IPv4${where}`,
      value: lookupNs,
      unit: 'ns',
      aim: `<= ${AIMS.ipdbLookupNs} ns`,
      ...(measured ? { met: lookupNs <= AIMS.ipdbLookupNs } : {}),
      ...(ipdb && lookupNs > AIMS.ipdbLookupNs ? { cause: `CPU ${fixed(ipdb.lookupCpuNs)} ns of it: the rest is waiting for a core` } : {}),
    },
  ];
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  const line = (row: readonly string[]): string => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  return [line(rows[0]!), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

/** One figure as a line of the report: met or missed, value, aim, and the cause of a miss. */
export function formatFigure(f: Figure): string {
  const digits = f.unit === '×' ? 2 : f.unit === 'MB' || f.unit === 'observations/s' || f.unit === 'ns' ? 0 : 1;
  return (
    `  ${f.met === undefined ? 'not measured' : f.met ? 'met   ' : 'MISSED'}  ${f.name}: ${fixed(f.value, digits)} ${f.unit} (aim ${f.aim})` +
    (f.cause ? `\n          cause: ${f.cause}` : '')
  );
}

export function formatReport(report: BenchReport): string {
  const p = report.parameters;
  const m = report.machine;
  const header = [
    `Candor bench ${report.date}: ${m.cpuModel}, ${m.cores} cores, ${fixed(m.totalMemoryBytes / 1e9, 1)} GB, node ${m.node}, ${fixed(report.durationMs / 60_000, 1)} min`,
    `each scenario: warm-up ${p.warmupMs === undefined ? 'one interval + 15 s' : `${p.warmupMs / 1000} s`}, then ${p.measureMs / 1000} s measured; timeout ${p.timeoutMs / 1000} s, concurrency ${p.concurrency}, ${p.targetPorts} target ports`,
    `load average before/after: ${m.loadAverageBefore.map((v) => v.toFixed(2)).join(' ')} / ${m.loadAverageAfter.map((v) => v.toFixed(2)).join(' ')}`,
  ].join('\n');

  const aims = ['Figures against their aims', ...report.figures.map(formatFigure)].join('\n');

  const runs = report.scenarios;
  const row = (label: string, cell: (r: ScenarioRun) => string): string[] => [label, ...runs.map(cell)];
  const scenarios = table([
    ['Scenario (Candor hub and bare client side by side)', ...runs.map((r) => `${r.candor.input.monitors}/${r.candor.input.intervalMs / 1000}s`)],
    row('checks/s planned / achieved', (r) => `${fixed(r.candor.plannedPerSecond, 1)} / ${fixed(r.candor.achievedPerSecond, 1)}`),
    row('Candor CPU ms per check', (r) => fixed(r.candor.cpuMsPerCheck, 3)),
    row('bare GET CPU ms per check', (r) => fixed(r.bare.cpuMsPerCheck, 3)),
    row('ratio', (r) => `${fixed(r.cpuRatio, 2)}×`),
    row('Candor / bare CPU % of one core', (r) => `${fixed(r.candor.cpuPercent, 1)} / ${fixed(r.bare.cpuPercent, 1)}`),
    row('bare checks (errors, skipped)', (r) => `${r.bare.checks} (${r.bare.errors}, ${r.bare.skipped})`),
    row('lateness p50 / p99 / max ms', (r) => `${fixed(r.candor.database.latenessMs.p50)} / ${fixed(r.candor.database.latenessMs.p99)} / ${fixed(r.candor.database.latenessMs.max)}`),
    row('skipped / failed checks', (r) => `${fixed(r.candor.skipped)} / ${r.candor.database.failed}`),
    row('check latency p50 / p99 ms', (r) => `${fixed(r.candor.database.latencyMs.p50, 1)} / ${fixed(r.candor.database.latencyMs.p99, 1)}`),
    row('event-loop delay p99 / max ms', (r) => `${fixed(r.candor.process.loopDelayMs.p99, 1)} / ${fixed(r.candor.process.loopDelayMs.max, 1)}`),
    row('peak RSS / heap used MB', (r) => `${fixed(r.candor.process.peakRssBytes / MB)} / ${fixed(r.candor.process.peakHeapUsedBytes / MB)}`),
    row('ingest flush mean ms', (r) => (r.candor.flush && r.candor.flush.count > 0 ? fixed((r.candor.flush.sumSeconds / r.candor.flush.count) * 1000, 1) : 'n/a')),
    row('results in window / file growth KB', (r) => `${r.candor.growth.results} / ${fixed(r.candor.growth.bytes / 1000)}`),
    row('bytes per result: growth less rollups (+ rollups amortised)', (r) => {
      const { rollupsInWindow, rollupsAmortised } = bytesPerResultLongRun(r.candor);
      return `${fixed(r.candor.growth.bytesPerResult - rollupsInWindow, 1)} (+${fixed(rollupsAmortised, 1)})`;
    }),
    row('  observations tree B/row, leaf fill %', (r) => `${fixed(r.candor.database.observationsTree.bytesPerRow, 1)}, ${fixed(r.candor.database.observationsTree.leafFill * 100)}`),
    row('  whole file / all results (fixed costs in)', (r) => fixed(r.candor.database.fileBytesPerResultWholeRun, 1)),
    row('GET /metrics ms (KB)', (r) => `${fixed(r.candor.scrape.ms)} (${fixed(r.candor.scrape.bytes / 1000)})`),
    row('startup / shutdown ms', (r) => `${fixed(r.candor.startupMs)} / ${fixed(r.candor.shutdownMs)}`),
    row('targets CPU % (own process)', (r) => fixed(r.targets.cpuPercent, 1)),
  ]);

  const last = runs[runs.length - 1];
  const tablesOf = last
    ? table([
        [`Tables at the end of ${shapeName(last.candor.input)} (dbstat)`, 'rows', 'KB', 'payload KB', 'growth B/result'],
        ...last.candor.database.tables.map((t) => [t.name, String(t.rows), fixed(t.bytes / 1000), fixed(t.payloadBytes / 1000), fixed(last.candor.growth.bytesPerResultByTable[t.name] ?? 0, 1)]),
      ])
    : '';
  const columns = last ? `observations columns, average value bytes: ${Object.entries(last.candor.database.observationColumnBytes).map(([c, b]) => `${c} ${b}`).join(', ')}` : '';

  const ingest = table([
    ['Ingest.submit (agents push batches, await outcomes)', 'obs/s', 'first round obs/s', 'batch p50/p99 ms', 'flush p50/p99 ms', 'obs/flush', 'CPU ms/obs', 'refused'],
    ...report.ingest.map((i) => [
      i.input.engine,
      fixed(i.steady.perSecond),
      fixed(i.firstRound.perSecond),
      `${fixed(i.batchLatencyMs.p50)} / ${fixed(i.batchLatencyMs.p99)}`,
      `${fixed(i.flushMs.p50)} / ${fixed(i.flushMs.p99)}`,
      fixed(i.observationsPerFlush),
      fixed(i.steady.cpuMsPerObservation, 3),
      String(i.steady.refused + i.firstRound.refused),
    ]),
  ]);

  const ceiling = table([
    ['Bare machine ceiling (fresh connection each, tight loop)', 'requests/s', 'errors', 'client CPU %', 'CPU ms/request'],
    ...report.ceiling.map((run) => [`${run.client}, ${p.concurrency} in flight`, fixed(run.requestsPerSecond), fixed(run.errors), fixed(run.cpuPercent, 1), fixed(run.cpuMicrosPerRequest / 1000, 3)]),
  ]);

  const page = report.statusPage;
  const statusPage = table([
    [`Status page / (${page['monitors']} monitors, ${page['days']} days, ${page['renders']} renders)`, 'value'],
    ['as served p50 / p99 ms (kept until a state changes, 5 s at most)', `${fixed(page['renderP50Ms'] ?? NaN, 2)} / ${fixed(page['renderP99Ms'] ?? NaN, 2)}`],
    ['rebuilt from the database p50 / p99 ms', `${fixed(page['coldRenderP50Ms'] ?? NaN, 1)} / ${fixed(page['coldRenderP99Ms'] ?? NaN, 1)}`],
    ['HTML + CSS + JS compressed KB (raw KB)', `${fixed((page['pageBytesCompressed'] ?? NaN) / 1000, 1)} (${fixed((page['pageBytesRaw'] ?? NaN) / 1000)})`],
  ]);
  const load = report.loadLatency;
  const loadLatency = load
    ? table([
        [`Target latency the hub records (${load.monitors} monitors every ${load.intervalMs / 1000} s, ${load.phaseMs / 1000} s per phase)`, 'p50 ms', 'p99 ms', 'max ms', 'checks'],
        ['idle', fixed(load.idleMs.p50, 2), fixed(load.idleMs.p99, 2), fixed(load.idleMs.max, 2), fixed(load.idleMs.count)],
        [`while /api/v1/monitors serves ${fixed(load.api.perSecond)} req/s (p99 ${fixed(load.api.latencyMs.p99)} ms)`, fixed(load.loadedMs.p50, 2), fixed(load.loadedMs.p99, 2), fixed(load.loadedMs.max, 2), fixed(load.loadedMs.count)],
      ])
    : '';
  const agents = report.agentsHttp && report.agentsHttp.length > 0 ? agentsHttpTable(report.agentsHttp) : '';
  // A run of only some parts (BENCH_ONLY) prints only what it measured.
  const measured = (rows: number, text: string): string => (rows > 0 ? text : '');
  const parts = [
    header,
    aims,
    measured(runs.length, scenarios),
    tablesOf,
    columns,
    measured(report.ingest.length, ingest),
    agents,
    measured(Object.keys(page).length, statusPage),
    loadLatency,
    measured(report.ceiling.length, ceiling),
  ];
  return parts.filter((part) => part !== '').join('\n\n') + '\n';
}

function agentsHttpTable(runs: readonly AgentsHttpBenchOutcome[]): string {
  return table([
    ['Agents over HTTP (agent processes push signed batches, each answered after commit)', 'obs/s', 'first round obs/s', 'push p50/p99 ms', 'hub CPU ms/obs', 'hub peak RSS MB', 'refused'],
    ...runs.map((a) => [
      a.input.engine,
      fixed(a.steady.perSecond),
      fixed(a.firstRound.perSecond),
      `${fixed(a.pushLatencyMs.p50)} / ${fixed(a.pushLatencyMs.p99)}`,
      fixed(a.steady.hubCpuMsPerObservation, 3),
      fixed(a.hubPeakRssBytes / MB),
      String(a.steady.refused + a.firstRound.refused),
    ]),
  ]);
}

/** Writes results/latest.json and results/<ISO date>.json; returns their paths. */
export function saveReport(report: BenchReport, directory: string, prefix = ''): string[] {
  mkdirSync(directory, { recursive: true });
  const json = `${JSON.stringify(report, null, 2)}\n`;
  const paths = [join(directory, `${prefix}latest.json`), join(directory, `${prefix}${report.date.replaceAll(':', '-')}.json`)];
  for (const path of paths) writeFileSync(path, json);
  return paths;
}
