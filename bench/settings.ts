// Bench parameters, read once from the environment at the entry point and passed down as plain data.

export interface BenchSettings {
  /** Monitor counts, one scenario each. */
  readonly scenarios: readonly number[];
  /** How long each scenario runs, warm-up included. */
  readonly durationMs: number;
  /** First part of each scenario left out of rates, lateness and CPU (startup settling). */
  readonly warmupMs: number;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  /** Checks running at once in Candor, and requests in flight for the ceiling. */
  readonly concurrency: number;
  /** How long each bare-client ceiling loop runs. */
  readonly ceilingMs: number;
  /** Loopback target servers (ports) the monitors are spread over. */
  readonly targetPorts: number;
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

function monitorCounts(env: Env): number[] {
  const text = env['BENCH_MONITORS'];
  if (text === undefined || text === '') return [1_000, 10_000];
  const counts = text.split(',').map((part) => Number(part.trim()));
  if (counts.some((count) => !Number.isInteger(count) || count <= 0)) {
    throw new SettingsError(`BENCH_MONITORS must be a comma-separated list of positive integers, got ${JSON.stringify(text)}`);
  }
  return counts;
}

export function readSettings(env: Env): BenchSettings {
  const durationMs = positiveNumber(env, 'BENCH_SECONDS', 75) * 1000;
  const warmupMs = positiveNumber(env, 'BENCH_WARMUP_SECONDS', 5) * 1000;
  if (warmupMs >= durationMs - 2000) throw new SettingsError('BENCH_WARMUP_SECONDS must be at least 2 s shorter than BENCH_SECONDS');
  return {
    scenarios: monitorCounts(env),
    durationMs,
    warmupMs,
    intervalMs: positiveNumber(env, 'BENCH_INTERVAL_SECONDS', 60) * 1000,
    timeoutMs: positiveNumber(env, 'BENCH_TIMEOUT_SECONDS', 10) * 1000,
    concurrency: Math.round(positiveNumber(env, 'BENCH_CONCURRENCY', 256)),
    ceilingMs: positiveNumber(env, 'BENCH_CEILING_SECONDS', 10) * 1000,
    targetPorts: Math.round(positiveNumber(env, 'BENCH_TARGET_PORTS', 8)),
  };
}
