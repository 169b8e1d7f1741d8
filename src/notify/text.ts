// What a notice says in words: a title, lines of text and a severity, shared by every channel. Pure.

import type { Notice, NoticeKind, NoticeMonitor } from '../domain/alerting.js';

export type Severity = 'critical' | 'warning' | 'info' | 'resolved';

export interface NoticeText {
  readonly title: string;
  /** Plain-text lines (no markup); channels join or format them. */
  readonly lines: readonly string[];
  readonly severity: Severity;
}

const SEVERITY: Readonly<Record<NoticeKind, Severity>> = {
  went_down: 'critical',
  partial: 'warning',
  recovered: 'resolved',
  degraded: 'warning',
  certificate_expiring: 'warning',
  agent_offline: 'critical',
  policy_violation: 'warning',
  declared_mismatch: 'warning',
};

const names = (monitors: readonly NoticeMonitor[]): string => monitors.map((monitor) => monitor.name).join(', ');

/** The title of each kind, for one monitor or several. */
const TITLES: Readonly<Record<NoticeKind, (notice: Notice) => string>> = {
  went_down: (n) => (n.reminder ? `Still down: ${names(n.monitors)}` : n.monitors.length === 1 ? `${names(n.monitors)} is down` : `${n.monitors.length} monitors are down: ${names(n.monitors)}`),
  recovered: (n) => (n.monitors.length === 1 ? `${names(n.monitors)} recovered` : `${n.monitors.length} monitors recovered: ${names(n.monitors)}`),
  degraded: (n) => `${names(n.monitors)} ${n.monitors.length === 1 ? 'is' : 'are'} degraded`,
  partial: (n) => `${names(n.monitors)} ${n.monitors.length === 1 ? 'is' : 'are'} down for some`,
  certificate_expiring: (n) => `Certificate of ${names(n.monitors)} expires in ${n.monitors[0]?.daysRemaining ?? '?'} day${n.monitors[0]?.daysRemaining === 1 ? '' : 's'}`,
  agent_offline: (n) => `Agent ${n.agent?.name ?? '?'} is offline`,
  policy_violation: (n) => `Policy violation: ${names(n.monitors)}`,
  declared_mismatch: (n) => `Declared status differs from observed: ${names(n.monitors)}`,
};

const iso = (ms: number): string => new Date(ms).toISOString();

function minutesBetween(from: number, to: number): string {
  const minutes = Math.max(0, Math.round((to - from) / 60_000));
  return minutes < 120 ? `${minutes} min` : `${Math.round(minutes / 60)} h`;
}

function monitorLine(notice: Notice, monitor: NoticeMonitor): string {
  const parts = [`${monitor.name} (${monitor.component})`];
  if (monitor.errorKind) parts.push(`${monitor.errorKind}${monitor.errorMessage ? `: ${monitor.errorMessage}` : ''}`);
  if (monitor.scope) {
    const where = [...monitor.scope.regions, ...monitor.scope.vantages.filter((vantage) => !monitor.scope?.regions.includes(vantage))];
    parts.push(`failing from ${where.join(', ') || 'some vantages'}`);
  }
  if (monitor.notAfter) parts.push(`valid until ${monitor.notAfter}`);
  if (monitor.downSince !== undefined) parts.push(`down for ${minutesBetween(monitor.downSince, notice.at)}`);
  return `- ${parts.join(' — ')}`;
}

export function noticeText(notice: Notice): NoticeText {
  const title = (notice.test ? 'Test: ' : '') + TITLES[notice.kind](notice);
  const lines: string[] = [];
  if (notice.test) lines.push('This is a test message from Candor (candor notify test).');
  lines.push(...notice.monitors.map((monitor) => monitorLine(notice, monitor)));
  if (notice.agent) lines.push(`Last seen: ${notice.agent.lastSeenAt !== undefined ? iso(notice.agent.lastSeenAt) : 'never'}`);
  if (notice.detail) lines.push(notice.detail);
  lines.push(`At ${iso(notice.at)}`);
  return { title, lines, severity: SEVERITY[notice.kind] };
}

/** One key per thing an incident tool tracks (PagerDuty's dedup_key, Opsgenie's alias): trigger and resolve share it. */
export function dedupKeyOf(notice: Notice): string {
  if (notice.kind === 'agent_offline') return `candor/agent/${notice.agent?.name ?? ''}`;
  const monitor = notice.monitors.map((m) => m.id).join('+');
  if (notice.kind === 'went_down' || notice.kind === 'recovered' || notice.kind === 'partial') return `candor/${monitor}`;
  return `candor/${notice.kind}/${monitor}`;
}
