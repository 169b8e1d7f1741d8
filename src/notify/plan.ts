// Which notifications a committed batch causes: its events and results, through the routes, to channels.
// Pure: the time, the config and the batch come in; outbox entries (without ids) go out.

import { CERTIFICATE_DAYS, DEFAULT_MONITOR_KINDS, MONITOR_NOTICE_KINDS, type AlertingSettings, type ChannelSpec, type Notice, type NoticeKind, type NoticeMonitor, type RouteSpec, type SubscriptionSettings } from '../domain/alerting.js';
import { activeMaintenance } from '../domain/maintenance.js';
import type { MonitorSpec } from '../domain/monitor.js';
import type { CheckResult } from '../domain/verdict.js';
import type { OutboxEntry } from '../storage/store.js';
import { CHANNEL_KINDS } from './channels/index.js';
import { noticesOfEvent, type EventLike } from './events.js';

export interface AlertingPlanConfig {
  readonly channels: ReadonlyMap<string, ChannelSpec>;
  /** Every route, monitors' `notify:` included (see routesOf). */
  readonly routes: readonly RouteSpec[];
  readonly monitors: ReadonlyMap<string, MonitorSpec>;
  readonly settings: AlertingSettings;
  /** Present when visitors may subscribe. */
  readonly subscriptions?: SubscriptionSettings;
  /** Vantage name → region, for routes' `scopes`. */
  readonly regionOf?: (vantage: string) => string | undefined;
}

export type PlannedEntry = Omit<OutboxEntry, 'id'>;

export interface PlannedNotice {
  readonly notice: Notice;
  readonly monitor: MonitorSpec;
  /** The same notice planned again has the same dedup. */
  readonly dedup: string;
}

export interface AlertingPlan {
  readonly entries: readonly PlannedEntry[];
  /** Every notice, before routing (public subscribers get theirs from these). */
  readonly notices: readonly PlannedNotice[];
  /** Monitors that recovered: their pending reminders are cancelled. */
  readonly recovered: readonly string[];
}

/** The config's routes, with each monitor's `notify: [...]` as one more route. */
export function routesOf(routes: readonly RouteSpec[], monitors: Iterable<MonitorSpec>): RouteSpec[] {
  const short = [...monitors].filter((monitor) => monitor.notify && monitor.notify.length > 0).map((monitor): RouteSpec => ({ events: DEFAULT_MONITOR_KINDS, monitors: [monitor.id], channels: monitor.notify! }));
  return [...routes, ...short];
}

/** A notice about one monitor matches a route when its kind is listed and any selector given matches. */
export function routeMatches(route: RouteSpec, kind: NoticeKind, monitor: MonitorSpec | undefined, scope?: NoticeMonitor['scope']): boolean {
  if (!route.events.includes(kind)) return false;
  if (monitor && MONITOR_NOTICE_KINDS.includes(kind)) {
    const selectors = [
      route.monitors && route.monitors.includes(monitor.id),
      route.components && route.components.includes(monitor.component),
      route.tags && route.tags.some((tag) => monitor.tags.includes(tag)),
    ].filter((matched) => matched !== undefined);
    if (selectors.length > 0 && !selectors.some(Boolean)) return false;
  }
  // A global outage concerns every region; a partial one only those it names.
  if (route.scopes && scope) return route.scopes.some((name) => scope.regions.includes(name) || scope.vantages.includes(name));
  return true;
}

const GROUPED_KINDS: readonly NoticeKind[] = ['went_down', 'recovered'];

/** The channels a notice goes to, each with the shortest reminder interval of the routes that chose it. */
export function channelsFor(routes: readonly RouteSpec[], kind: NoticeKind, monitor: MonitorSpec | undefined, scope?: NoticeMonitor['scope']): Map<string, number | undefined> {
  const chosen = new Map<string, number | undefined>();
  for (const route of routes) {
    if (!routeMatches(route, kind, monitor, scope)) continue;
    for (const channelId of route.channels) {
      const before = chosen.get(channelId);
      const remind = route.remindEveryMs;
      chosen.set(channelId, before === undefined ? remind : remind === undefined ? before : Math.min(before, remind));
    }
  }
  return chosen;
}

/** A notice sent at once (no grouping, no reminder) to every configured channel its routes choose. */
export function immediateEntries(config: AlertingPlanConfig, notice: Notice, monitor: MonitorSpec | undefined, dedup: string, now: number, scope?: NoticeMonitor['scope']): PlannedEntry[] {
  return [...channelsFor(config.routes, notice.kind, monitor, scope).keys()]
    .filter((channelId) => config.channels.has(channelId))
    .map((channelId) => ({ channelId, dedup, notice, createdAt: now, dueAt: now }));
}

export function planNotifications(config: AlertingPlanConfig, batch: { readonly events: readonly { readonly monitorId: string; readonly event: EventLike }[]; readonly results: readonly CheckResult[] }, now: number): AlertingPlan {
  const entries: PlannedEntry[] = [];
  const recovered: string[] = [];
  const notices: PlannedNotice[] = [];
  for (const { monitorId, event } of batch.events) {
    const monitor = config.monitors.get(monitorId);
    if (!monitor) continue;
    if (event.type === 'recovered') recovered.push(monitorId);
    // Nothing is sent about what happens inside a maintenance window.
    if (activeMaintenance(monitor.maintenance, event.at)) continue;
    for (const notice of noticesOfEvent(event, monitor, config.regionOf)) notices.push({ notice, monitor, dedup: `${notice.kind}:${monitorId}:${event.at}` });
  }
  for (const result of batch.results) {
    const monitor = config.monitors.get(result.monitorId);
    const expiring = monitor && certificateNotice(result, monitor);
    if (!expiring || !monitor || activeMaintenance(monitor.maintenance, result.startedAt)) continue;
    // Once per certificate and threshold: the same certificate seen again is planned with the same dedup.
    notices.push({ notice: expiring.notice, monitor, dedup: `certificate_expiring:${monitor.id}:${expiring.notice.monitors[0]?.notAfter}:${expiring.threshold}` });
  }

  for (const { notice, monitor, dedup } of notices) {
    const targets = channelsFor(config.routes, notice.kind, monitor, notice.monitors[0]?.scope);
    for (const [channelId, remindEveryMs] of targets) {
      const channel = config.channels.get(channelId);
      if (!channel) continue;
      const grouped = CHANNEL_KINDS[channel.type].groups && GROUPED_KINDS.includes(notice.kind) && config.settings.groupWindowMs > 0;
      entries.push({
        channelId,
        dedup,
        notice,
        createdAt: now,
        dueAt: grouped ? now + config.settings.groupWindowMs : now,
        ...(grouped ? { groupKey: notice.kind } : {}),
      });
      if (notice.kind === 'went_down' && remindEveryMs !== undefined) entries.push(firstReminder(channelId, notice, monitor.id, remindEveryMs, now));
    }
  }
  return { entries, notices, recovered };
}

function firstReminder(channelId: string, notice: Notice, monitorId: string, remindEveryMs: number, now: number): PlannedEntry {
  return nextReminder({ channelId, monitorId, remindEveryMs, downSince: notice.at, previousDueAt: notice.at, base: notice }, now);
}

/** The reminder after one due at `previousDueAt` (for the first: after the outage began). */
export function nextReminder(
  from: { channelId: string; monitorId: string; remindEveryMs: number; downSince: number; previousDueAt: number; base: Notice },
  now: number,
): PlannedEntry {
  const dueAt = from.previousDueAt + from.remindEveryMs;
  const notice: Notice = {
    kind: 'went_down',
    at: dueAt,
    reminder: true,
    monitors: from.base.monitors.map((monitor) => ({ ...monitor, downSince: from.downSince })),
  };
  return {
    channelId: from.channelId,
    dedup: `reminder:${from.monitorId}:${from.downSince}:${dueAt}`,
    notice,
    monitorId: from.monitorId,
    remindEveryMs: from.remindEveryMs,
    createdAt: now,
    dueAt,
  };
}

/** `certificate_expiring` when a TLS check finds fewer days left than a threshold (the smallest one crossed). */
export function certificateNotice(result: CheckResult, monitor: MonitorSpec): { notice: Notice; threshold: number } | undefined {
  const details = result.details;
  if (details.type !== 'tls' || details.daysRemaining === undefined || details.notAfter === undefined) return undefined;
  if (details.daysRemaining < 0) return undefined;
  const threshold = [...CERTIFICATE_DAYS].sort((a, b) => a - b).find((days) => details.daysRemaining! <= days);
  if (threshold === undefined) return undefined;
  return {
    threshold,
    notice: {
      kind: 'certificate_expiring',
      at: result.startedAt,
      monitors: [{ id: monitor.id, name: monitor.name, component: monitor.component, daysRemaining: details.daysRemaining, notAfter: details.notAfter }],
    },
  };
}
