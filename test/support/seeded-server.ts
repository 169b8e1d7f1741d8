// buildServer over a real SQLite store in a temp dir, seeded with history: the shared base of the
// in-process HTTP tests (API, pages, feeds, badges, Statuspage v2).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import type { CandorConfig } from '../../src/domain/monitor.js';
import type { MonitorState } from '../../src/domain/state.js';
import { buildServer } from '../../src/http/server.js';
import { createMetrics } from '../../src/metrics/metrics.js';
import { openSqliteStore } from '../../src/storage/sqlite.js';
import type { IngestBatch, Store } from '../../src/storage/store.js';

export interface SeededServer {
  readonly app: FastifyInstance;
  readonly store: Store;
  readonly config: CandorConfig;
  /** The states the server reads; tests change them between requests. */
  readonly states: Map<string, MonitorState>;
  close(): Promise<void>;
}

export async function startSeededServer(options: {
  config: CandorConfig;
  now: () => number;
  seed?: readonly IngestBatch[];
  states?: readonly MonitorState[];
  vantageImpaired?: () => boolean;
  /** Another engine (PostgreSQL); SQLite in a temp dir by default. */
  openStore?: () => Promise<{ store: Store; cleanup(): Promise<void> }>;
}): Promise<SeededServer> {
  const { config } = options;
  const dir = mkdtempSync(join(tmpdir(), 'candor-http-'));
  const opened = options.openStore ? await options.openStore() : undefined;
  const store = opened?.store ?? (await openSqliteStore(join(dir, 'candor.db')));
  await store.migrate();
  for (const batch of options.seed ?? []) await store.commit(batch);
  const states = new Map((options.states ?? []).map((s) => [s.monitorId, s]));
  const app = await buildServer({
    config,
    store,
    clock: { now: options.now },
    monitors: new Map(config.monitors.map((m) => [m.id, m])),
    states: () => states,
    ...(options.vantageImpaired ? { vantageImpaired: options.vantageImpaired } : {}),
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
    async close() {
      await app.close();
      if (opened) await opened.cleanup();
      else await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
