// `agent_offline`: an agent that missed its heartbeats is announced once per silence (the dedup is
// the agent and when it was last seen, so a restart of the hub announces nothing twice).

import type { Logger } from 'pino';
import type { Notice } from '../domain/alerting.js';
import type { Clock, TimerHandle, Timers } from '../runtime/clock.js';
import type { Ids } from '../runtime/ids.js';
import type { Store } from '../storage/store.js';
import type { VantageView } from '../agents/hub-agents.js';
import { writePlanned } from './outbox-writer.js';
import { immediateEntries, type AlertingPlanConfig, type PlannedEntry } from './plan.js';

/** Pure: the entries for the agents that are offline now. */
export function planAgentOffline(config: AlertingPlanConfig, views: readonly VantageView[], now: number): PlannedEntry[] {
  const entries: PlannedEntry[] = [];
  for (const view of views) {
    if (view.kind !== 'agent' || view.connection !== 'offline') continue;
    const notice: Notice = { kind: 'agent_offline', at: now, monitors: [], agent: { name: view.name, ...(view.lastSeenAt !== undefined ? { lastSeenAt: view.lastSeenAt } : {}) } };
    const scope = { vantages: [view.name], regions: view.region ? [view.region] : [] };
    entries.push(...immediateEntries(config, notice, undefined, `agent_offline:${view.name}:${view.lastSeenAt ?? 'never'}`, now, scope));
  }
  return entries;
}

/** Looks at the agents every `everyMs` and writes what planAgentOffline finds. */
export class AgentOfflineWatch {
  private timer: TimerHandle | undefined;
  private stopped = false;
  private readonly written = new Set<string>();

  constructor(
    private readonly deps: {
      readonly config: AlertingPlanConfig;
      readonly views: () => Promise<VantageView[]>;
      readonly store: Store;
      readonly ids: Ids;
      readonly clock: Clock;
      readonly timers: Timers;
      readonly log: Logger;
      readonly everyMs: number;
      readonly onWritten: () => void;
    },
  ) {}

  start(): void {
    if (!this.deps.config.routes.some((route) => route.events.includes('agent_offline'))) return;
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) this.deps.timers.clearTimeout(this.timer);
  }

  async check(): Promise<void> {
    const now = this.deps.clock.now();
    const entries = planAgentOffline(this.deps.config, await this.deps.views(), now).filter((entry) => !this.written.has(`${entry.channelId}\u0000${entry.dedup}`));
    if (entries.length === 0) return;
    await this.deps.store.transact((tx) => writePlanned(tx, entries, this.deps.ids, now));
    for (const entry of entries) this.written.add(`${entry.channelId}\u0000${entry.dedup}`);
    this.deps.onWritten();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.deps.timers.setTimeout(() => {
      this.check()
        .catch((error: unknown) => this.deps.log.error({ err: error }, 'notifications: checking for offline agents failed'))
        .finally(() => this.schedule());
    }, this.deps.everyMs);
  }
}
