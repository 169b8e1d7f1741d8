// Shields-style SVG badges of a monitor's state and uptime, drawn by badge-maker (shields.io's renderer). Pure.
// badge-maker escapes label and message as XML text.
import { formatUptime as formatPageUptime } from './format.js';
import { makeBadge } from 'badge-maker';
import type { ShownMonitorStatus } from '../read/status-page.js';
import type { UptimeWindow } from '../domain/uptime.js';
import { xmlText } from './xml-text.js';

import type { BadgeStyle } from './badge-styles.js';

export { BADGE_STYLES, type BadgeStyle } from './badge-styles.js';

const STATUS_COLOR: Record<ShownMonitorStatus, string> = {
  up: 'brightgreen',
  degraded: 'yellow',
  down: 'red',
  partial: 'orange',
  maintenance: 'blue',
  paused: 'lightgrey',
  pending: 'lightgrey',
  unknown: 'lightgrey',
};

/** A monitor not confirmed yet, or any while the checker is offline, is "unknown": the badge claims nothing. */
const STATUS_MESSAGE: Record<ShownMonitorStatus, string> = {
  up: 'up',
  degraded: 'degraded',
  down: 'down',
  partial: 'partial outage',
  maintenance: 'maintenance',
  paused: 'paused',
  pending: 'unknown',
  unknown: 'unknown',
};

export function statusBadge(input: { label: string; status: ShownMonitorStatus; style?: BadgeStyle }): string {
  return draw(input.label, STATUS_MESSAGE[input.status], STATUS_COLOR[input.status], input.style);
}

/** Lowest uptime (fraction) for each colour, best first; below the last one the badge is red. */
export const UPTIME_COLOR_THRESHOLDS: readonly (readonly [number, string])[] = [
  [0.999, 'brightgreen'],
  [0.99, 'green'],
  [0.98, 'yellowgreen'],
  [0.95, 'yellow'],
  [0.9, 'orange'],
];

export function uptimeColor(uptime: number | null): string {
  if (uptime === null) return 'lightgrey';
  return UPTIME_COLOR_THRESHOLDS.find(([lowest]) => uptime >= lowest)?.[1] ?? 'red';
}

/** The badge text: the page's uptime format, "no data" when nothing was checked in the window. */
export function formatUptime(uptime: number | null): string {
  return uptime === null ? 'no data' : formatPageUptime(uptime);
}

export function uptimeBadge(input: { label: string; uptime: number | null; window: UptimeWindow; style?: BadgeStyle }): string {
  return draw(input.label, formatUptime(input.uptime), uptimeColor(input.uptime), input.style);
}

/** Served with status 404 for an unknown monitor, so an embedding page shows why instead of a broken image. */
export function notFoundBadge(input: { label: string; style?: BadgeStyle }): string {
  return draw(input.label, 'not found', 'lightgrey', input.style);
}

function draw(label: string, message: string, color: string, style: BadgeStyle = 'flat'): string {
  return makeBadge({ label: xmlText(label), message: xmlText(message), color, style });
}
