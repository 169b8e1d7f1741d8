// `candor agent`: the same scheduler and probes as the hub, run elsewhere. It keeps its key pair, its
// last assignment and its buffer in its data directory, so a restart (or a hub that is away at start)
// goes on checking what it was asked to check.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { secretsOf } from '../config/secrets.js';
import type { MonitorSpec } from '../domain/monitor.js';
import type { Observation } from '../domain/observation.js';
import { createProbes } from '../probes/registry.js';
import { RunCancellation } from '../probes/errors.js';
import type { Clock, TimerHandle, Timers } from '../runtime/clock.js';
import { boundHeapGrowth } from '../runtime/heap.js';
import { createCheckRunner } from '../scheduler/check-runner.js';
import { Scheduler } from '../scheduler/scheduler.js';
import type { Assignment } from './assignment.js';
import { DiskBuffer } from './disk-buffer.js';
import { HubFailure, type HubClient } from './hub-client.js';
import { OutageLog } from './outage-log.js';
import { Pusher } from './pusher.js';
import { agentProvenance } from './agent-provenance.js';
import type { IpDb } from '../provenance/ipdb.js';
import { exportPrivateKey, generateAgentKeyPair, importPrivateKey, keyFingerprint, type AgentKeyPair } from './signatures.js';

export interface AgentOptions {
  readonly name: string;
  readonly dataDir: string;
  readonly bufferBytes: number;
  readonly client: (buffer: DiskBuffer) => HubClient;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly log: Logger;
  readonly concurrency?: number;
  /** Pause between sends (and the first retry after a failure). */
  readonly pushIntervalMs?: number;
  readonly maxBackoffMs?: number;
  /** Until the hub says otherwise. */
  readonly heartbeatMs?: number;
  /** How long stop() waits for running checks. */
  readonly shutdownGraceMs?: number;
  /** For provenance snapshots: the IP database, or a folder of newer files (`--ipdb`); default the installed packages. */
  readonly ipdb?: IpDb;
  readonly ipdbDir?: string;
}

export interface RunningAgent {
  readonly publicKey: string;
  readonly buffer: DiskBuffer;
  stop(): Promise<void>;
}

const DEFAULT_HEARTBEAT_MS = 15_000;

export async function startAgent(options: AgentOptions): Promise<RunningAgent> {
  const { log, clock, timers } = options;
  boundHeapGrowth();
  mkdirSync(options.dataDir, { recursive: true });
  const keys = loadOrCreateKeys(options.dataDir, log);
  const buffer = new DiskBuffer({
    dir: join(options.dataDir, 'buffer'),
    maxBytes: options.bufferBytes,
    onDropped: (count) => log.error({ dropped: count, droppedInAll: buffer.dropped }, 'the disk buffer is full: the oldest observations were dropped'),
  });
  const client = options.client(buffer);
  const outage = new OutageLog({ clock, log, buffered: () => buffer.size });
  let keyRegistered = false;
  let assignment = loadAssignment(options.dataDir, log);
  let heartbeatMs = assignment?.heartbeatMs ?? options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;

  const pusher = new Pusher({
    agent: options.name,
    keys,
    buffer,
    client,
    clock,
    timers,
    log,
    outage,
    maxBatch: 500,
    intervalMs: options.pushIntervalMs ?? 1_000,
    maxBackoffMs: options.maxBackoffMs ?? 10_000,
    ready: () => keyRegistered,
  });
  if (assignment) pusher.limitBatch(assignment.maxBatch);
  const provenance = agentProvenance({
    name: options.name,
    dataDir: options.dataDir,
    // Snapshots are few and small next to observations: a sixteenth of the buffer is plenty.
    bufferBytes: Math.max(64 * 1024, Math.floor(options.bufferBytes / 16)),
    keys,
    client,
    clock,
    timers,
    log,
    outage,
    pushIntervalMs: options.pushIntervalMs ?? 1_000,
    maxBackoffMs: options.maxBackoffMs ?? 10_000,
    ready: () => keyRegistered,
    ...(options.ipdb ? { ipdb: options.ipdb } : {}),
    ...(options.ipdbDir !== undefined ? { ipdbDir: options.ipdbDir } : {}),
  });

  const shutdown = new RunCancellation();
  let scheduler: Scheduler | undefined;
  let running: readonly MonitorSpec[] = [];
  // Observations of one event-loop turn are appended together: one write, not one per check.
  let pending: Observation[] = [];
  let lostToDisk = 0;
  const flushPending = () => {
    const observations = pending;
    pending = [];
    try {
      buffer.append(observations);
    } catch (error) {
      // A full or failing disk: these were never acknowledged, and checking goes on.
      lostToDisk += observations.length;
      log.error({ err: error, lost: observations.length, lostInAll: lostToDisk }, 'observations could not be written to the disk buffer');
    }
  };
  const run = async (given: Assignment) => {
    const monitors = given.monitors;
    const previous = scheduler;
    scheduler = undefined;
    if (previous) await previous.stop(options.shutdownGraceMs ?? 5_000);
    running = monitors;
    const byId = new Map(monitors.map((m) => [m.id, m]));
    const controlIds = new Set(given.controlIds);
    await provenance.restart(new Map([...byId].filter(([id]) => !controlIds.has(id))), given.provenance);
    const next = new Scheduler({
      clock,
      timers,
      concurrency: options.concurrency ?? 64,
      runCheck: createCheckRunner({
        monitors: byId,
        probes: createProbes({ secrets: secretsOf({ monitors }) }),
        vantage: options.name,
        cancel: shutdown,
        record(observation) {
          if (pending.length === 0) setImmediate(flushPending);
          pending.push(observation);
          provenance.noticed(observation);
        },
      }),
      onSkipped: (monitorId) => log.warn({ monitor: monitorId }, 'check skipped: the previous one is still running'),
      onError: (monitorId, error) => log.error({ monitor: monitorId, err: error }, 'check failed unexpectedly'),
    });
    scheduler = next;
    next.start(monitors.filter((m) => !m.paused));
    log.info({ monitors: monitors.length }, 'checking');
  };

  let stopped = false;
  let pollTimer: TimerHandle | undefined;
  let keyConflictLogged = Number.NEGATIVE_INFINITY;
  const poll = async () => {
    try {
      if (!keyRegistered) {
        const { fingerprint } = await client.registerKey(keys.publicKey);
        keyRegistered = true;
        log.info({ fingerprint }, 'the hub has our public key');
      }
      const fresh = await client.assignment(assignment?.version);
      outage.succeeded();
      if (fresh) {
        assignment = fresh;
        heartbeatMs = fresh.heartbeatMs;
        pusher.limitBatch(fresh.maxBatch);
        saveAssignment(options.dataDir, fresh);
        log.info({ version: fresh.version, monitors: fresh.monitors.length }, 'new assignment from the hub');
        if (!stopped) await run(fresh);
      }
    } catch (error) {
      if (!(error instanceof HubFailure)) throw error;
      if (error.kind === 'conflict') {
        // Another key is registered under our name: nothing we sign would be taken. Keep checking and buffering.
        if (clock.now() - keyConflictLogged >= 60_000) log.error({ reason: error.message }, 'the hub holds another public key for this agent; observations stay buffered');
        keyConflictLogged = clock.now();
      } else outage.failed(error.message, error.kind === 'unauthorized' || error.kind === 'refused');
    }
  };
  const schedulePoll = (delayMs: number) => {
    if (stopped) return;
    pollTimer = timers.setTimeout(() => {
      void poll()
        .catch((error: unknown) => log.error({ err: error }, 'asking the hub for the assignment failed unexpectedly'))
        .finally(() => schedulePoll(heartbeatMs));
    }, delayMs);
  };

  log.info({ name: options.name, fingerprint: keyFingerprint(keys.publicKey), buffered: buffer.size }, 'agent starting');
  if (assignment) await run(assignment);
  schedulePoll(0);
  pusher.start();
  provenance.start();

  return {
    publicKey: keys.publicKey,
    buffer,
    async stop() {
      stopped = true;
      if (pollTimer) timers.clearTimeout(pollTimer);
      const stillRunning = scheduler ? await scheduler.stop(options.shutdownGraceMs ?? 5_000) : 0;
      shutdown.cancel();
      if (stillRunning > 0) log.warn({ stillRunning }, 'shutdown: checks still running were cut short');
      flushPending();
      await provenance.stop();
      await pusher.stop();
      log.info({ buffered: buffer.size, monitors: running.length, ...pusher.totals }, 'agent stopped');
    },
  };
}

function loadOrCreateKeys(dataDir: string, log: Logger): AgentKeyPair {
  const path = join(dataDir, 'agent-key.json');
  if (existsSync(path)) return importPrivateKey(JSON.parse(readFileSync(path, 'utf8')) as Parameters<typeof importPrivateKey>[0]);
  const keys = generateAgentKeyPair();
  writeFileSync(path, JSON.stringify(exportPrivateKey(keys.privateKey)), { mode: 0o600 });
  chmodSync(path, 0o600);
  log.info({ path, fingerprint: keyFingerprint(keys.publicKey) }, 'made a new Ed25519 key pair');
  return keys;
}

function loadAssignment(dataDir: string, log: Logger): Assignment | undefined {
  const path = join(dataDir, 'assignment.json');
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Assignment;
  } catch (error) {
    log.warn({ err: error, path }, 'the saved assignment cannot be read; waiting for the hub');
    return undefined;
  }
}

function saveAssignment(dataDir: string, assignment: Assignment): void {
  const path = join(dataDir, 'assignment.json');
  // The monitors may carry credentials (headers, URLs): readable by this user only.
  writeFileSync(`${path}.tmp`, JSON.stringify(assignment), { mode: 0o600 });
  renameSync(`${path}.tmp`, path);
}
