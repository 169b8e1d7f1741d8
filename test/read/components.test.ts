import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../src/config/load.js';
import { componentId, pageStatus } from '../../src/read/components.js';

describe('page components', () => {
  const rows: [string, string][] = [
    ['API', 'api'],
    ['Payments & Billing', 'payments-billing'],
    ['Café', 'cafe'],
    ['База данных', 'component'],
  ];
  for (const [name, id] of rows) it(`componentId(${name}) = ${id}`, () => assert.equal(componentId(name), id));

  it('names that slugify alike still get distinct ids', () => {
    const config = parseConfig(
      `
monitors:
  - { id: a, type: tcp, host: 127.0.0.1, port: 1, component: API }
  - { id: b, type: tcp, host: 127.0.0.1, port: 1, component: api }
  - { id: c, type: tcp, host: 127.0.0.1, port: 1, component: База данных }
  - { id: d, type: tcp, host: 127.0.0.1, port: 1, component: Платежи }
`,
      'candor.yaml',
      {},
    );
    const status = pageStatus(config.statusPages[0]!, config.monitors, new Map());
    assert.deepEqual(status.components.map((c) => c.id), ['api', 'api-2', 'component', 'component-2']);
    assert.deepEqual(status.overall, { indicator: 'unknown', description: 'No data yet' });
  });
});
