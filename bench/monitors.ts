// The bench's monitor set: N plain http monitors spread over the loopback targets, built in code.
import {
  DEFAULT_KEEP_HEADERS,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_REDIRECTS,
  DEFAULT_STATUS,
} from '../src/config/http-schema.js';
import type { CandorConfig, MonitorSpec } from '../src/domain/monitor.js';

const DAY_MS = 86_400_000;

export interface MonitorSetOptions {
  readonly count: number;
  /** Target base URLs; monitor i uses targetUrls[i % length], each with its own path. */
  readonly targetUrls: readonly string[];
  readonly intervalMs: number;
  readonly timeoutMs: number;
}

export function benchMonitorId(index: number): string {
  return `bench-${index}`;
}

function benchMonitor(index: number, options: MonitorSetOptions): MonitorSpec {
  const base = options.targetUrls[index % options.targetUrls.length]!;
  const name = `Bench ${index}`;
  return {
    id: benchMonitorId(index),
    name,
    probe: {
      type: 'http',
      url: `${base}/m/${index}`,
      method: 'GET',
      headers: {},
      maxRedirects: DEFAULT_MAX_REDIRECTS,
      verifyTls: true,
      maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
      keepHeaders: DEFAULT_KEEP_HEADERS,
      expect: { status: DEFAULT_STATUS },
    },
    intervalMs: options.intervalMs,
    timeoutMs: options.timeoutMs,
    failureThreshold: 3,
    successThreshold: 1,
    tags: ['bench'],
    component: name,
    maintenance: [],
    paused: false,
  };
}

export function benchConfig(options: MonitorSetOptions): CandorConfig {
  return {
    sourcePath: '(bench)',
    title: `Candor bench, ${options.count} monitors`,
    monitors: Array.from({ length: options.count }, (_, index) => benchMonitor(index, options)),
    // The page a config without a statusPages block gets: every component.
    statusPages: [{ slug: 'main', title: 'Candor bench', links: [], theme: 'auto', timezone: 'UTC', components: [], isDefault: true }],
    retention: { rawMs: 30 * DAY_MS, rollupsMs: 400 * DAY_MS },
    vantage: { name: 'local' },
    server: { host: '127.0.0.1', port: 0 },
  };
}
