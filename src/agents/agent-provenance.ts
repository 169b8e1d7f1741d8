// The agent's provenance: the hub's schedule and probe, run here for the assigned monitors with the
// assignment's `provenance:` (interval, resolver), over this machine's IP database. Snapshots are
// appended to a disk buffer of their own (bounded; the oldest dropped when full) and sent to the hub
// signed, by a second Pusher, to POST /api/v1/agent/provenance.
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { MonitorSpec, ProvenanceSettings } from '../domain/monitor.js';
import type { Observation } from '../domain/observation.js';
import { DEFAULT_PROVENANCE_INTERVAL_MS } from '../provenance/defaults.js';
import { hubObserver } from '../provenance/hub-observer.js';
import type { IpDb } from '../provenance/ipdb.js';
import { ProvenanceSchedule } from '../provenance/schedule.js';
import type { Clock, Timers } from '../runtime/clock.js';
import { DiskBuffer } from './disk-buffer.js';
import type { HubClient } from './hub-client.js';
import type { OutageLog } from './outage-log.js';
import { Pusher } from './pusher.js';
import { MAX_SNAPSHOTS_PER_BATCH } from './receive-provenance.js';
import { canonicalSnapshotsText, signText, type AgentKeyPair } from './signatures.js';
import type { PushedSnapshot } from './snapshot-input.js';

export interface AgentProvenanceDeps {
  readonly name: string;
  readonly dataDir: string;
  /** Most bytes of snapshots kept on disk while the hub is away. */
  readonly bufferBytes: number;
  readonly keys: AgentKeyPair;
  readonly client: HubClient;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly log: Logger;
  readonly outage: OutageLog;
  readonly pushIntervalMs: number;
  readonly maxBackoffMs: number;
  ready(): boolean;
  /** The IP database; default the installed packages (or the files in `ipdbDir`), loaded when first needed. */
  readonly ipdb?: IpDb;
  readonly ipdbDir?: string;
}

export interface AgentProvenance {
  /** Every observation the agent makes passes here (cheap unless a snapshot is due). */
  noticed(observation: Observation): void;
  /** A new assignment: observe these monitors with these settings from now on. */
  restart(monitors: ReadonlyMap<string, MonitorSpec>, settings: ProvenanceSettings | undefined): Promise<void>;
  readonly buffer: DiskBuffer<PushedSnapshot>;
  start(): void;
  /** Stops taking snapshots, writes what was taken and stops sending. */
  stop(): Promise<void>;
}

export function agentProvenance(deps: AgentProvenanceDeps): AgentProvenance {
  const { log } = deps;
  const buffer = new DiskBuffer<PushedSnapshot>({
    dir: join(deps.dataDir, 'provenance-buffer'),
    maxBytes: deps.bufferBytes,
    onDropped: (count) => log.error({ dropped: count }, 'the provenance buffer is full: the oldest snapshots were dropped'),
  });
  const pusher = new Pusher({
    agent: deps.name,
    keys: deps.keys,
    buffer,
    client: deps.client,
    clock: deps.clock,
    timers: deps.timers,
    log,
    outage: deps.outage,
    maxBatch: MAX_SNAPSHOTS_PER_BATCH,
    intervalMs: deps.pushIntervalMs,
    maxBackoffMs: deps.maxBackoffMs,
    ready: deps.ready,
    label: 'provenance snapshots',
    send: (snapshots, sentAt) =>
      deps.client.pushProvenance({ agent: deps.name, sentAt, snapshots, signature: signText(canonicalSnapshotsText({ agent: deps.name, sentAt, snapshots }), deps.keys.privateKey) }),
  });
  let ipdb = deps.ipdb;
  let schedule: ProvenanceSchedule | undefined;
  const keep = (pushed: PushedSnapshot): Promise<void> => {
    try {
      buffer.append([pushed]);
    } catch (error) {
      log.error({ err: error, monitor: pushed.monitorId }, 'a provenance snapshot could not be written to the disk buffer');
    }
    return Promise.resolve();
  };
  return {
    buffer,
    noticed: (observation) => schedule?.noticed(observation),
    async restart(monitors, settings) {
      await schedule?.stop();
      schedule = undefined;
      const observer = hubObserver({
        monitors: monitors.values(),
        log,
        ...(ipdb ? { ipdb } : {}),
        ...(deps.ipdbDir !== undefined ? { ipdbDir: deps.ipdbDir } : {}),
        ...(settings?.resolver !== undefined ? { resolver: settings.resolver } : {}),
      });
      ipdb = observer.ipdb ?? ipdb;
      if (!observer.observe) return;
      schedule = new ProvenanceSchedule({
        monitors,
        vantage: deps.name,
        intervalMs: settings?.intervalMs ?? DEFAULT_PROVENANCE_INTERVAL_MS,
        observe: observer.observe,
        record: ({ monitorId, at, snapshot }) => keep({ monitorId, at, snapshot }),
        clock: deps.clock,
        log,
      });
    },
    start: () => pusher.start(),
    async stop() {
      await schedule?.stop();
      await pusher.stop();
    },
  };
}
