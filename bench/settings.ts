// Bench parameters, read once from the environment at the entry point and passed down as plain data.

export interface ScenarioShape {
  readonly monitors: number;
  readonly intervalMs: number;
}

export interface BenchSettings {
  /** One scenario each: N monitors checked every intervalMs. */
  readonly scenarios: readonly ScenarioShape[];
  /** Measured part of each scenario (after its warm-up). */
  readonly measureMs: number;
  /**
   * Warm-up of each scenario, left out of every figure: startup, then one whole interval so that every
   * monitor has made its first check (series, texts and rollup rows created) before measuring starts.
   * Undefined: one interval plus 15 s.
   */
  readonly warmupMs: number | undefined;
  readonly timeoutMs: number;
  /** Checks running at once in Candor, and requests in flight for the ceiling. */
  readonly concurrency: number;
  /** How long each bare-client ceiling loop runs. */
  readonly ceilingMs: number;
  /** Loopback target servers (ports) the monitors are spread over. */
  readonly targetPorts: number;
  readonly ingest: IngestBenchSettings;
  /** Renders of `/` in the status page bench. */
  readonly pageRenders: number;
  /** BENCH_ONLY=page,scenarios: run these parts alone (saved as results/<parts>-*.json); absent: every part. */
  readonly only?: readonly BenchPart[];
}

export const BENCH_PARTS = ['scenarios', 'ceiling', 'ingest', 'agents-http', 'page', 'load-latency', 'ipdb'] as const;
export type BenchPart = (typeof BENCH_PARTS)[number];

export interface IngestBenchSettings {
  readonly agents: number;
  readonly monitors: number;
  /** Observations per Ingest.submit call. */
  readonly batch: number;
  /** How long each engine is fed. */
  readonly durationMs: number;
  /** PostgreSQL to measure too (a fresh schema, dropped after); undefined: SQLite only. */
  readonly databaseUrl: string | undefined;
}

export class SettingsError extends Error {
  readonly code = 'bench_settings';
}

type Env = Readonly<Record<string, string | undefined>>;

function positiveNumber(env: Env, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new SettingsError(`${name} must be a positive number, got ${JSON.stringify(text)}`);
  return value;
}

const DEFAULT_SCENARIOS = '500/20,2000/10,10000/60';

/** "500/20,2000/10": monitors/interval-seconds pairs. */
function scenarioShapes(env: Env): ScenarioShape[] {
  const text = env['BENCH_SCENARIOS'] || DEFAULT_SCENARIOS;
  return text.split(',').map((part) => {
    const match = /^\s*(\d+)\s*\/\s*(\d+(?:\.\d+)?)\s*$/.exec(part);
    const monitors = Number(match?.[1]);
    const intervalSeconds = Number(match?.[2]);
    if (!match || monitors <= 0 || intervalSeconds <= 0) {
      throw new SettingsError(`BENCH_SCENARIOS must look like "500/20,10000/60" (monitors/interval seconds), got ${JSON.stringify(text)}`);
    }
    return { monitors, intervalMs: intervalSeconds * 1000 };
  });
}

export function readSettings(env: Env): BenchSettings {
  const warmup = env['BENCH_WARMUP_SECONDS'];
  return {
    scenarios: scenarioShapes(env),
    measureMs: positiveNumber(env, 'BENCH_SECONDS', 180) * 1000,
    warmupMs: warmup === undefined || warmup === '' ? undefined : positiveNumber(env, 'BENCH_WARMUP_SECONDS', 0) * 1000,
    timeoutMs: positiveNumber(env, 'BENCH_TIMEOUT_SECONDS', 10) * 1000,
    concurrency: Math.round(positiveNumber(env, 'BENCH_CONCURRENCY', 256)),
    ceilingMs: positiveNumber(env, 'BENCH_CEILING_SECONDS', 10) * 1000,
    targetPorts: Math.round(positiveNumber(env, 'BENCH_TARGET_PORTS', 8)),
    ingest: {
      agents: Math.round(positiveNumber(env, 'BENCH_INGEST_AGENTS', 20)),
      monitors: Math.round(positiveNumber(env, 'BENCH_INGEST_MONITORS', 1000)),
      batch: Math.round(positiveNumber(env, 'BENCH_INGEST_BATCH', 500)),
      durationMs: positiveNumber(env, 'BENCH_INGEST_SECONDS', 20) * 1000,
      databaseUrl: env['CANDOR_BENCH_DATABASE_URL'] || env['CANDOR_TEST_DATABASE_URL'] || undefined,
    },
    pageRenders: Math.round(positiveNumber(env, 'BENCH_PAGE_RENDERS', 300)),
    ...onlyPart(env),
  };
}

function onlyPart(env: Env): { only?: readonly BenchPart[] } {
  const text = env['BENCH_ONLY'];
  if (text === undefined || text === '') return {};
  const parts = text.split(',').map((part) => part.trim());
  const unknown = parts.filter((part) => !(BENCH_PARTS as readonly string[]).includes(part));
  if (unknown.length > 0) {
    throw new SettingsError(`BENCH_ONLY must list parts among ${BENCH_PARTS.join(', ')} (or be unset for everything), got ${JSON.stringify(text)}`);
  }
  return { only: parts as BenchPart[] };
}

/** Whether a run with these settings measures `part`. */
export function runsPart(settings: BenchSettings, part: BenchPart): boolean {
  return settings.only === undefined || settings.only.includes(part);
}

/** The warm-up a scenario actually gets. */
export function warmupOf(settings: BenchSettings, shape: ScenarioShape): number {
  return settings.warmupMs ?? shape.intervalMs + 15_000;
}
