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

export class NotificationWorker {
  private readonly queues: ChannelQueue[];

  constructor(deps: WorkerDeps, extra: readonly Deliverer[] = []) {
    const context = (notification: StoredNotification, now: number) => ({
      idempotencyKey: notification.id,
      now,
      siteTitle: deps.siteTitle,
      ...(deps.siteUrl ? { siteUrl: deps.siteUrl } : {}),
    });
    const channelDeliverers = [...deps.channels.values()].map((channel): Deliverer => ({
      id: channel.id,
      prepare: async (notification, now) => ({ channel, message: buildMessage(channel, notification.notice, context(notification, now)) }),
    }));
    this.queues = [...channelDeliverers, ...extra].map((deliverer) => new ChannelQueue(deliverer, deps));
  }

  start(): void {
    for (const queue of this.queues) queue.poke();
  }

  /** Something may have become due (a batch with events was committed). */
  wake(): void {
    for (const queue of this.queues) queue.poke();
  }

  /** Stops every queue and waits for attempts in flight (each bounded by the timeout). */
  async stop(): Promise<void> {
    await Promise.all(this.queues.map((queue) => queue.stop()));
  }
}

class ChannelQueue {
  private running: Promise<void> | undefined;
  private again = false;
  private timer: TimerHandle | undefined;
  private stopped = false;

  constructor(
    private readonly deliverer: Deliverer,
    private readonly deps: WorkerDeps,
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
