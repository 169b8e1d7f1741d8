// Scheduled maintenances in the Statuspage v2 API: the monitors' windows (fixed and recurring) running now
// or due within 7 days, one per occurrence and title, with the components they cover; validated with ajv
// against the documented Statuspage format.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Ajv } from 'ajv';
import { DAY, MINUTE, state, T0 } from '../storage/fixtures.js';
import { startPublicServer, statusPage, type PublicServer } from './public-server.js';
import { scheduledMaintenancesResponseShape, summaryShape } from './statuspage-v2-schema.js';

const NOW = T0 + 2 * 60 * MINUTE;

const iso = (ms: number) => new Date(ms).toISOString();
const MONITORS = `
  - id: api
    name: API
    type: tcp
    host: 127.0.0.1
    port: 9
    component: API
    maintenance:
      - { start: "${iso(NOW - 30 * MINUTE)}", end: "${iso(NOW + 30 * MINUTE)}", title: Database upgrade }
      - { start: "${iso(NOW - 2 * DAY)}", end: "${iso(NOW - DAY)}", title: Long past }
  - id: web
    name: Web
    type: tcp
    host: 127.0.0.1
    port: 9
    component: Website
    maintenance:
      - { start: "${iso(NOW - 30 * MINUTE)}", end: "${iso(NOW + 30 * MINUTE)}", title: Database upgrade }
      - { start: "${iso(NOW + 10 * DAY)}", end: "${iso(NOW + 10 * DAY + 60 * MINUTE)}", title: Too far ahead }
  - id: cdn
    name: CDN
    type: tcp
    host: 127.0.0.1
    port: 9
    component: CDN
    maintenance:
      - { cron: "0 3 * * *", duration: 1h, title: Nightly restart }
`;

describe('Statuspage v2: scheduled maintenances', () => {
  let server: PublicServer;
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  const check = (shape: object, body: unknown) => {
    const validate = ajv.compile(shape);
    assert.ok(validate(body), ajv.errorsText(validate.errors, { separator: '\n' }));
  };
  before(async () => {
    server = await startPublicServer({ monitorsYaml: MONITORS, now: NOW, statusPages: [statusPage('main', { isDefault: true })], seed: [] });
    // Components are listed only with a confirmed state (as everywhere in the v2 mapping).
    for (const id of ['api', 'web']) server.states.set(id, state(id, { status: 'maintenance', since: NOW - 30 * MINUTE }));
    server.states.set('cdn', state('cdn', { status: 'up', since: NOW - DAY }));
  });
  after(() => server.close());

  it('lists what runs now and what is due within 7 days, with the components covered', async () => {
    const response = await server.get('/api/v2/scheduled-maintenances.json');
    assert.equal(response.statusCode, 200);
    const body = response.json();
    check(scheduledMaintenancesResponseShape, body);
    const listed = body.scheduled_maintenances.map((m: { name: string; status: string; scheduled_for: string; components: { name: string }[] }) => [m.name, m.status, m.scheduled_for, m.components.map((c) => c.name)]);
    assert.deepEqual(listed[0], ['Database upgrade', 'in_progress', iso(NOW - 30 * MINUTE), ['API', 'Website']]);
    // The next 03:00 UTC after NOW, then one a day: seven within the 7 days ahead.
    const midnight = NOW - (NOW % DAY);
    const first = midnight + 3 * 60 * MINUTE > NOW ? midnight + 3 * 60 * MINUTE : midnight + DAY + 3 * 60 * MINUTE;
    assert.deepEqual(listed.slice(1), Array.from({ length: 7 }, (_, day) => ['Nightly restart', 'scheduled', iso(first + day * DAY), ['CDN']]));
    assert.ok(!listed.some((m: unknown[]) => m[0] === 'Long past' || m[0] === 'Too far ahead'));
  });

  it('active.json and upcoming.json split them, and summary.json carries them', async () => {
    const active = (await server.get('/api/v2/scheduled-maintenances/active.json')).json();
    const upcoming = (await server.get('/api/v2/scheduled-maintenances/upcoming.json')).json();
    check(scheduledMaintenancesResponseShape, active);
    check(scheduledMaintenancesResponseShape, upcoming);
    assert.deepEqual(active.scheduled_maintenances.map((m: { name: string }) => m.name), ['Database upgrade']);
    assert.equal(upcoming.scheduled_maintenances.length, 7);
    assert.ok(upcoming.scheduled_maintenances.every((m: { status: string }) => m.status === 'scheduled'));
    const summary = (await server.get('/api/v2/summary.json')).json();
    check(summaryShape, summary);
    assert.equal(summary.scheduled_maintenances.length, 8);
    assert.equal(summary.scheduled_maintenances[0].impact, 'maintenance');
  });
});
