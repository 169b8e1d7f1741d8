// The seeded history most page tests share: three monitors, a resolved incident three days ago,
// an ongoing one now, a monitor that started later (days without data).
import type { IngestBatch } from '../../src/storage/store.js';
import { DAY, HOUR, MINUTE, NOW, TODAY, batch, incident, passing, result, startPageServer, upState, type PageServer } from './support.js';

export const SCENARIO_YAML = `title: Acme
monitors:
  - { id: api, name: API, type: tcp, host: localhost, port: 1, component: Backend }
  - { id: db, name: Database, type: tcp, host: localhost, port: 2, component: Backend }
  - { id: web, name: Website, type: tcp, host: localhost, port: 3 }
statusPages:
  - slug: public
    title: Acme status
    description: Live status of Acme services.
    links: [{ title: Docs, url: "https://example.org/docs" }]
    timezone: Europe/Berlin
  - slug: backend
    title: Backend only
    components: [Backend]
    timezone: America/New_York
`;

/** 2026-03-07 14:00–14:30 UTC: API failed (six failing checks), incident i-api. */
export const API_OUTAGE_START = TODAY - 3 * DAY + 14 * HOUR;
export const API_OUTAGE_END = API_OUTAGE_START + 30 * MINUTE;
/** Website down since 20 minutes ago: incident i-web, open. */
export const WEB_DOWN_SINCE = NOW - 20 * MINUTE;

export function scenarioSeed(): IngestBatch[] {
  const start = TODAY - 89 * DAY;
  const latency = (t: number) => 60 + ((t / HOUR) % 24) * 5;
  const history = [
    ...passing('api', start, NOW, HOUR, latency).filter((r) => r.startedAt !== API_OUTAGE_START),
    ...passing('db', TODAY - 79 * DAY, NOW, HOUR),
    ...passing('web', start, WEB_DOWN_SINCE, HOUR, latency),
  ];
  const apiFailures = Array.from({ length: 6 }, (_, i) =>
    result('api', API_OUTAGE_START + (i + 1) * 5 * MINUTE - 1, {
      ok: false,
      latencyMs: 5,
      phases: { total: 5 },
      peerAddress: '192.0.2.7',
      error: { kind: 'connect_refused', message: 'connect ECONNREFUSED 192.0.2.7:443' },
    }),
  );
  const webFailures = Array.from({ length: 4 }, (_, i) =>
    result('web', WEB_DOWN_SINCE + i * 5 * MINUTE, { ok: false, latencyMs: 10_000, phases: { total: 10_000 }, error: { kind: 'timeout', message: 'no answer within 10s' } }),
  );
  return [
    batch({ results: history }),
    batch({
      results: [...apiFailures, ...webFailures],
      incidentsOpened: [
        incident('i-api', ['api'], API_OUTAGE_START, API_OUTAGE_END, 'API is down'),
        incident('i-web', ['web'], WEB_DOWN_SINCE, undefined, 'Website is down'),
      ],
    }),
  ];
}

export function scenarioStates() {
  return [
    upState('api'),
    upState('db'),
    upState('web', { status: 'down', since: WEB_DOWN_SINCE + 10 * MINUTE, lastErrorKind: 'timeout', openIncidentId: 'i-web' }),
  ];
}

export function startScenario(): Promise<PageServer> {
  return startPageServer({ configYaml: SCENARIO_YAML, seed: scenarioSeed(), states: scenarioStates() });
}
