// The alerting part of the object graph, built from the frozen config: the batch writer that plans
// notifications into the outbox, and the worker that delivers them. A reload replaces its plan
// (channels, routes, settings) through `reconfigure`; with no channel configured it plans nothing.

import type { Logger } from 'pino';
import { DEFAULT_ALERTING } from '../domain/alerting.js';
import type { CandorConfig, MonitorSpec } from '../domain/monitor.js';
import { createRedactor } from '../domain/redaction.js';
import { secretsOf } from '../config/secrets.js';
import type { BatchWriter } from '../ingest/ingest.js';
import type { Clock, Timers } from '../runtime/clock.js';
import type { Ids } from '../runtime/ids.js';
import type { Store } from '../storage/store.js';
import { outboxWriter } from './outbox-writer.js';
import { policyNoticeWriter } from './policy-notices.js';
import { declaredNoticeWriter } from './declared-notices.js';
import type { MonitorState } from '../domain/state.js';
import { routesOf, type AlertingPlanConfig } from './plan.js';
import { createSender, type Sender } from './send.js';
import { NotificationWorker } from './worker.js';
import { subscriberDeliverer } from './subscriber-delivery.js';

export interface Alerting {
  readonly writer: BatchWriter;
  /** Notices of policy_violation incidents, written in the provenance ledger's transaction. */
  readonly policyWriter: ReturnType<typeof policyNoticeWriter>;
  /** Notices of declared_mismatch, written in a declared poll's transaction. */
  readonly declaredWriter: ReturnType<typeof declaredNoticeWriter>;
  readonly worker: NotificationWorker;
  readonly plan: AlertingPlanConfig;
  readonly sender: Sender;
  /** Monitors were added, changed or removed: routes from monitors' `notify:` follow. */
  monitorsChanged(): void;
  /** A reloaded config: channels, routes and settings apply at once; a removed channel's pending notifications are cancelled. */
  reconfigure(config: CandorConfig): Promise<{ cancelled: number }>;
  close(): Promise<void>;
}

/** The plan every writer reads, replaced whole by a reload: each batch plans with the config as it is then. */
function livePlan(initial: AlertingPlanConfig): { plan: AlertingPlanConfig; set(next: AlertingPlanConfig): void } {
  let current = initial;
  const plan = {
    get channels() { return current.channels; },
    get routes() { return current.routes; },
    get monitors() { return current.monitors; },
    get settings() { return current.settings; },
    get subscriptions() { return current.subscriptions; },
    get regionOf() { return current.regionOf; },
  } as AlertingPlanConfig;
  return { plan, set: (next) => { current = next; } };
}

export function planConfigOf(config: CandorConfig, monitors: ReadonlyMap<string, MonitorSpec>, regionOf?: (vantage: string) => string | undefined): AlertingPlanConfig {
  return {
    channels: new Map((config.channels ?? []).map((channel) => [channel.id, channel])),
    routes: routesOf(config.routes ?? [], monitors.values()),
    monitors,
    settings: config.alerting ?? DEFAULT_ALERTING,
    ...(config.subscriptions ? { subscriptions: config.subscriptions } : {}),
    ...(regionOf ? { regionOf } : {}),
  };
}

export function createAlerting(deps: {
  readonly config: CandorConfig;
  readonly monitors: ReadonlyMap<string, MonitorSpec>;
  readonly store: Store;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly ids: Ids;
  readonly log: Logger;
  readonly sender?: Sender;
  readonly regionOf?: (vantage: string) => string | undefined;
  /** The judged state of a monitor now (for declared_mismatch). */
  readonly stateOf?: (monitorId: string) => MonitorState | undefined;
  /** Jitter source for retry delays, in [0, 1); Math.random by default. */
  readonly random?: () => number;
}): Alerting {
  let config = deps.config;
  const live = livePlan(planConfigOf(config, deps.monitors, deps.regionOf));
  const plan = live.plan;
  const sender = deps.sender ?? createSender(() => deps.clock.now());
  const worker = new NotificationWorker({
    store: deps.store,
    clock: deps.clock,
    timers: deps.timers,
    ids: deps.ids,
    log: deps.log,
    channels: plan.channels,
    monitors: deps.monitors,
    sender,
    settings: plan.settings,
    redactor: createRedactor(secretsOf(config)),
    siteTitle: config.title,
    ...(config.server.publicUrl ? { siteUrl: config.server.publicUrl } : {}),
    ...(deps.random ? { random: deps.random } : {}),
  }, config.subscriptions && config.server.publicUrl ? [subscriberDeliverer({ store: deps.store, settings: config.subscriptions, channels: plan.channels, publicUrl: config.server.publicUrl, siteTitle: config.title })] : []);
  return {
    writer: outboxWriter({ config: plan, ids: deps.ids, now: () => deps.clock.now() }),
    policyWriter: policyNoticeWriter({ config: plan, ids: deps.ids, now: () => deps.clock.now() }),
    declaredWriter: declaredNoticeWriter({ config: plan, ids: deps.ids, stateOf: (monitorId) => deps.stateOf?.(monitorId) }),
    worker,
    plan,
    sender,
    monitorsChanged() {
      live.set(planConfigOf(config, deps.monitors, deps.regionOf));
    },
    async reconfigure(next) {
      config = next;
      live.set(planConfigOf(config, deps.monitors, deps.regionOf));
      const cancelled = await worker.reconfigure({
        channels: plan.channels,
        settings: plan.settings,
        redactor: createRedactor(secretsOf(config)),
        siteTitle: config.title,
        ...(config.server.publicUrl ? { siteUrl: config.server.publicUrl } : {}),
      });
      if (cancelled > 0) deps.log.warn({ cancelled }, 'reload: pending notifications of removed channels were cancelled');
      return { cancelled };
    },
    async close() {
      await worker.stop();
      sender.close();
    },
  };
}
