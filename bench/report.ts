// The bench report: one JSON document (saved twice: latest and dated) and a readable table.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CeilingOutcome } from './ceiling.js';
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
  monitors: 10_000,
  intervalMs: 60_000,
  latenessP99Ms: 100,
  peakRssBytes: 250e6,
  fileBytesPerResult: 60,
  statusPageRenderP99Ms: 20,
  statusPageCompressedBytes: 100_000,
} as const;

/** `/` with 100 monitors and 90 days of history (bench/status-page.ts). */
export type StatusPageFigures = Record<string, number>;

export interface BenchReport {
  readonly date: string;
  readonly durationMs: number;
  readonly parameters: BenchSettings;
  readonly machine: Machine;
  readonly aims: typeof AIMS;
  readonly scenarios: readonly (ScenarioOutcome & { readonly targets: TargetLoad })[];
  readonly ceiling: readonly (CeilingOutcome & { readonly targets: TargetLoad })[];
  readonly statusPage: StatusPageFigures;
}

const MB = 1e6;
const fixed = (value: number, digits = 0): string => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const verdict = (ok: boolean): string => (ok ? 'met' : 'MISSED');

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  const line = (row: readonly string[]): string => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  return [line(rows[0]!), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

export function formatReport(report: BenchReport): string {
  const best = Math.max(...report.ceiling.map((run) => run.requestsPerSecond));
  const scenarios = report.scenarios;
  const row = (label: string, cell: (s: (typeof scenarios)[number]) => string, aim = ''): string[] => [label, ...scenarios.map(cell), aim];
  const aimed = (label: string, value: (s: (typeof scenarios)[number]) => number, limit: number, digits: number, unit: string): string[] =>
    row(label, (s) => `${fixed(value(s), digits)}${s.input.monitors === AIMS.monitors ? ` ${verdict(value(s) <= limit)}` : ''}`, `<= ${limit}${unit}`);

  const candor = table([
    ['Candor (hub in one process)', ...scenarios.map((s) => `${s.input.monitors} monitors`), 'aim (10k)'],
    row('checks/s planned (monitors / interval)', (s) => `${fixed(s.plannedPerSecond, 1)} (${fixed(s.nominalPerSecond, 1)})`),
    row('checks/s achieved', (s) => fixed(s.achievedPerSecond, 1)),
    row('  share of bare-machine ceiling', (s) => `${fixed((s.achievedPerSecond / best) * 100, 1)} %`),
    row('lateness p50 / p99 ms', (s) => `${fixed(s.database.latenessMs.p50)} / ${fixed(s.database.latenessMs.p99)}`),
    aimed('lateness p99 ms', (s) => s.database.latenessMs.p99, AIMS.latenessP99Ms, 0, ' ms'),
    row('lateness max ms (whole run)', (s) => `${fixed(s.database.latenessMs.max)} (${fixed(s.database.latenessAllMs.max)})`),
    row('skipped checks', (s) => fixed(s.skipped)),
    row('failed checks', (s) => fixed(s.database.failed)),
    row('check latency p50 / p99 ms', (s) => `${fixed(s.database.latencyMs.p50, 1)} / ${fixed(s.database.latencyMs.p99, 1)}`),
    row('CPU % of one core (Candor alone)', (s) => fixed(s.cpuPercent, 1)),
    row('CPU per check µs', (s) => fixed(s.cpuMicrosPerCheck)),
    row('targets CPU % (child process)', (s) => fixed(s.targets.cpuPercent, 1)),
    aimed('peak RSS MB', (s) => s.process.peakRssBytes / MB, AIMS.peakRssBytes / MB, 0, ' MB'),
    row('peak heap used MB', (s) => fixed(s.process.peakHeapUsedBytes / MB)),
    row('event-loop delay p99 / max ms', (s) => `${fixed(s.process.loopDelayMs.p99, 1)} / ${fixed(s.process.loopDelayMs.max, 1)}`),
    row('results stored', (s) => fixed(s.database.resultsTotal)),
    aimed('DB bytes per result (db+wal / results)', (s) => s.database.fileBytesPerResult, AIMS.fileBytesPerResult, 0, ' B'),
    row('  results table+indexes pages / result', (s) => fixed(s.database.resultPagesBytesPerResult)),
    row('ingest flush mean ms', (s) => (s.flush && s.flush.count > 0 ? fixed((s.flush.sumSeconds / s.flush.count) * 1000, 1) : 'n/a')),
    row('GET /metrics ms (KB)', (s) => `${fixed(s.scrape.ms)} (${fixed(s.scrape.bytes / 1000)})`),
    row('startup / shutdown ms', (s) => `${fixed(s.startupMs)} / ${fixed(s.shutdownMs)}`),
  ]);
  const ceiling = table([
    ['Bare machine ceiling (fresh connection each)', 'requests/s', 'errors', 'client CPU %', 'CPU/request µs', 'targets CPU %'],
    ...report.ceiling.map((run) => [
      `${run.client}, ${report.parameters.concurrency} in flight`,
      fixed(run.requestsPerSecond),
      fixed(run.errors),
      fixed(run.cpuPercent, 1),
      fixed(run.cpuMicrosPerRequest),
      fixed(run.targets.cpuPercent, 1),
    ]),
  ]);
  const p = report.parameters;
  const m = report.machine;
  const header = [
    `Candor bench ${report.date}: ${m.cpuModel}, ${m.cores} cores, ${fixed(m.totalMemoryBytes / 1e9, 1)} GB, node ${m.node}`,
    `interval ${p.intervalMs / 1000} s, timeout ${p.timeoutMs / 1000} s, ${p.durationMs / 1000} s per scenario (first ${p.warmupMs / 1000} s warm-up), concurrency ${p.concurrency}, ${p.targetPorts} target ports`,
    `load average before/after: ${m.loadAverageBefore.map((v) => v.toFixed(2)).join(' ')} / ${m.loadAverageAfter.map((v) => v.toFixed(2)).join(' ')}`,
  ].join('\n');
  const page = report.statusPage;
  const statusPage = table([
    [`Status page / (${page['monitors']} monitors, ${page['days']} days of history, ${page['renders']} renders)`, 'value', 'aim'],
    ['render p50 / p99 ms (page cached until a state changes, 5 s at most)', `${fixed(page['renderP50Ms'] ?? NaN, 2)} / ${fixed(page['renderP99Ms'] ?? NaN, 2)}`, `p99 <= ${AIMS.statusPageRenderP99Ms} ms ${verdict((page['renderP99Ms'] ?? Infinity) <= AIMS.statusPageRenderP99Ms)}`],
    ['cold render p50 / p99 ms (rebuilt from the database every time)', `${fixed(page['coldRenderP50Ms'] ?? NaN, 1)} / ${fixed(page['coldRenderP99Ms'] ?? NaN, 1)}`, `p99 <= ${AIMS.statusPageRenderP99Ms} ms ${verdict((page['coldRenderP99Ms'] ?? Infinity) <= AIMS.statusPageRenderP99Ms)}`],
    ['HTML + CSS + JS compressed KB (raw KB)', `${fixed((page['pageBytesCompressed'] ?? NaN) / 1000, 1)} (${fixed((page['pageBytesRaw'] ?? NaN) / 1000)})`, `<= ${AIMS.statusPageCompressedBytes / 1000} KB ${verdict((page['pageBytesCompressed'] ?? Infinity) <= AIMS.statusPageCompressedBytes)}`],
  ]);
  return `${header}\n\n${candor}\n\n${ceiling}\n\n${statusPage}\n`;
}

/** Writes results/latest.json and results/<ISO date>.json; returns their paths. */
export function saveReport(report: BenchReport, directory: string): string[] {
  mkdirSync(directory, { recursive: true });
  const json = `${JSON.stringify(report, null, 2)}\n`;
  const paths = [join(directory, 'latest.json'), join(directory, `${report.date.replaceAll(':', '-')}.json`)];
  for (const path of paths) writeFileSync(path, json);
  return paths;
}
