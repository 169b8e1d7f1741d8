// Feeds of a status page's incidents: Atom 1.0 and RSS 2.0 (through `feed`) and JSON Feed 1.1 (plain JSON). Pure.
// Every incident is one entry; its timeline becomes the entry's content. Text from the config (monitor names,
// page titles) and from targets (error messages) is escaped here for the HTML parts; `feed` escapes the XML.
import { formatDuration } from './format.js';
import { Feed } from 'feed';
import type { StatusPageSpec } from '../domain/monitor.js';
import type { Incident } from '../domain/state.js';
import { lastActivityAt } from '../read/public-page.js';
import { iso } from '../read/serialise.js';
import { escapeHtml, xmlText } from './xml-text.js';
import { renderMarkdown } from '../read/markdown.js';
import type { TimelineEntry } from '../domain/state.js';

/** An entry as HTML: operators' Markdown rendered safely, Candor's text escaped. */
function entryHtml(entry: TimelineEntry): string {
  if (entry.kind !== 'update' && entry.kind !== 'postmortem') return escapeHtml(entry.message);
  const label = entry.kind === 'postmortem' ? 'Postmortem' : entry.status;
  return `${label ? `<strong>${escapeHtml(label)}</strong>: ` : ''}${renderMarkdown(entry.message)}`;
}

export interface FeedContext {
  readonly page: StatusPageSpec;
  /** Absolute URL of the HTML page. */
  readonly pageUrl: string;
  readonly feedUrls: { readonly atom: string; readonly rss: string; readonly json: string };
  incidentUrl(id: string): string;
  /** Display name of a monitor id; undefined for monitors no longer configured. */
  monitorName(id: string): string | undefined;
  readonly now: number;
}

export interface FeedEntry {
  /** Stable across hosts and restarts: `urn:candor:incident:ID`. */
  readonly id: string;
  readonly url: string;
  /** Plain text. */
  readonly title: string;
  readonly state: Incident['state'];
  readonly publishedAt: number;
  /** The last timeline entry (or the resolution). */
  readonly updatedAt: number;
  /** Plain text, one sentence or two. */
  readonly summary: string;
  readonly contentHtml: string;
  readonly contentText: string;
}

/** Entries in the order given (newest incident first). */
export function feedEntries(context: FeedContext, incidents: readonly Incident[]): FeedEntry[] {
  return incidents.map((incident) => {
    const affected = incident.monitorIds.map((id) => context.monitorName(id) ?? id);
    const stateLine =
      incident.resolvedAt === undefined
        ? `Ongoing since ${humanTime(incident.startedAt)}.`
        : `Resolved ${humanTime(incident.resolvedAt)} after ${formatDuration(incident.resolvedAt - incident.startedAt)} (started ${humanTime(incident.startedAt)}).`;
    const affectedLine = `Affected: ${affected.join(', ')}.`;
    const timeline = [...incident.timeline].reverse();
    const contentHtml = [
      `<p>${escapeHtml(stateLine)}</p>`,
      `<p>${escapeHtml(affectedLine)}</p>`,
      '<ul>',
      ...timeline.map((entry) => `<li><time datetime="${iso(entry.at)}">${humanTime(entry.at)}</time>: ${entryHtml(entry)}</li>`),
      '</ul>',
    ].join('\n');
    const contentText = [stateLine, affectedLine, '', ...timeline.map((entry) => `${humanTime(entry.at)}: ${entry.message}`)].join('\n');
    return {
      id: `urn:candor:incident:${incident.id}`,
      url: context.incidentUrl(incident.id),
      title: `${incident.title} (${incident.state === 'open' ? 'ongoing' : 'resolved'})`,
      state: incident.state,
      publishedAt: incident.startedAt,
      updatedAt: lastActivityAt(incident),
      summary: `${stateLine} ${affectedLine}`,
      contentHtml,
      contentText,
    };
  });
}

const feedTitle = (page: StatusPageSpec) => `${page.title}: incidents`;
const feedDescription = (page: StatusPageSpec) => page.description ?? `Incidents observed by Candor on ${page.title}`;

function xmlFeed(context: FeedContext, incidents: readonly Incident[]): Feed {
  const entries = feedEntries(context, incidents);
  const feed = new Feed({
    id: `urn:candor:page:${context.page.slug}`,
    title: xmlText(feedTitle(context.page)),
    description: xmlText(feedDescription(context.page)),
    link: context.pageUrl,
    feedLinks: { atom: context.feedUrls.atom, rss: context.feedUrls.rss, json: context.feedUrls.json },
    updated: new Date(newestUpdate(entries, context.now)),
    generator: 'Candor',
    ttl: 1,
  });
  for (const entry of entries) {
    // Atom declares titles and summaries type="html" and readers render RSS titles as HTML too: escape them as HTML.
    feed.addItem({
      id: entry.id,
      title: escapeHtml(entry.title),
      link: entry.url,
      date: new Date(entry.updatedAt),
      published: new Date(entry.publishedAt),
      description: escapeHtml(entry.summary),
      content: entry.contentHtml,
      category: [{ name: entry.state, term: entry.state }],
    });
  }
  return feed;
}

export function atomFeed(context: FeedContext, incidents: readonly Incident[]): string {
  return xmlFeed(context, incidents).atom1();
}

export function rssFeed(context: FeedContext, incidents: readonly Incident[]): string {
  return xmlFeed(context, incidents).rss2();
}

/** JSON Feed 1.1 (https://jsonfeed.org/version/1.1); `feed` only writes 1.0. */
export function jsonFeed(context: FeedContext, incidents: readonly Incident[]) {
  return {
    version: 'https://jsonfeed.org/version/1.1',
    title: feedTitle(context.page),
    home_page_url: context.pageUrl,
    feed_url: context.feedUrls.json,
    description: feedDescription(context.page),
    items: feedEntries(context, incidents).map((entry) => ({
      id: entry.id,
      url: entry.url,
      title: entry.title,
      summary: entry.summary,
      content_html: entry.contentHtml,
      content_text: entry.contentText,
      date_published: iso(entry.publishedAt),
      date_modified: iso(entry.updatedAt),
      tags: [entry.state],
    })),
  };
}

function newestUpdate(entries: readonly FeedEntry[], fallback: number): number {
  return entries.length === 0 ? fallback : Math.max(...entries.map((e) => e.updatedAt));
}

/** "2026-03-10 10:00:00 UTC": the same for every reader, whatever their locale. */
export function humanTime(ms: number): string {
  return `${iso(ms).slice(0, 19).replace('T', ' ')} UTC`;
}

