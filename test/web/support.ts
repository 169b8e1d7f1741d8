// A real server (buildServer) over a real SQLite store in a temp dir, seeded with history, for the page tests.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { parseConfig } from '../../src/config/load.js';
import type { CandorConfig } from '../../src/domain/monitor.js';
import type { Incident, MonitorState } from '../../src/domain/state.js';
import type { CheckResult } from '../../src/domain/verdict.js';
import type { IngestBatch, Store } from '../../src/storage/store.js';
import { startSeededServer } from '../support/seeded-server.js';
import { idOf } from '../storage/fixtures.js';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
/** 2026-03-10T10:00:00Z. */
export const NOW = Date.UTC(2026, 2, 10, 10, 0, 0);
export const TODAY = Date.UTC(2026, 2, 10);

export interface PageServer {
  readonly app: FastifyInstance;
  readonly store: Store;
  readonly config: CandorConfig;
  /** The states the server reads; tests change them between requests. */
  readonly states: Map<string, MonitorState>;
  /** The clock the server reads; tests move it. */
  readonly clock: { now: number };
  /** Whether the checker is offline (vantage impaired); tests flip it. */
  readonly vantage: { impaired: boolean };
  get(url: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function startPageServer(options: { configYaml: string; seed?: readonly IngestBatch[]; states?: readonly MonitorState[]; now?: number }): Promise<PageServer> {
  const config = parseConfig(options.configYaml, 'candor.yaml', {}, '/etc/candor/candor.yaml');
  const clock = { now: options.now ?? NOW };
  const vantage = { impaired: false };
  const server = await startSeededServer({
    config,
    now: () => clock.now,
    vantageImpaired: () => vantage.impaired,
    ...(options.seed ? { seed: options.seed } : {}),
    ...(options.states ? { states: options.states } : {}),
  });
  return {
    ...server,
    clock,
    vantage,
    get: (url, headers = {}) => server.app.inject({ method: 'GET', url, headers: { accept: 'text/html', ...headers } }),
  };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export function result(monitorId: string, startedAt: number, overrides: Partial<Mutable<CheckResult>> = {}): CheckResult {
  return {
    id: idOf(monitorId, startedAt, overrides.vantage ?? 'local'),
    monitorId,
    vantage: 'local',
    plannedAt: startedAt,
    startedAt,
    ok: true,
    degraded: false,
    maintenance: false,
    inconclusive: false,
    latencyMs: 80,
    phases: { total: 80 },
    details: { type: 'http', status: 200 },
    ...overrides,
  };
}

export function upState(monitorId: string, overrides: Partial<Mutable<MonitorState>> = {}): MonitorState {
  return { monitorId, status: 'up', since: NOW - 30 * DAY, updatedAt: NOW, ...overrides };
}

export function batch(parts: Partial<Mutable<IngestBatch>>): IngestBatch {
  return { results: [], vantageStates: [], states: [], incidentsOpened: [], timelineAppended: [], incidentsResolved: [], ...parts };
}

/** Passing checks every `stepMs` over [from, to), latency from `latency(t)`. */
export function passing(monitorId: string, from: number, to: number, stepMs: number, latency: (t: number) => number = () => 80): CheckResult[] {
  const results: CheckResult[] = [];
  for (let t = from; t < to; t += stepMs) results.push(result(monitorId, t, { latencyMs: latency(t), phases: { total: latency(t) } }));
  return results;
}

export function incident(id: string, monitorIds: readonly string[], startedAt: number, resolvedAt: number | undefined, title = `Incident ${id}`): Incident {
  const timeline: Incident['timeline'] = [
    {
      id: `${id}-1`,
      incidentId: id,
      at: startedAt,
      kind: 'first_failure',
      message: `First failed check: connect_refused`,
      monitorId: monitorIds[0] as string,
      evidence: { resultId: `${id}-r1`, vantage: 'local', at: startedAt, errorKind: 'connect_refused', errorMessage: 'connect ECONNREFUSED 192.0.2.7:443', phases: { dns: 3, total: 5 }, peerAddress: '192.0.2.7' },
    },
    ...(resolvedAt !== undefined
      ? [{ id: `${id}-2`, incidentId: id, at: resolvedAt, kind: 'recovered' as const, message: 'Recovered', monitorId: monitorIds[0] as string }]
      : []),
  ];
  return { id, title, state: resolvedAt === undefined ? 'open' : 'resolved', monitorIds, startedAt, ...(resolvedAt !== undefined ? { resolvedAt } : {}), timeline };
}

/** The text of `<main>` with tags removed and whitespace collapsed, for "the page says" assertions. */
export function mainText(body: string): string {
  const main = /<main[^>]*>([\s\S]*)<\/main>/.exec(body)?.[1] ?? '';
  return main.replace(/<title>[\s\S]*?<\/title>/g, ' ').replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/\s+/g, ' ');
}
