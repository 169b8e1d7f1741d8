// A real server over a real SQLite store in a temp dir, for the feeds, badges and Statuspage v2 tests.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { parseConfig } from '../../src/config/load.js';
import type { CandorConfig, StatusPageSpec } from '../../src/domain/monitor.js';
import type { MonitorState } from '../../src/domain/state.js';
import type { IngestBatch, Store } from '../../src/storage/store.js';
import { startSeededServer } from '../support/seeded-server.js';

export interface PublicServer {
  readonly app: FastifyInstance;
  readonly store: Store;
  readonly config: CandorConfig;
  /** Current states the server reads; tests change them between requests. */
  readonly states: Map<string, MonitorState>;
  /** Whether the server's checker is offline (vantage impaired); tests flip it. */
  impaired: boolean;
  get(url: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export function statusPage(slug: string, overrides: Partial<StatusPageSpec> = {}): StatusPageSpec {
  return { slug, title: `Page ${slug}`, links: [], theme: 'auto', timezone: 'UTC', components: [], isDefault: false, ...overrides };
}

/** `monitorsYaml` is the `monitors:` block; `statusPages` replace the config's (default: one default page). */
export async function startPublicServer(options: {
  monitorsYaml: string;
  /** Extra top-level YAML, e.g. a server block. */
  extraYaml?: string;
  statusPages?: readonly StatusPageSpec[];
  now: number;
  seed?: readonly IngestBatch[];
  states?: readonly MonitorState[];
}): Promise<PublicServer> {
  const parsed = parseConfig(`title: Public test\n${options.extraYaml ?? ''}\nmonitors:\n${options.monitorsYaml}`, 'candor.yaml', {}, '/etc/candor/candor.yaml');
  const config: CandorConfig = options.statusPages ? { ...parsed, statusPages: options.statusPages } : parsed;
  const control = { impaired: false };
  const server = await startSeededServer({
    config,
    now: () => options.now,
    vantageImpaired: () => control.impaired,
    ...(options.seed ? { seed: options.seed } : {}),
    ...(options.states ? { states: options.states } : {}),
  });
  return {
    ...server,
    get impaired() {
      return control.impaired;
    },
    set impaired(value: boolean) {
      control.impaired = value;
    },
    get: (url, headers = {}) => server.app.inject({ method: 'GET', url, headers: { host: 'status.example.test', ...headers } }),
  };
}
