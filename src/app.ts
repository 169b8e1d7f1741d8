// Composition root: builds the object graph from the frozen config and hands dependencies down.
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { CandorConfig, MonitorSpec } from './domain/monitor.js';
import { buildServer } from './http/server.js';
import { Ingest, type IngestOptions } from './ingest/ingest.js';
import { hubGapWriter } from './ingest/hub-gaps.js';
import { createMetrics } from './metrics/metrics.js';
import { systemClock, systemTimers, type Clock, type TimerHandle, type Timers } from './runtime/clock.js';
import { boundHeapGrowth } from './runtime/heap.js';
import { createIds } from './runtime/ids.js';
import { ChecksThread } from './scheduler/checks-in-thread.js';
import { isDegraded } from './domain/verdict.js';
import { openStore } from './storage/open.js';
import { HubAgents } from './agents/hub-agents.js';
import { checkedFrom, unreachableQuorums } from './domain/vantage-patterns.js';
import { noVantageSees } from './domain/consensus.js';
import { DeclaredPoller, userAgent } from './declared/poller.js';
import { declaredSources } from './declared/sources.js';
import { MonitorRegistry } from './management/registry.js';
import { OperatorImpacts } from './management/operator-impacts.js';
import { loadManagedMonitors } from './management/startup.js';
import { serialWrites, type ManagementDeps } from './management/deps.js';
import { reloadConfig, type ConfigListener, type LiveConfig, type ReloadOutcome } from './management/reload.js';
import { startHubProvenance } from './provenance/hub-provenance.js';
import type { ObserveProvenance } from './provenance/schedule.js';
import { hubObserver } from './provenance/hub-observer.js';
import type { IpDb } from './provenance/ipdb.js';
import { createAlerting } from './notify/alerting.js';
import { AgentOfflineWatch } from './notify/agent-offline.js';

export const VERSION = '0.1.0';

export interface AppOptions {
  readonly config: CandorConfig;
  readonly log: Logger;
  /** SQLite lives in `${dataDir}/candor.db` unless databaseUrl (PostgreSQL) is given. */
  readonly dataDir: string;
  readonly databaseUrl?: string;
  readonly host: string;
  readonly port: number;
  /** Checks running at once. */
  readonly concurrency?: number;
  /** How long shutdown waits for running checks. */
  readonly shutdownGraceMs?: number;
  readonly ingest?: Partial<IngestOptions>;
  readonly clock?: Clock;
  readonly timers?: Timers;
  /** How often agents ask for their assignment; three missed and an agent is offline. */
  readonly agentHeartbeatMs?: number;
  /** Reads and validates the config file again, for live reload (SIGHUP, POST /api/v1/config/reload); absent: no reload. */
  readonly loadConfig?: () => CandorConfig;
  /** Takes provenance snapshots; default the provenance probe over `ipdb`. */
  readonly observeProvenance?: ObserveProvenance;
  /** The IP database; default the installed @ip-location-db packages, or the files in `ipdbDir`. */
  readonly ipdb?: IpDb;
  readonly ipdbDir?: string;
}

export interface RunningApp {
  /** Base URL the HTTP server listens on. */
  readonly url: string;
  readonly server: FastifyInstance;
  /** Reads the config file again and applies it if valid; rejects with a ConfigError (the running config stays) otherwise. */
  reload(): Promise<ReloadOutcome>;
  close(): Promise<void>;
}

const HOUSEKEEPING_INTERVAL_MS = 3_600_000;
const DEFAULT_AGENT_HEARTBEAT_MS = 15_000;

export async function startApp(options: AppOptions): Promise<RunningApp> {
  const { config, log } = options;
  // Before the checks thread starts, so that its heap is bounded too.
  boundHeapGrowth();
  const clock = options.clock ?? systemClock;
  const timers = options.timers ?? systemTimers;
  const ids = createIds(clock);
  const live: LiveConfig = { current: config };
  // The one set of monitors (config and API) that the checks, ingest and the read side all look up.
  const registry = new MonitorRegistry(config.monitors, config.api);
  const monitors: ReadonlyMap<string, MonitorSpec> = registry.monitors;
  /** Moves with every write an operator makes: pages rendered before are stale. */
  let revision = 0;
  const controls = new Map<string, MonitorSpec>((config.controls ?? []).map((c) => [c.id, c]));

  let ingest: Ingest | undefined;
  const metrics = createMetrics(
    () => ingest?.states().values() ?? [],
    () => ingest?.vantageImpaired ?? false,
  );
  /** Set while batches cannot be written: /healthz answers 503 with the reason. */
  let storageFailure: { since: number; reason: string } | undefined;
  const store = await openStore({
    dataDir: options.dataDir,
    ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
    onConnectionLost: (error) => {
      metrics.observeStorageError('connection');
      log.warn({ err: error }, 'a database connection was lost while idle; it is replaced on the next query');
    },
  });
  try {
    await store.migrate();
  } catch (error) {
    await store.close();
    throw error;
  }

  // Components operators gave an impact through their open incidents (the pages and /api/v2 show it).
  const operatorImpacts = new OperatorImpacts((monitorIds) => monitorIds.flatMap((id) => monitors.get(id)?.component ?? []));
  try {
    await loadManagedMonitors({ store, registry, log });
    await operatorImpacts.load(store);
  } catch (error) {
    await store.close();
    throw error;
  }

  const heartbeatMs = options.agentHeartbeatMs ?? DEFAULT_AGENT_HEARTBEAT_MS;
  const agents = new HubAgents({ store, clock, log, local: config.vantage, heartbeatMs });
  const known = (await agents.refresh()).filter((a) => a.revokedAt === undefined).map((a) => ({ name: a.name, region: a.region ?? a.claimedRegion }));
  for (const { monitorId, quorum, vantages } of unreachableQuorums(config.monitors, [config.vantage, ...known])) {
    log.warn({ monitor: monitorId, quorum, vantages }, `monitor ${monitorId} has quorum ${quorum} but only ${vantages} known vantage(s) check it: it can be partly down, never down for everyone, until more are added`);
  }

  const alerting = createAlerting({ config, monitors, store, clock, timers, ids, log, stateOf: (monitorId) => ingest?.states().get(monitorId) });

  ingest = new Ingest({
    store,
    vantages: () => agents.names(),
    localVantage: config.vantage.name,
    ...(config.vantage.region !== undefined ? { localRegion: config.vantage.region } : {}),
    controls,
    isOffline: (vantage) => agents.isOffline(vantage),
    regionOf: (vantage) => agents.regionOf(vantage),
    clock,
    timers,
    ids,
    log,
    monitors,
    ...(options.ingest ? { options: options.ingest } : {}),
    writers: [hubGapWriter(() => clock.now(), config.vantage.name), alerting.writer],
    onFlushed: (ms, count) => metrics.observeFlush(ms, count),
    onStorageHealth: (healthy, error) => {
      if (healthy) {
        if (storageFailure) log.info({ failingForMs: clock.now() - storageFailure.since }, 'database writes work again; the buffered results are written');
        storageFailure = undefined;
        return;
      }
      metrics.observeStorageError('batch');
      const reason = error instanceof Error ? error.message : String(error);
      storageFailure = { since: storageFailure?.since ?? clock.now(), reason };
    },
    onEvents: (events) => {
      for (const { monitorId, event } of events) {
        log.info({ monitor: monitorId, event: event.type }, `monitor ${monitorId}: ${event.type}`);
        if (event.type === 'recovered') operatorImpacts.recovered(monitorId);
      }
      alerting.worker.wake();
    },
  });
  await ingest.restore();
  await ingest.flush();
  ingest.start();

  const observer = options.observeProvenance
    ? { observe: options.observeProvenance, ...(options.ipdb ? { ipdb: options.ipdb } : {}) }
    : hubObserver({ monitors: monitors.values(), log, ...(config.provenance?.resolver !== undefined ? { resolver: config.provenance.resolver } : {}), ...(options.ipdb ? { ipdb: options.ipdb } : {}), ...(options.ipdbDir ? { ipdbDir: options.ipdbDir } : {}) });
  let provenance: Awaited<ReturnType<typeof startHubProvenance>>;
  try {
    provenance = await startHubProvenance({
      config,
      store,
      ids,
      log,
      clock,
      monitors,
      ...(observer.observe ? { observe: observer.observe } : {}),
      // Policy violations are notified like outages: written with the incident, delivered once committed.
      onOpened: (tx, opened) => alerting.policyWriter(tx, opened),
      onRecorded: (outcome) => {
        if (outcome.incidents.opened.length > 0) alerting.worker.wake();
      },
    });
  } catch (error) {
    await ingest.stop();
    await store.close();
    throw error;
  }

  // Checks run in a thread of their own, so that load on the web server never bends what they measure.
  const checkedHere = (monitor: MonitorSpec) => checkedFrom(monitor.vantages, config.vantage.name, config.vantage.region);
  const checks = new ChecksThread({
    input: () => ({
      monitors: [...[...monitors.values()].filter(checkedHere), ...controls.values()],
      vantage: config.vantage.name,
      concurrency: options.concurrency ?? 256,
    }),
    log,
    onObservation: (observation) => {
      const monitor = monitors.get(observation.monitorId);
      if (monitor) metrics.observeCheck(observation, monitor.probe.type, isDegraded(observation, monitor));
      ingest.add(observation);
      provenance.noticed(observation);
    },
    onLateness: (ms) => metrics.observeLateness(ms),
    onSkipped: (monitorId) => {
      metrics.observeSkipped();
      log.warn({ monitor: monitorId }, 'check skipped: the previous one is still running');
    },
    onError: (monitorId, message) => log.error({ monitor: monitorId, error: message }, 'check failed unexpectedly'),
  });

  // Monitors added, changed or removed at run time reach the checks and the states; the others go on untouched.
  registry.onChange((changes) => {
    revision++;
    const upsert = [...changes.added, ...changes.changed].filter(checkedHere);
    const notHere = changes.changed.filter((monitor) => !checkedHere(monitor)).map((monitor) => monitor.id);
    checks.update(upsert, [...changes.removed, ...notHere]);
    void ingest.monitorsChanged(changes);
    alerting.monitorsChanged();
    provenance.monitorsChanged();
  });
  // What follows a reloaded config besides the monitors (declared sources follow the monitors, below).
  const configListeners: ConfigListener[] = [
    { name: 'alerting', apply: async (next) => void (await alerting.reconfigure(next)) },
    { name: 'provenance', apply: (next) => provenance.reconfigure(next) },
  ];
  const serial = serialWrites();
  const management: ManagementDeps = {
    store,
    clock,
    ids,
    log,
    registry,
    serial,
    incidentsChanged: () => revision++,
    incidentWritten: (incident) => operatorImpacts.follow(incident),
    openIncidentOf: (monitorId) => ingest.states().get(monitorId)?.openIncidentId,
  };
  const reloadDeps = options.loadConfig
    ? { registry, log, serial, live, load: options.loadConfig, configChanged: () => revision++, listeners: configListeners }
    : undefined;

  // Until the server listens, a failure must undo what was started; checks only begin once it does.
  const abandon = async () => {
    await alerting.close();
    await ingest.stop();
    await store.close();
  };
  let server: FastifyInstance;
  try {
    server = await buildServer({
      config,
      store,
      clock,
      monitors,
      states: () => ingest.states(),
      // The pages claim nothing only while no vantage at all sees the targets (/healthz likewise).
      vantageImpaired: () =>
        noVantageSees(
          ingest.vantageImpaired,
          [...agents.names()].filter((name) => name !== config.vantage.name).map((name) => ingest.vantageCondition(name)),
        ),
      storageFailure: () => storageFailure,
      log,
      agents: {
        agents,
        ingest,
        heartbeatMs,
        controls: [...controls.values()],
        ...(config.provenance ? { provenance: config.provenance } : {}),
        // Agents' snapshots go to the same ledger as the hub's, under their own vantage.
        recordProvenance: (observed) => provenance.recorder.record(observed),
      },
      controls,
      vantages: {
        statesOf: (monitorId) => ingest.vantageStatesOf(monitorId),
        condition: (vantage) => ingest.vantageCondition(vantage),
        regionOf: (vantage) => agents.regionOf(vantage),
      },
      metrics,
      ...(config.subscriptions ? { subscriptions: { ids, sender: alerting.sender } } : {}),
      title: config.title,
      version: VERSION,
      management,
      ...(reloadDeps ? { reload: reloadDeps } : {}),
      currentConfig: () => live.current,
      sourceOf: (id) => registry.sourceOf(id),
      revision: () => revision,
      operatorImpacts: () => operatorImpacts.byComponent(),
      ids,
      ...(observer.ipdb ? { ipdb: observer.ipdb.info() } : {}),
    });
  } catch (error) {
    await abandon();
    throw error;
  }
  let url: string;
  try {
    url = await server.listen({ host: options.host, port: options.port });
  } catch (error) {
    await server.close();
    await abandon();
    throw error;
  }
  log.info({ url, monitors: monitors.size }, 'serving');
  checks.start();
  // Platforms' own status pages are read on this (main) thread: one small request per source and interval.
  const declared = new DeclaredPoller({
    store,
    clock,
    timers,
    log,
    sources: declaredSources([...monitors.values()]),
    limits: DeclaredPoller.limits(userAgent(VERSION, config.server.publicUrl)),
    onPoll: alerting.declaredWriter,
    onWritten: () => alerting.worker.wake(),
  });
  declared.start();
  // Monitors with `declared:` made, changed or removed through the API or a reload: their sources follow.
  registry.onChange(() => {
    const outcome = declared.setSources(declaredSources([...monitors.values()]));
    if (outcome.added.length + outcome.removed.length + outcome.rescheduled.length > 0) log.info(outcome, 'declared sources changed');
  });
  alerting.worker.start();
  const agentWatch = new AgentOfflineWatch({
    config: alerting.plan,
    views: () => agents.views(),
    store,
    ids,
    clock,
    timers,
    log,
    everyMs: heartbeatMs,
    onWritten: () => alerting.worker.wake(),
  });
  agentWatch.start();

  let housekeeping: TimerHandle | undefined;
  let pruning: Promise<void> = Promise.resolve();
  let closed = false;
  const prune = async () => {
    const now = clock.now();
    const { retention } = live.current;
    const report = await store.prune(now - retention.rawMs, now - retention.rollupsMs);
    if (report.resultsDeleted + report.rollupsDeleted > 0) log.info(report, 'retention: old data pruned');
    // Settled notifications are kept as long as raw results; pending ones until they settle.
    const notificationsDeleted = await store.outbox.prune(now - retention.rawMs);
    if (notificationsDeleted > 0) log.info({ notificationsDeleted }, 'retention: old notifications pruned');
  };
  const pruneLogged = () => {
    pruning = prune().catch((error: unknown) => {
      metrics.observeStorageError('prune');
      log.error({ err: error }, 'retention pruning failed');
    });
    return pruning;
  };
  const scheduleHousekeeping = () => {
    if (closed) return;
    housekeeping = timers.setTimeout(() => void pruneLogged().finally(scheduleHousekeeping), HOUSEKEEPING_INTERVAL_MS);
  };
  await pruneLogged();
  scheduleHousekeeping();

  let closing: Promise<void> | undefined;
  return {
    url,
    server,
    reload() {
      if (!reloadDeps) return Promise.reject(new Error('this hub was started without a config file to reload'));
      return reloadConfig(reloadDeps);
    },
    close() {
      closing ??= (async () => {
        closed = true;
        if (housekeeping) timers.clearTimeout(housekeeping);
        agentWatch.stop();
        const stillRunning = await checks.stop(options.shutdownGraceMs ?? 5000);
        if (stillRunning > 0) log.warn({ stillRunning }, 'shutdown: checks still running were cut short');
        await declared.stop();
        await server.close();
        await provenance.stop();
        await pruning;
        await ingest.stop();
        // After the last batch, so what it planned is in the outbox for the next start.
        await alerting.close();
        await store.close();
        log.info('candor stopped');
      })();
      return closing;
    },
  };
}
