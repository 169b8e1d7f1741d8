// Agents over HTTP: the hub (startApp: Fastify, signature checks, Ingest, the store) in this process,
// and N agent processes (agent-pusher-child.ts) pushing signed batches of their monitors through the
// real POST /api/v1/agent/results, each batch answered after commit. Measures observations per second
// the hub commits on SQLite or PostgreSQL, and the hub's CPU per observation. Loopback only; every loop
// is bounded in time and count; children are killed if they overrun.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { exportPrivateKey, generateAgentKeyPair } from '../src/agents/signatures.js';
import { hashAgentToken, newAgentToken } from '../src/agents/tokens.js';
import { startApp } from '../src/app.js';
import { openStore } from '../src/storage/open.js';
import type { PusherInput, PusherPhase } from './agent-pusher-child.js';
import { benchConfig } from './monitors.js';
import { distribution, type Distribution } from './percentiles.js';
import { within } from './target-process.js';

export interface AgentsHttpBenchInput {
  readonly engine: 'sqlite' | 'postgres';
  /** PostgreSQL only: a fresh database is made next to the one named, and dropped after. */
  readonly databaseUrl?: string;
  readonly agents: number;
  readonly monitors: number;
  readonly batch: number;
  readonly durationMs: number;
}

export interface AgentsHttpPhase {
  readonly observations: number;
  readonly refused: number;
  readonly elapsedMs: number;
  readonly perSecond: number;
  /** CPU of the hub process (HTTP, signatures, ingest, SQLite; not PostgreSQL's server, not the agents) per observation. */
  readonly hubCpuMsPerObservation: number;
}

export interface AgentsHttpBenchOutcome {
  readonly input: Omit<AgentsHttpBenchInput, 'databaseUrl'>;
  readonly firstRound: AgentsHttpPhase;
  readonly steady: AgentsHttpPhase;
  /** One push (sign excluded) to its answer after commit, steady phase. */
  readonly pushLatencyMs: Distribution;
  readonly firstRefusal?: string;
  readonly hubPeakRssBytes: number;
}

const HISTORY_MS = 6 * 3_600_000;
const INTERVAL_MS = 60_000;
const CHILD_SLACK_MS = 60_000;

async function freshDatabase(input: AgentsHttpBenchInput): Promise<{ url?: string; dispose: () => Promise<void> }> {
  if (input.engine === 'sqlite') return { dispose: async () => undefined };
  if (!input.databaseUrl) throw new Error('the PostgreSQL agents bench needs a database URL');
  const name = `bench_agents_${process.pid}_${Date.now()}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: input.databaseUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`create database ${name}`);
  const url = new URL(input.databaseUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), dispose: () => admin(`drop database if exists ${name} with (force)`) };
}

function untilMessage<T>(child: ChildProcess, kind: string, limitMs: number): Promise<T> {
  const message = new Promise<T>((resolve, reject) => {
    const onMessage = (received: { kind?: string; error?: string }) => {
      if (received.kind === 'failed') reject(new Error(`an agent failed: ${received.error}`));
      if (received.kind !== kind) return;
      child.off('message', onMessage);
      resolve(received as T);
    };
    child.on('message', onMessage);
  });
  return within(message, limitMs, `an agent sent no ${kind}`);
}

export async function runAgentsHttpBench(input: AgentsHttpBenchInput): Promise<AgentsHttpBenchOutcome> {
  const dir = mkdtempSync(join(tmpdir(), 'candor-bench-agents-'));
  const database = await freshDatabase(input);
  const children: ChildProcess[] = [];
  let peakRss = process.memoryUsage.rss();
  const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 250);
  try {
    const plain = benchConfig({ count: input.monitors, targetUrls: ['http://127.0.0.1:9'], intervalMs: INTERVAL_MS, timeoutMs: 10_000 });
    // Checked by the agents only: the hub's own scheduler has nothing to do.
    const config = { ...plain, monitors: plain.monitors.map((m) => ({ ...m, vantages: ['agent-*'] })) };
    const agents = Array.from({ length: input.agents }, (_, i) => ({ name: `agent-${i}`, token: newAgentToken(), keys: generateAgentKeyPair() }));
    const admin = await openStore({ dataDir: dir, ...(database.url ? { databaseUrl: database.url } : {}) });
    await admin.migrate();
    for (const agent of agents) await admin.agents.add({ name: agent.name, region: `region-${agent.name}`, tokenHash: hashAgentToken(agent.token), createdAt: Date.now() });
    await admin.close();

    const app = await startApp({ config, log: pino({ level: 'warn' }), dataDir: dir, ...(database.url ? { databaseUrl: database.url } : {}), host: '127.0.0.1', port: 0 });
    try {
      for (const agent of agents) {
        const response = await fetch(`${app.url}/api/v1/agent/key`, { method: 'PUT', headers: { authorization: `Bearer ${agent.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ publicKey: agent.keys.publicKey }) });
        if (!response.ok) throw new Error(`key of ${agent.name}: ${response.status} ${await response.text()}`);
      }
      const t0 = Date.now() - HISTORY_MS;
      const firstLimitMs = input.durationMs * 3;
      const monitorIds = config.monitors.map((m) => m.id);
      for (const [agentIndex, agent] of agents.entries()) {
        const child = fork(new URL('./agent-pusher-child.js', import.meta.url), [], { stdio: 'inherit' });
        children.push(child);
        const pusher: PusherInput & { agentIndex: number } = {
          hubUrl: app.url,
          name: agent.name,
          token: agent.token,
          privateKey: exportPrivateKey(agent.keys.privateKey),
          monitorIds,
          batch: input.batch,
          t0,
          maxRounds: Math.floor(HISTORY_MS / INTERVAL_MS),
          firstDeadline: Date.now() + firstLimitMs,
          agentIndex,
        };
        child.send(pusher);
      }
      const phase = async (kind: 'first-done' | 'done', limitMs: number, start: () => void) => {
        const cpuFrom = process.cpuUsage();
        const startedAt = performance.now();
        const answers = children.map((child) => untilMessage<{ phase: PusherPhase }>(child, kind, limitMs));
        start();
        const phases = (await Promise.all(answers)).map((a) => a.phase);
        const elapsedMs = performance.now() - startedAt;
        const cpu = process.cpuUsage(cpuFrom);
        const observations = phases.reduce((sum, p) => sum + p.stored, 0);
        const refused = phases.reduce((sum, p) => sum + p.refused, 0);
        const summary: AgentsHttpPhase = {
          observations,
          refused,
          elapsedMs,
          perSecond: observations / (elapsedMs / 1000),
          hubCpuMsPerObservation: (cpu.user + cpu.system) / 1000 / Math.max(1, observations),
        };
        return { summary, phases };
      };
      const first = await phase('first-done', firstLimitMs + CHILD_SLACK_MS, () => undefined);
      const deadline = Date.now() + input.durationMs;
      const steady = await phase('done', input.durationMs + CHILD_SLACK_MS, () => {
        for (const child of children) child.send({ kind: 'go', deadline });
      });
      const firstRefusal = [...first.phases, ...steady.phases].find((p) => p.firstRefusal !== undefined)?.firstRefusal;
      return {
        input: { engine: input.engine, agents: input.agents, monitors: input.monitors, batch: input.batch, durationMs: input.durationMs },
        firstRound: first.summary,
        steady: steady.summary,
        pushLatencyMs: distribution(steady.phases.flatMap((p) => p.latenciesMs)),
        ...(firstRefusal !== undefined ? { firstRefusal } : {}),
        hubPeakRssBytes: peakRss,
      };
    } finally {
      await app.close();
    }
  } finally {
    clearInterval(rssTimer);
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await database.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}
