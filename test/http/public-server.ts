// A real server over a real SQLite store in a temp dir, for the feeds, badges and Statuspage v2 tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { pino } from 'pino';
import { parseConfig } from '../../src/config/load.js';
import type { CandorConfig, StatusPageSpec } from '../../src/domain/monitor.js';
import type { MonitorState } from '../../src/domain/state.js';
import { buildServer } from '../../src/http/server.js';
import { createMetrics } from '../../src/metrics/metrics.js';
import { openSqliteStore } from '../../src/storage/sqlite.js';
import type { IngestBatch, Store } from '../../src/storage/store.js';

export interface PublicServer {
  readonly app: FastifyInstance;
  readonly store: Store;
  readonly config: CandorConfig;
  /** Current states the server reads; tests change them between requests. */
  readonly states: Map<string, MonitorState>;
  get(url: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export function statusPage(slug: string, overrides: Partial<StatusPageSpec> = {}): StatusPageSpec {
  return { slug, title: `Page ${slug}`, links: [], theme: 'auto', timezone: 'UTC', components: [], isDefault: false, ...overrides };
}

/** `monitorsYaml` is the `monitors:` block; `statusPages` replace the config's (default: one default page). */
export async function startPublicServer(options: {
  monitorsYaml: string;
  statusPages?: readonly StatusPageSpec[];
  now: number;
  seed?: readonly IngestBatch[];
  states?: readonly MonitorState[];
}): Promise<PublicServer> {
  const parsed = parseConfig(`title: Public test\nmonitors:\n${options.monitorsYaml}`, 'candor.yaml', {}, '/etc/candor/candor.yaml');
  const config: CandorConfig = options.statusPages ? { ...parsed, statusPages: options.statusPages } : parsed;
  const dir = mkdtempSync(join(tmpdir(), 'candor-public-'));
  const store = await openSqliteStore(join(dir, 'candor.db'));
  await store.migrate();
  for (const seed of options.seed ?? []) await store.commit(seed);
  const states = new Map((options.states ?? []).map((s) => [s.monitorId, s]));
  const app = await buildServer({
    config,
    store,
    clock: { now: () => options.now },
    monitors: new Map(config.monitors.map((m) => [m.id, m])),
    states: () => states,
    log: pino({ level: 'silent' }),
    metrics: createMetrics(() => states.values()),
    title: config.title,
    version: 'test',
  });
  return {
    app,
    store,
    config,
    states,
    get: (url, headers = {}) => app.inject({ method: 'GET', url, headers: { host: 'status.example.test', ...headers } }),
    async close() {
      await app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
