// Delivers the outbox: one queue per channel, so a slow or unreachable channel only ever delays its
// own messages (never another channel's, never checks). Each attempt is bounded by the timeout and
// its outcome is written to the notification's row before the next one starts; after a crash, what
// was pending is sent again with the same idempotency key (the row id).

import type { Logger } from 'pino';
import type { AlertingSettings, ChannelSpec } from '../domain/alerting.js';
import { activeMaintenance } from '../domain/maintenance.js';
import type { MonitorSpec } from '../domain/monitor.js';
import type { Redactor } from '../domain/redaction.js';
import type { Clock, TimerHandle, Timers } from '../runtime/clock.js';
import type { Ids } from '../runtime/ids.js';
import type { NotificationSettlement, Store, StoredNotification } from '../storage/store.js';
import { buildMessage } from './channels/index.js';
import type { OutboundMessage } from './message.js';
import { writePlanned } from './outbox-writer.js';
import { nextReminder } from './plan.js';
import { settlementOf } from './retry.js';
import type { Sender } from './send.js';

export interface WorkerDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly ids: Ids;
  readonly log: Logger;
  readonly channels: ReadonlyMap<string, ChannelSpec>;
  readonly monitors: ReadonlyMap<string, MonitorSpec>;
  readonly sender: Sender;
  readonly settings: AlertingSettings;
  readonly redactor: Redactor;
  readonly siteTitle: string;
  readonly siteUrl?: string;
  /** Jitter source, in [0, 1). */
  readonly random?: () => number;
}

/** Even with nothing due, each queue looks again this often (rows written by another process, a database that was failing). */
const POLL_MS = 30_000;
const BATCH = 20;

/** How one queue turns a notification into a message, or says why it is no longer to be sent. */
export interface Deliverer {
  readonly id: string;
  prepare(notification: StoredNotification, now: number): Promise<{ channel: ChannelSpec; message: OutboundMessage } | { cancel: string }>;
}

/** What a reloaded config may change in a running worker. */
export type WorkerSettings = Pick<WorkerDeps, 'channels' | 'settings' | 'redactor' | 'siteTitle' | 'siteUrl'>;

export class NotificationWorker {
  /** One queue per channel, then the extra deliverers' queues. */
  private readonly queues = new Map<string, ChannelQueue>();
  private readonly extra: readonly ChannelQueue[];
  private deps: WorkerDeps;
  private started = false;

  constructor(deps: WorkerDeps, extra: readonly Deliverer[] = []) {
    this.deps = deps;
    for (const channel of deps.channels.values()) this.queues.set(channel.id, new ChannelQueue(this.channelDeliverer(channel.id), deps));
    this.extra = extra.map((deliverer) => new ChannelQueue(deliverer, deps));
  }

  /** Reads the channel as configured now, so a reload's change to it applies to the next attempt. */
  private channelDeliverer(channelId: string): Deliverer {
    return {
      id: channelId,
      prepare: async (notification, now) => {
        const channel = this.deps.channels.get(channelId);
        if (!channel) return { cancel: 'the channel was removed from the config' };
        const context = { idempotencyKey: notification.id, now, siteTitle: this.deps.siteTitle, ...(this.deps.siteUrl ? { siteUrl: this.deps.siteUrl } : {}) };
        return { channel, message: buildMessage(channel, notification.notice, context) };
      },
    };
  }

  private all(): ChannelQueue[] {
    return [...this.queues.values(), ...this.extra];
  }

  start(): void {
    this.started = true;
    for (const queue of this.all()) queue.poke();
  }

  /** Something may have become due (a batch with events was committed). */
  wake(): void {
    for (const queue of this.all()) queue.poke();
  }

  /**
   * A reloaded config: a new channel gets its queue, a changed one is used from its next attempt, and
   * a removed one's queue stops and its pending notifications are cancelled with the reason (never
   * left pending forever). Resolves with how many were cancelled.
   */
  async reconfigure(settings: WorkerSettings): Promise<number> {
    const { siteUrl: _siteUrl, ...rest } = this.deps;
    this.deps = { ...rest, ...settings };
    for (const queue of this.all()) queue.deps = this.deps;
    let cancelled = 0;
    for (const [id, queue] of this.queues) {
      if (settings.channels.has(id)) continue;
      this.queues.delete(id);
      await queue.stop();
      cancelled += await cancelPending(this.deps, id, 'the channel was removed from the config');
    }
    for (const channel of settings.channels.values()) {
      if (this.queues.has(channel.id)) continue;
      const queue = new ChannelQueue(this.channelDeliverer(channel.id), this.deps);
      this.queues.set(channel.id, queue);
      if (this.started) queue.poke();
    }
    return cancelled;
  }

  /** Stops every queue and waits for attempts in flight (each bounded by the timeout). */
  async stop(): Promise<void> {
    await Promise.all(this.all().map((queue) => queue.stop()));
  }
}

/** Every pending notification of a channel, due now or later, settled as cancelled; bounded by what is there. */
async function cancelPending(deps: WorkerDeps, channelId: string, reason: string): Promise<number> {
  const at = deps.clock.now();
  let cancelled = 0;
  for (;;) {
    const pending = await deps.store.outbox.due(channelId, Number.MAX_SAFE_INTEGER, 200);
    if (pending.length === 0) return cancelled;
    await deps.store.transact(async (tx) => {
      for (const notification of pending) await tx.outbox.settle(notification.id, { state: 'cancelled', attempts: notification.attempts, at, lastError: reason });
    });
    cancelled += pending.length;
  }
}

class ChannelQueue {
  private running: Promise<void> | undefined;
  private again = false;
  private timer: TimerHandle | undefined;
  private stopped = false;

  constructor(
    private readonly deliverer: Deliverer,
    public deps: WorkerDeps,
  ) {}

  poke(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) this.deps.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.running = this.drain()
      .catch((error: unknown) => this.deps.log.error({ channel: this.deliverer.id, err: error }, 'notifications: reading or settling the outbox failed; trying again later'))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.poke();
        } else void this.scheduleNext();
      });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) this.deps.timers.clearTimeout(this.timer);
    await this.running;
  }

  private async drain(): Promise<void> {
    while (!this.stopped) {
      const due = await this.deps.store.outbox.due(this.deliverer.id, this.deps.clock.now(), BATCH);
      if (due.length === 0) return;
      for (const notification of due) {
        if (this.stopped) return;
        await this.attempt(notification);
      }
    }
  }

  private async scheduleNext(): Promise<void> {
    if (this.stopped) return;
    let next: number | undefined;
    try {
      next = await this.deps.store.outbox.nextDueAt(this.deliverer.id);
    } catch (error) {
      this.deps.log.error({ channel: this.deliverer.id, err: error }, 'notifications: reading the outbox failed');
    }
    if (this.stopped || this.running) return;
    const now = this.deps.clock.now();
    const delay = Math.max(0, Math.min(POLL_MS, next === undefined ? POLL_MS : next - now));
    this.timer = this.deps.timers.setTimeout(() => this.poke(), delay);
  }

  private async attempt(notification: StoredNotification): Promise<void> {
    const now = this.deps.clock.now();
    if (notification.monitorId !== undefined) {
      const monitor = this.deps.monitors.get(notification.monitorId);
      if (!monitor) return this.settle(notification, { state: 'cancelled', attempts: notification.attempts, at: now, lastError: 'the monitor is no longer configured' });
      // Reminders are not sent during maintenance; the next one is planned as usual.
      if (activeMaintenance(monitor.maintenance, now)) return this.settle(notification, { state: 'silenced', attempts: notification.attempts, at: now });
    }
    const prepared = await this.deliverer.prepare(notification, now);
    if ('cancel' in prepared) return this.settle(notification, { state: 'cancelled', attempts: notification.attempts, at: now, lastError: prepared.cancel });
    const { channel, message } = prepared;
    const outcome = await this.deps.sender.send(channel, message, this.deps.settings.timeoutMs);
    const attempts = notification.attempts + 1;
    const settlement = settlementOf(outcome, attempts, this.deps.settings, this.deps.clock.now(), this.deps.random ?? Math.random);
    const redact = this.deps.redactor.text;
    const safe: NotificationSettlement = {
      ...settlement,
      ...(settlement.lastError !== undefined ? { lastError: redact(settlement.lastError) } : {}),
      ...(settlement.answer !== undefined ? { answer: redact(settlement.answer) } : {}),
    };
    const fields = { channel: this.deliverer.id, type: channel.type, notification: notification.id, kind: notification.notice.kind, attempts };
    if (safe.state === 'delivered') this.deps.log.info(fields, 'notification delivered');
    else if (safe.state === 'failed') this.deps.log.error({ ...fields, error: safe.lastError }, 'notification failed');
    else this.deps.log.warn({ ...fields, error: safe.lastError, retryAt: new Date(safe.dueAt ?? now).toISOString() }, 'notification attempt failed; will retry');
    await this.settle(notification, safe);
  }

  /** Records the outcome; a reminder that is done plans the next one in the same transaction. */
  private async settle(notification: StoredNotification, settlement: NotificationSettlement): Promise<void> {
    const continues = settlement.state !== 'pending' && settlement.state !== 'cancelled' && notification.monitorId !== undefined && notification.remindEveryMs !== undefined;
    await this.deps.store.transact(async (tx) => {
      await tx.outbox.settle(notification.id, settlement);
      if (!continues) return;
      const next = nextReminder(
        {
          channelId: notification.channelId,
          monitorId: notification.monitorId!,
          remindEveryMs: notification.remindEveryMs!,
          downSince: notification.notice.monitors[0]?.downSince ?? notification.notice.at,
          previousDueAt: Math.max(notification.dueAt, settlement.at - notification.remindEveryMs!),
          base: notification.notice,
        },
        settlement.at,
      );
      await writePlanned(tx, [next], this.deps.ids, settlement.at);
    });
  }
}
