// Runs a probe in a child node process whose trust store includes an extra CA (NODE_EXTRA_CA_CERTS),
// so the verified-TLS paths (success, hostname mismatch, expiry) can be tested without test hooks.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProbeSpec } from '../../src/domain/monitor.js';
import type { ProbeOutcome } from '../../src/probes/types.js';

const CHILD = fileURLToPath(new URL('./probe-child.js', import.meta.url));

export async function runProbeTrustingCa(caPem: string, spec: ProbeSpec, timeoutMs: number): Promise<ProbeOutcome> {
  const dir = await mkdtemp(join(tmpdir(), 'candor-ca-'));
  try {
    const caFile = join(dir, 'ca.pem');
    await writeFile(caFile, caPem);
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        [CHILD, JSON.stringify({ spec, timeoutMs })],
        { env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile }, timeout: timeoutMs + 10_000 },
        (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)),
      );
    });
    return JSON.parse(stdout) as ProbeOutcome;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
