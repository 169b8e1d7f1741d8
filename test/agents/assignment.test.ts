import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assignmentFor } from '../../src/agents/assignment.js';
import { parseConfig } from '../../src/config/load.js';

const config = parseConfig(
  `
monitors:
  - { id: everywhere, type: tcp, host: 127.0.0.1, port: 9 }
  - { id: eu-only, type: tcp, host: 127.0.0.1, port: 9, vantages: [eu-*] }
  - { id: by-name, type: tcp, host: 127.0.0.1, port: 9, vantages: [a1] }
controls:
  - { id: ref-1, type: tcp, host: 127.0.0.2, port: 9 }
`,
  'candor.yaml',
  {},
);
const options = { heartbeatMs: 15_000, maxBatch: 1000, controls: config.controls! };

describe('assignments', () => {
  it('patterns take an agent in by its region too; controls go to every agent', () => {
    const ids = (agent: { name: string; region?: string; claimedRegion?: string }) => assignmentFor(agent, config.monitors, options).monitors.map((m) => m.id);
    assert.deepEqual(ids({ name: 'a1', region: 'eu-west' }), ['everywhere', 'eu-only', 'by-name', 'ref-1']);
    assert.deepEqual(ids({ name: 'b2', region: 'us-east' }), ['everywhere', 'ref-1']);
    assert.deepEqual(ids({ name: 'b3', claimedRegion: 'eu-north' }), ['everywhere', 'eu-only', 'ref-1'], 'the claimed region when none was given');
  });
  it('the version changes with the controls', () => {
    const agent = { name: 'a1' };
    assert.notEqual(assignmentFor(agent, config.monitors, options).version, assignmentFor(agent, config.monitors, { heartbeatMs: 15_000, maxBatch: 1000 }).version);
  });
  it('carries the provenance settings (default every 10 minutes) and names the controls, which are not observed for provenance', () => {
    const agent = { name: 'a1' };
    const plain = assignmentFor(agent, config.monitors, options);
    assert.deepEqual(plain.provenance, { intervalMs: 600_000 });
    assert.deepEqual(plain.controlIds, ['ref-1']);
    const settings = { intervalMs: 120_000, resolver: '127.0.0.1:5353' };
    const withSettings = assignmentFor(agent, config.monitors, { ...options, provenance: settings });
    assert.deepEqual(withSettings.provenance, settings);
    assert.notEqual(withSettings.version, plain.version, 'a new resolver or interval is a new assignment');
    assert.equal(assignmentFor(agent, config.monitors, { heartbeatMs: 15_000, maxBatch: 1000 }).controlIds, undefined);
  });
});
