// End to end: a real `candor agent` process pushing to a real `candor serve`, both on loopback. The hub
// goes away for a while: the agent keeps checking into its disk buffer, says so once, and when the hub
// is back every observation arrives, each exactly once, with no gap.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CANDOR_BIN, eventually, getJson, runCandor, serveCandor, type ServingCandor } from '../support/candor-process.js';
import { startTcpServer, type RunningServer } from '../support/loopback-servers.js';

const INTERVAL_MS = 5_000;
const MONITORS = ['one', 'two', 'three'];
const OUTAGE_MS = 13_000;

interface ResultJson {
  id: string;
  startedAt: string;
  ok: boolean;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

describe('candor agent with a hub that goes away and comes back (real processes, loopback)', { timeout: 150_000 }, () => {
  let target: RunningServer;
  let dir: string;
  let hub: ServingCandor | undefined;
  let agent: ChildProcess | undefined;
  let agentLog = '';
  let port: number;
  let hubArgs: string[];

  before(async () => {
    target = await startTcpServer((socket) => socket.end('hello\n'));
    dir = mkdtempSync(join(tmpdir(), 'candor-agent-e2e-'));
    const config = join(dir, 'candor.yaml');
    writeFileSync(
      config,
      ['monitors:', ...MONITORS.map((id) => `  - { id: ${id}, type: tcp, host: 127.0.0.1, port: ${target.port}, interval: 5s, timeout: 2s }`), ''].join('\n'),
    );
    const added = await runCandor(['agents', 'add', 'a1', '--region', 'loopback', '--config', config, '--data', join(dir, 'hub')]);
    assert.equal(added.code, 0, added.stderr);
    const token = added.stdout.trim();
    assert.match(token, /^candor_[A-Za-z0-9_-]{43}$/);
    port = await freePort();
    hubArgs = ['--config', config, '--data', join(dir, 'hub'), '--port', String(port)];
    hub = await serveCandor(hubArgs);
    agent = spawn(process.execPath, [CANDOR_BIN, 'agent', '--hub', hub.url, '--name', 'a1', '--region', 'loopback-says', '--data', join(dir, 'agent')], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CANDOR_AGENT_TOKEN: token },
    });
    agent.stdout!.on('data', (chunk: Buffer) => (agentLog += chunk.toString()));
    agent.stderr!.on('data', (chunk: Buffer) => (agentLog += chunk.toString()));
  });

  after(async () => {
    if (agent && agent.exitCode === null) {
      agent.kill('SIGTERM');
      const killer = setTimeout(() => agent!.kill('SIGKILL'), 15_000);
      await once(agent, 'exit');
      clearTimeout(killer);
    }
    await hub?.stop();
    await target.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const resultsOf = async (monitor: string): Promise<ResultJson[]> =>
    (await getJson<{ results: ResultJson[] }>(`http://127.0.0.1:${port}/api/v1/monitors/${monitor}/results?vantage=a1&limit=1000`)).body.results;

  it('results arrive, the hub goes away, the agent buffers, and everything arrives exactly once when it is back', async () => {
    for (const monitor of MONITORS) await eventually(`a result of ${monitor} from a1`, async () => ((await resultsOf(monitor)).length > 0 ? true : undefined), 30_000);

    const { body } = await getJson<{ vantages: { name: string; state: string; connection: string; region?: string; claimedRegion?: string; publicKeyFingerprint?: string }[] }>(`${hub!.url}/api/v1/vantages`);
    const a1 = body.vantages.find((v) => v.name === 'a1');
    assert.equal(a1?.state, 'ok', 'counted by consensus');
    assert.equal(a1?.connection, 'online');
    assert.equal(a1?.region, 'loopback');
    assert.equal(a1?.claimedRegion, 'loopback-says');
    assert.match(a1?.publicKeyFingerprint ?? '', /^SHA256:/);

    const outageStart = Date.now();
    assert.equal(await hub!.stop(), 0);
    hub = undefined;
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    const outageEnd = Date.now();
    hub = await serveCandor(hubArgs);

    // Every check made during the outage arrives.
    for (const monitor of MONITORS) {
      await eventually(
        `${monitor}'s results from after the outage`,
        async () => ((await resultsOf(monitor)).some((r) => Date.parse(r.startedAt) > outageEnd + INTERVAL_MS) ? true : undefined),
        40_000,
      );
    }
    for (const monitor of MONITORS) {
      const times = (await resultsOf(monitor)).map((r) => Date.parse(r.startedAt)).sort((a, b) => a - b);
      assert.equal(new Set(times).size, times.length, `${monitor}: no observation twice`);
      const during = times.filter((t) => t > outageStart && t < outageEnd);
      assert.ok(during.length >= Math.floor(OUTAGE_MS / INTERVAL_MS) - 1, `${monitor}: ${during.length} checks made while the hub was away arrived`);
      for (let i = 1; i < times.length; i++) {
        const gap = times[i]! - times[i - 1]!;
        assert.ok(gap > INTERVAL_MS / 2 && gap < INTERVAL_MS * 1.5, `${monitor}: checks ${gap} ms apart at ${new Date(times[i]!).toISOString()}: one missing or doubled`);
      }
    }
    // Said once (and the assignment polls failing did not add lines), not once per check.
    const lines = agentLog.split('\n');
    assert.equal(lines.filter((line) => line.includes('the hub cannot be reached')).length, 1, agentLog);
    assert.equal(lines.filter((line) => line.includes('the hub still cannot be reached')).length, 0);
    assert.ok(lines.some((line) => line.includes('the hub is reachable again')));
  });
});
