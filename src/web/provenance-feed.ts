// The Atom feed of provenance changes (through `feed`), one entry per change. Pure.
import { Feed } from 'feed';
import type { StatusPageSpec } from '../domain/monitor.js';
import { describeChange, type ProvenanceChange } from '../provenance/changes.js';
import { iso } from '../read/serialise.js';
import { humanTime } from './feeds.js';
import { escapeHtml, xmlText } from './xml-text.js';

export interface ChangeFeedContext {
  readonly page: StatusPageSpec;
  /** Absolute URLs of the HTML page listing the changes and of this feed. */
  readonly pageUrl: string;
  readonly feedUrl: string;
  monitorUrl(id: string): string;
  monitorName(id: string): string | undefined;
  readonly now: number;
}

/** Changes newest first. */
export function changesAtomFeed(context: ChangeFeedContext, changes: readonly ProvenanceChange[]): string {
  const feed = new Feed({
    id: `urn:candor:page:${context.page.slug}:provenance`,
    title: xmlText(`${context.page.title}: where it is served from`),
    description: xmlText(`Changes of addresses, networks, countries, CDNs and certificates seen by Candor on ${context.page.title}`),
    link: context.pageUrl,
    feedLinks: { atom: context.feedUrl },
    updated: new Date(changes[0]?.at ?? context.now),
    generator: 'Candor',
    copyright: 'Network data: ip-location-db, CC BY 4.0',
  });
  for (const change of changes) {
    const name = context.monitorName(change.monitorId) ?? change.monitorId;
    const line = `${name}: ${describeChange(change)} (seen from ${change.vantage})`;
    feed.addItem({
      id: `urn:candor:provenance-change:${change.id}`,
      title: escapeHtml(line),
      link: context.monitorUrl(change.monitorId),
      date: new Date(change.at),
      description: escapeHtml(`${line}, ${humanTime(change.at)}.`),
      content: `<p><time datetime="${iso(change.at)}">${humanTime(change.at)}</time>: ${escapeHtml(line)}</p>`,
      category: [{ name: change.kind, term: change.kind }],
    });
  }
  return feed.atom1();
}
