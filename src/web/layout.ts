// The page shell: landmarks, skip link, header with the page's title, logo and links, footer naming the
// time zone, and the hooks the live-update script reads (data-live-url, data-fingerprint, data-refresh-seconds).
import type { StatusPageSpec } from '../domain/monitor.js';
import { pageAssets } from './assets.js';
import { html, safeHref, type Html } from './html.js';
import { iconSprite } from './status-tone.js';
import type { TimeFormat } from './format.js';

export interface PagePaths {
  /** "" for the default page at /, "/s/SLUG" for the others. */
  readonly base: string;
  readonly home: string;
  readonly history: string;
  readonly live: string;
  /** Where every monitor is served from, and its changes (and their Atom feed). */
  readonly provenance: string;
  readonly provenanceFeed: string;
  incident(id: string): string;
  monitor(id: string): string;
  /** The Transparency page, when a monitor of the config reads a platform's own status page. */
  readonly transparency?: string;
}

export function pagePaths(page: StatusPageSpec, atRoot: boolean): PagePaths {
  const base = atRoot ? '' : `/s/${page.slug}`;
  return {
    base,
    home: base || '/',
    history: `${base}/history`,
    live: `/s/${page.slug}/live.json`,
    provenance: `${base}/provenance`,
    provenanceFeed: `${base}/provenance.atom`,
    incident: (id) => `${base}/incidents/${encodeURIComponent(id)}`,
    monitor: (id) => `${base}/monitors/${encodeURIComponent(id)}`,
  };
}

export interface LayoutOptions {
  readonly page: StatusPageSpec;
  readonly paths: PagePaths;
  /** The document title's first part; the page title follows. */
  readonly title?: string;
  readonly current: 'home' | 'history' | 'transparency' | 'provenance' | 'other';
  readonly times: TimeFormat;
  readonly now: number;
  /** Present on pages that keep themselves current. */
  readonly live?: { readonly fingerprint: string; readonly refreshSeconds: number };
  readonly main: Html;
}

export function layout(options: LayoutOptions): Html {
  const { page, paths, times, now } = options;
  const assets = pageAssets();
  const documentTitle = options.title ? `${options.title} · ${page.title}` : page.title;
  const logo = page.logo !== undefined ? safeHref(page.logo) : undefined;
  const links = page.links.flatMap((link) => {
    const href = safeHref(link.url);
    return href ? [html`<li><a href="${href}" rel="noopener">${link.title}</a></li>`] : [];
  });
  const live = options.live;
  return html`<!doctype html>
<html lang="en" data-theme="${page.theme}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${documentTitle}</title>
${page.description !== undefined ? html`<meta name="description" content="${page.description}">` : ''}
<meta name="color-scheme" content="${page.theme === 'auto' ? 'light dark' : page.theme}">
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${assets.css.path}">
<script src="${assets.js.path}" defer></script>
</head>
<body${live ? html` data-live-url="${paths.live}" data-fingerprint="${live.fingerprint}" data-refresh-seconds="${live.refreshSeconds}"` : ''}>
<a class="skip" href="#main">Skip to content</a>
${iconSprite()}
<header class="site"><div class="wrap">
<a class="brand" href="${paths.home}">${logo ? html`<img src="${logo}" alt="" width="32" height="32">` : ''}<span>${page.title}</span></a>
<nav aria-label="Status page"><ul>
<li><a href="${paths.home}"${options.current === 'home' ? html` aria-current="page"` : ''}>Status</a></li>
<li><a href="${paths.history}"${options.current === 'history' ? html` aria-current="page"` : ''}>Incident history</a></li>
<li><a href="${paths.provenance}"${options.current === 'provenance' ? html` aria-current="page"` : ''}>Infrastructure</a></li>
${paths.transparency ? html`<li><a href="${paths.transparency}"${options.current === 'transparency' ? html` aria-current="page"` : ''}>Transparency</a></li>` : ''}
${links}
</ul></nav>
</div></header>
<main id="main" tabindex="-1"><div class="wrap">
${options.main}
</div></main>
<footer><div class="wrap">
<p>Times are shown in ${page.timezone} (${times.zoneName(now)}). Each uptime bar is a day there.</p>
<p>Checked independently by Candor.</p>
${page.subscribe ? html`<p><a href="/subscribe?page=${page.slug}">Subscribe to updates</a></p>` : ''}
</div></footer>
<div id="live-region" class="sr-only" aria-live="polite" aria-atomic="true"></div>
</body>
</html>
`;
}
