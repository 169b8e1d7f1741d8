// Reads an Atom or RSS incident feed (with @rowanmanning/feed-parser) into a DeclaredSnapshot. Pure.
// A feed has incidents, not component statuses: an entry is an incident, resolved when its newest text
// says so (Statuspage and most hosted pages write "Resolved" or "Completed"), and the feed's status
// is non-operational while an entry of the last week is not resolved. docs/transparency.md says so.
import { parseFeed } from '@rowanmanning/feed-parser';
import type { DeclaredIncident, PollOutcome } from '../domain/declared.js';
import { checkTimes, fail, MAX_INCIDENTS, MAX_TEXT } from './snapshot-rules.js';

/** An unresolved entry older than this no longer makes the feed non-operational (many feeds never close entries). */
export const FEED_OPEN_HORIZON_MS = 7 * 86_400_000;

const RESOLVED = /\b(resolved|completed|postmortem)\b/i;

export function parseIncidentFeed(text: string, now: number): PollOutcome {
  let items;
  try {
    items = parseFeed(text).items;
  } catch (error) {
    return fail('malformed', `not an Atom or RSS feed: ${(error as Error).message.slice(0, 200)}`);
  }
  const incidents: DeclaredIncident[] = [];
  for (const [index, item] of items.slice(0, MAX_INCIDENTS).entries()) {
    const published = item.published ?? item.updated;
    if (!published || Number.isNaN(published.getTime())) return fail('malformed', `entry ${index + 1} ("${(item.title ?? '').slice(0, 80)}") has no valid published or updated time`);
    const updated = item.updated && !Number.isNaN(item.updated.getTime()) ? item.updated.getTime() : published.getTime();
    const title = plain(item.title ?? '(untitled)');
    const body = plain(item.content ?? item.description ?? '');
    const resolved = RESOLVED.test(newestText(body)) || RESOLVED.test(title);
    const id = item.id ?? item.url ?? `${title} ${published.toISOString()}`;
    incidents.push({
      externalId: id.slice(0, 500),
      title,
      impact: 'unknown',
      declaredAt: published.getTime(),
      startedAt: published.getTime(),
      ...(resolved ? { resolvedAt: updated } : {}),
      components: [],
      updates: [{ at: updated, status: resolved ? 'resolved' : 'update', body }],
      ...(item.url && /^https?:\/\//.test(item.url) ? { url: item.url } : {}),
    });
  }
  const open = incidents.some((i) => i.resolvedAt === undefined && i.startedAt >= now - FEED_OPEN_HORIZON_MS);
  return checkTimes({ overall: open ? 'partial_outage' : 'operational', components: [], incidents }, now);
}

/** Text without markup, spaces folded, bounded. */
function plain(html: string): string {
  return html.replace(/<[^>]*>/g, ' ').replace(/&nbsp;/g, ' ').replace(/\s+/g, ' ').trim().slice(0, MAX_TEXT);
}

/** Hosted pages put the newest update first in an entry: the first sentence or so is what it says now. */
function newestText(body: string): string {
  return body.slice(0, 200);
}
