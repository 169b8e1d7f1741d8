// Runs every monitor each interval at a stable per-monitor phase, under one global concurrency limit.
import pLimit, { type LimitFunction } from 'p-limit';
import type { Clock, TimerHandle, Timers } from '../runtime/clock.js';

export interface ScheduledMonitor {
  readonly id: string;
  readonly intervalMs: number;
}

export interface SchedulerDeps {
  readonly clock: Clock;
  readonly timers: Timers;
  /** Checks running at once, across all monitors. */
  readonly concurrency: number;
  /** Runs one check. Must not throw; a rejection is reported through onError and otherwise ignored. */
  runCheck(monitorId: string, plannedAt: number, startedAt: number): Promise<void>;
  /** Actual start minus planned start, for every check that ran. */
  onLateness?(latenessMs: number): void;
  /** A planned check was dropped because the previous one of the same monitor had not finished. */
  onSkipped?(monitorId: string, plannedAt: number): void;
  onError?(monitorId: string, error: unknown): void;
}

/** Stable offset in [0, intervalMs) from the monitor id (FNV-1a), so monitors spread over the interval. */
export function phaseOffsetMs(id: string, intervalMs: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % intervalMs;
}

/** The first planned time at or after `now` on the grid offset + k * interval. */
export function nextPlannedAt(now: number, intervalMs: number, offsetMs: number): number {
  const k = Math.ceil((now - offsetMs) / intervalMs);
  return offsetMs + k * intervalMs;
}

const TIMER_SLACK_MS = 1;

interface Slot {
  monitor: ScheduledMonitor;
  readonly offsetMs: number;
  timer?: TimerHandle;
  /** A check of this monitor is queued or running. */
  busy: boolean;
}

export class Scheduler {
  private readonly slots = new Map<string, Slot>();
  private readonly running = new Set<Promise<void>>();
  private readonly limit: LimitFunction;
  private stopped = false;

  constructor(private readonly deps: SchedulerDeps) {
    this.limit = pLimit(deps.concurrency);
  }

  start(monitors: readonly ScheduledMonitor[]): void {
    for (const monitor of monitors) {
      if (this.slots.has(monitor.id)) throw new Error(`monitor ${monitor.id} is already scheduled`);
      this.add(monitor);
    }
  }

  /**
   * Schedules a monitor added at run time, or takes a changed one: with the same interval it keeps its
   * planned times (the next check simply uses the new spec); with another, it is planned afresh.
   * Other monitors are not touched.
   */
  upsert(monitor: ScheduledMonitor): void {
    const slot = this.slots.get(monitor.id);
    if (slot && slot.monitor.intervalMs === monitor.intervalMs) {
      slot.monitor = monitor;
      return;
    }
    if (slot) this.remove(monitor.id);
    if (!this.stopped) this.add(monitor);
  }

  /** Stops planning a monitor; a check of it already running finishes. */
  remove(id: string): void {
    const slot = this.slots.get(id);
    if (!slot) return;
    if (slot.timer) this.deps.timers.clearTimeout(slot.timer);
    this.slots.delete(id);
  }

  /** Ids of the monitors planned now. */
  scheduled(): string[] {
    return [...this.slots.keys()];
  }

  private add(monitor: ScheduledMonitor): void {
    const slot: Slot = { monitor, offsetMs: phaseOffsetMs(monitor.id, monitor.intervalMs), busy: false };
    this.slots.set(monitor.id, slot);
    this.arm(slot, nextPlannedAt(this.deps.clock.now(), monitor.intervalMs, slot.offsetMs));
  }

  /**
   * Stops planning, drops queued checks, and waits up to graceMs for running ones.
   * Returns how many were still running when the grace period ran out.
   */
  async stop(graceMs: number): Promise<number> {
    this.stopped = true;
    for (const slot of this.slots.values()) if (slot.timer) this.deps.timers.clearTimeout(slot.timer);
    this.limit.clearQueue();
    if (this.running.size === 0) return 0;
    let timer: TimerHandle | undefined;
    const graceOver = new Promise<'timeout'>((resolve) => {
      timer = this.deps.timers.setTimeout(() => resolve('timeout'), graceMs);
    });
    const outcome = await Promise.race([Promise.allSettled([...this.running]).then(() => 'done' as const), graceOver]);
    if (timer) this.deps.timers.clearTimeout(timer);
    return outcome === 'done' ? 0 : this.running.size;
  }

  /**
   * One millisecond past the planned time: Node's timers count from a loop time that may lag the wall
   * clock, so a timer for the planned time itself fired early for about one check in six, and had to be
   * armed again (a second wake-up of the thread for that check).
   */
  private arm(slot: Slot, plannedAt: number): void {
    const delay = Math.max(0, plannedAt - this.deps.clock.now()) + TIMER_SLACK_MS;
    slot.timer = this.deps.timers.setTimeout(() => this.fire(slot, plannedAt), delay);
  }

  private fire(slot: Slot, plannedAt: number): void {
    // A slot replaced or removed since it was armed plans nothing more.
    if (this.stopped || this.slots.get(slot.monitor.id) !== slot) return;
    // Node's timers run on a monotonic clock and may fire a millisecond before the wall clock reaches
    // plannedAt: wait for it, so that a check never starts before it was planned (the hub refuses an
    // agent's observation that says it did). A wall clock set back by more than an interval plans afresh.
    const early = plannedAt - this.deps.clock.now();
    if (early > 0) {
      this.arm(slot, early <= slot.monitor.intervalMs ? plannedAt : nextPlannedAt(this.deps.clock.now(), slot.monitor.intervalMs, slot.offsetMs));
      return;
    }
    // After a clock jump or a long stall, slots already past are not replayed: the next is planned from now.
    const next = plannedAt + slot.monitor.intervalMs;
    const now = this.deps.clock.now();
    this.arm(slot, next > now ? next : nextPlannedAt(now + 1, slot.monitor.intervalMs, slot.offsetMs));
    if (slot.busy) {
      this.deps.onSkipped?.(slot.monitor.id, plannedAt);
      return;
    }
    slot.busy = true;
    void this.limit(() => this.execute(slot, plannedAt)).finally(() => {
      slot.busy = false;
    });
  }

  private execute(slot: Slot, plannedAt: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const startedAt = this.deps.clock.now();
    this.deps.onLateness?.(startedAt - plannedAt);
    const check = this.deps
      .runCheck(slot.monitor.id, plannedAt, startedAt)
      .catch((error: unknown) => this.deps.onError?.(slot.monitor.id, error))
      .finally(() => this.running.delete(check));
    this.running.add(check);
    return check;
  }
}
