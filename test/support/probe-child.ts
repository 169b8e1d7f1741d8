// Runs one probe in a child process and prints its outcome as JSON. Used by runProbeInChild so a
// test can run the real probe with NODE_EXTRA_CA_CERTS trusting the test CA (Node reads it at startup).
import { createProbes } from '../../src/probes/registry.js';
import type { ProbeSpec } from '../../src/domain/monitor.js';

const input = JSON.parse(process.argv[2] ?? '{}') as { spec: ProbeSpec; timeoutMs: number };
const outcome = await createProbes().run(input.spec, { timeoutMs: input.timeoutMs });
process.stdout.write(JSON.stringify(outcome));
