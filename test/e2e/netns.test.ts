// End to end on a real network of our own: a target, a hub and three agents, each a host in its own
// Linux network namespace, joined by veth pairs to one bridge (test/support/netns.ts). The hub is a real
// `candor serve`, each agent a real `candor agent`; the test breaks the network the way it breaks in
// life and reads what the hub concludes through its API (over a Unix socket: the test itself stays in
// the machine's own namespace and adds nothing to it).
//  (a) one agent's cable is cut: that vantage is flagged, and no incident is opened for the target;
//  (b) the target is unreachable from one agent only: a partial incident naming that region;
//  (c) the target stops: a global incident;
//  (d) the hub stops for a while: the agents buffer, and every observation arrives exactly once.
// Root only (namespaces); elsewhere the suite is skipped with the reason in the report.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CANDOR_BIN, eventually, runCandor } from '../support/candor-process.js';
import { FORWARD_SCRIPT, LabProcess, TARGET_SCRIPT } from '../support/lab-process.js';
import { NetLab, netnsUnavailable, sweepStaleLabs } from '../support/netns.js';
import { getJsonVia } from '../support/unix-http.js';

const INTERVAL_MS = 5_000;
const HUB_PORT = 8080;
const OUTAGE_MS = 15_000;
const AGENTS = [
  { name: 'eu', region: 'eu-west', octet: 11 },
  { name: 'us', region: 'us-east', octet: 12 },
  { name: 'ap', region: 'ap-south', octet: 13 },
] as const;
// `ref` is the control (config `controls:`): a reference target that tells whether a vantage's own network works.
const HOSTS = [{ name: 'hub', octet: 2 }, { name: 'target', octet: 3 }, { name: 'ref', octet: 4 }, ...AGENTS];
const CHECKED = ['web', 'ref'];

interface Vantage {
  name: string;
  region?: string;
  state: string;
}
interface Scope {
  kind: 'global' | 'partial';
  vantages: string[];
  regions: string[];
}
interface Incident {
  id: string;
  state: 'open' | 'resolved';
  monitorIds: string[];
  scope?: Scope;
}
interface Result {
  id: string;
  startedAt: string;
  ok: boolean;
  inconclusive: boolean;
  error: { kind: string } | null;
}

const unavailable = netnsUnavailable();
if (unavailable) console.log(`# SKIPPED test/e2e/netns.test.ts (agents on a network of namespaces): ${unavailable}`);

describe('agents on a network of Linux namespaces: target, hub and three agents on one bridge', { skip: unavailable ?? false, timeout: 480_000 }, () => {
  let lab: NetLab | undefined;
  let dir: string;
  let socket: string;
  let hubArgs: string[];
  let hub: LabProcess | undefined;
  let target: LabProcess | undefined;
  let reference: LabProcess | undefined;
  let forward: LabProcess | undefined;
  const agents = new Map<string, LabProcess>();

  const api = async <T>(path: string): Promise<T> => {
    const { status, body } = await getJsonVia<T>(socket, path);
    assert.equal(status, 200, `GET ${path}: ${JSON.stringify(body)}`);
    return body;
  };
  const vantages = async () => (await api<{ vantages: Vantage[] }>('/api/v1/vantages')).vantages;
  const vantage = async (name: string) => (await vantages()).find((v) => v.name === name);
  const incidents = async () => (await api<{ incidents: Incident[] }>('/api/v1/incidents?monitor=web&limit=500')).incidents;
  const monitorState = async () => (await api<{ state: string }>('/api/v1/monitors/web')).state;
  const resultsOf = async (name: string, monitor = 'web'): Promise<Result[]> => {
    const all: Result[] = [];
    let before: string | null = null;
    for (let page = 0; page < 50; page++) {
      const query: string = `/api/v1/monitors/${monitor}/results?vantage=${name}&limit=1000${before ? `&before=${encodeURIComponent(before)}` : ''}`;
      const body: { results: Result[]; nextBefore: string | null } = await api(query);
      all.push(...body.results);
      before = body.nextBefore;
      if (!before) return all;
    }
    throw new Error(`more than 50 pages of results of ${name}`);
  };
  const startHub = async () => {
    hub = LabProcess.start(lab!, 'hub', 'candor serve', CANDOR_BIN, hubArgs);
    await hub.waitFor(/candor listening on /, 30_000);
  };
  const startTarget = async () => {
    target = LabProcess.start(lab!, 'target', 'target', TARGET_SCRIPT, [lab!.address('target'), '80']);
    await target.waitFor(/listening/, 15_000);
  };
  const stopAll = async () => {
    await Promise.all([...agents.values(), hub, target, reference, forward].map((p) => p?.stop('SIGTERM', 10_000)));
  };
  const diagnostics = () =>
    [hub, ...agents.values()].filter((p): p is LabProcess => p !== undefined).map((p) => `--- ${p.label}:\n${p.output().split('\n').slice(-25).join('\n')}`).join('\n');

  before(async () => {
    const swept = sweepStaleLabs();
    if (swept.length > 0) console.log(`# removed namespaces left by earlier runs: ${swept.join(', ')}`);
    lab = await NetLab.create(HOSTS);
    dir = lab.dir;
    socket = join(dir, 'hub.sock');
    const config = join(dir, 'candor.yaml');
    const targetUrl = `http://${lab.address('target')}/`;
    writeFileSync(
      config,
      [
        'vantage: { name: hub, region: lab }',
        'monitors:',
        `  - { id: web, type: http, url: "${targetUrl}", interval: 5s, timeout: 2s, failureThreshold: 2, successThreshold: 1, vantages: [eu, us, ap] }`,
        'controls:',
        `  - { id: ref, type: http, url: "http://${lab.address('ref')}/", interval: 5s, timeout: 2s }`,
        '',
      ].join('\n'),
    );
    const hubData = join(dir, 'hub');
    const tokens = new Map<string, string>();
    for (const agent of AGENTS) {
      const added = await runCandor(['agents', 'add', agent.name, '--region', agent.region, '--config', config, '--data', hubData]);
      assert.equal(added.code, 0, added.stderr);
      tokens.set(agent.name, added.stdout.trim());
    }
    await startTarget();
    reference = LabProcess.start(lab, 'ref', 'reference target', TARGET_SCRIPT, [lab.address('ref'), '80']);
    await reference.waitFor(/listening/, 15_000);
    hubArgs = ['serve', '--config', config, '--data', hubData, '--host', lab.address('hub'), '--port', String(HUB_PORT)];
    await startHub();
    forward = LabProcess.start(lab, 'hub', 'unix forwarder', FORWARD_SCRIPT, [socket, lab.address('hub'), String(HUB_PORT)]);
    await forward.waitFor(/forwarding/, 15_000);
    for (const agent of AGENTS) {
      const args = ['agent', '--hub', `http://${lab.address('hub')}:${HUB_PORT}`, '--name', agent.name, '--region', agent.region, '--data', join(dir, `agent-${agent.name}`)];
      agents.set(agent.name, LabProcess.start(lab, agent.name, `candor agent ${agent.name}`, CANDOR_BIN, args, { ...process.env, CANDOR_AGENT_TOKEN: tokens.get(agent.name)! }));
    }
    for (const agent of AGENTS) {
      await eventually(`a result of web from ${agent.name}`, async () => ((await resultsOf(agent.name)).some((r) => r.ok) ? true : undefined), 60_000, 1_000);
    }
  });

  after(async () => {
    try {
      await stopAll();
    } finally {
      await lab?.destroy();
    }
  });

  it('(a) one agent cut off: its vantage is flagged, and no incident is opened for the target', async (t) => {
    assert.deepEqual(await incidents(), []);
    await lab!.cutLink('eu');
    const cutAt = Date.now();
    let restoredAt: number;
    try {
      const flagged = await eventually(
        'eu flagged impaired or offline',
        async () => {
          const eu = await vantage('eu');
          return eu && (eu.state === 'impaired' || eu.state === 'offline') ? eu : undefined;
        },
        120_000,
        1_000,
      );
      assert.equal(flagged.region, 'eu-west');
      t.diagnostic(`eu ${flagged.state} ${Math.round((Date.now() - cutAt) / 1000)} s after its cable was cut`);
      assert.deepEqual(await incidents(), [], 'no incident while eu is away');
      assert.equal(await monitorState(), 'up');
      for (const name of ['us', 'ap']) assert.equal((await vantage(name))?.state, 'ok', `${name} is not flagged`);
    } finally {
      await lab!.restoreLink('eu');
      restoredAt = Date.now();
    }
    // eu is back, and sends what it saw while cut off (failures of its own network, not the target's).
    await eventually('eu healthy again', async () => ((await vantage('eu'))?.state === 'ok' ? true : undefined), 60_000, 1_000);
    await eventually(
      'a passing check of eu after its link is back',
      async () => ((await resultsOf('eu')).some((r) => r.ok && Date.parse(r.startedAt) > restoredAt) ? true : undefined),
      60_000,
      1_000,
    );
    const failedWhileCut = (await resultsOf('eu')).filter((r) => !r.ok);
    assert.ok(failedWhileCut.length >= 2, `eu's failed checks made while cut off arrived (${failedWhileCut.length})`);
    const seen = async (monitor: string) =>
      (await resultsOf('eu', monitor))
        .reverse()
        .map((r) => `${r.startedAt} ${r.ok ? 'ok' : r.error?.kind}${r.inconclusive ? ' (inconclusive)' : ''}`)
        .join('\n');
    const opened = await incidents();
    assert.deepEqual(opened, [], `no incident after eu sent what it saw while cut off (cable cut ${new Date(cutAt).toISOString()}, back ${new Date(restoredAt).toISOString()});\neu saw of web:\n${await seen('web')}\neu saw of ref:\n${await seen('ref')}\n${diagnostics()}`);
    assert.equal(await monitorState(), 'up');
  });

  it('(b) the target unreachable from one agent only: a partial incident naming its region', async () => {
    const targetAddress = lab!.address('target');
    await lab!.blockRoute('ap', targetAddress);
    try {
      const incident = await eventually('an open incident for web', async () => (await incidents()).find((i) => i.state === 'open'), 60_000, 1_000);
      assert.deepEqual(incident.scope, { kind: 'partial', vantages: ['ap'], regions: ['ap-south'] }, diagnostics());
      assert.equal(await monitorState(), 'partial');
      const latest = async (name: string) => (await resultsOf(name))[0];
      assert.equal((await latest('ap'))?.ok, false);
      assert.equal((await latest('eu'))?.ok, true);
      assert.equal((await latest('us'))?.ok, true);
    } finally {
      await lab!.unblockRoute('ap', targetAddress);
    }
    await eventually('the partial incident resolved', async () => ((await incidents()).every((i) => i.state === 'resolved') ? true : undefined), 60_000, 1_000);
  });

  it('(c) the target stopped: a global incident', async () => {
    const known = new Set((await incidents()).map((i) => i.id));
    await target!.stop('SIGKILL');
    try {
      await eventually('web down', async () => ((await monitorState()) === 'down' ? true : undefined), 60_000, 1_000);
      const open = (await incidents()).filter((i) => i.state === 'open' && !known.has(i.id));
      assert.equal(open.length, 1, JSON.stringify(open));
      assert.equal(open[0]!.scope?.kind, 'global', diagnostics());
      // Down as soon as a quorum (2 of 3) fails; the last vantage to confirm joins the scope after.
      const everywhere = await eventually(
        'the global incident scoped to every vantage',
        async () => {
          const incident = (await incidents()).find((i) => i.id === open[0]!.id);
          return incident?.scope?.vantages.length === AGENTS.length ? incident : undefined;
        },
        30_000,
        1_000,
      );
      assert.deepEqual(everywhere.scope, { kind: 'global', vantages: ['ap', 'eu', 'us'], regions: ['ap-south', 'eu-west', 'us-east'] });
    } finally {
      await startTarget();
    }
    await eventually('the global incident resolved', async () => ((await incidents()).every((i) => i.state === 'resolved') ? true : undefined), 60_000, 1_000);
  });

  it('(d) the hub stopped for a while: the agents buffer, then every observation is there exactly once', async (t) => {
    const marks = new Map([...agents].map(([name, agent]) => [name, agent.mark()]));
    const stoppedAt = Date.now();
    assert.equal(await hub!.stop(), 0, hub!.output());
    for (const [name, agent] of agents) await agent.waitFor(/the hub cannot be reached/, 30_000, marks.get(name)).catch((error: Error) => assert.fail(`${name}: ${error.message}`));
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, OUTAGE_MS - (Date.now() - stoppedAt))));
    const restartedAt = Date.now();
    await startHub();
    for (const { name } of AGENTS) {
      await eventually(
        `${name}'s checks from after the restart`,
        async () => ((await resultsOf(name)).some((r) => Date.parse(r.startedAt) > restartedAt + INTERVAL_MS) ? true : undefined),
        60_000,
        1_000,
      );
    }
    // Stopped cleanly, each agent says what it made: acknowledged by the hub (sent), refused, still buffered.
    for (const [name, agent] of agents) {
      assert.equal(await agent.stop(), 0, agent.output());
      const stopped = agent
        .output()
        .split('\n')
        .filter((line) => line.includes('"agent stopped"'))
        .map((line) => JSON.parse(line) as { sent: number; refused: number; buffered: number })[0];
      assert.ok(stopped, `${name} logged its totals:\n${agent.output()}`);
      assert.equal(stopped.refused, 0, `${name}: nothing refused`);
      let held = 0;
      let heldDuring = 0;
      for (const monitor of CHECKED) {
        const results = await resultsOf(name, monitor);
        held += results.length;
        const times = results.map((r) => Date.parse(r.startedAt)).sort((x, y) => x - y);
        assert.equal(new Set(times).size, times.length, `${name}, ${monitor}: no observation twice`);
        assert.equal(new Set(results.map((r) => r.id)).size, results.length);
        const during = times.filter((at) => at > stoppedAt && at < restartedAt);
        heldDuring += during.length;
        assert.ok(during.length >= Math.floor(OUTAGE_MS / INTERVAL_MS) - 1, `${name}, ${monitor}: ${during.length} checks made while the hub was away arrived`);
        for (let i = 1; i < times.length; i++) {
          const gap = times[i]! - times[i - 1]!;
          assert.ok(gap < INTERVAL_MS * 1.75, `${name}, ${monitor}: checks ${gap} ms apart at ${new Date(times[i]!).toISOString()}: one is missing`);
        }
      }
      assert.equal(held, stopped.sent, `${name}: the hub holds every observation the agent had acknowledged, of the target and of the control (${stopped.buffered} still buffered)`);
      t.diagnostic(`${name}: acknowledged ${stopped.sent}, held by the hub ${held} (${heldDuring} made while it was away), still buffered at stop ${stopped.buffered}`);
    }
  });
});
