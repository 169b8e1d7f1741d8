// HTML error pages for people (404, 500): never a stack trace; API clients get problem+json instead.
import type { StatusPageSpec } from '../../domain/monitor.js';
import { timeFormat } from '../format.js';
import { html, type Html } from '../html.js';
import { layout, pagePaths, type PagePaths } from '../layout.js';

export interface ErrorPageOptions {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  /** The status page the error happened on, when known; else a plain page. */
  readonly page?: StatusPageSpec;
  readonly paths?: PagePaths;
  readonly now: number;
}

const FALLBACK_PAGE: StatusPageSpec = { slug: 'main', title: 'Status', links: [], theme: 'auto', timezone: 'UTC', components: [], isDefault: true };

export function renderErrorPage(options: ErrorPageOptions): Html {
  const page = options.page ?? FALLBACK_PAGE;
  const paths = options.paths ?? pagePaths(page, true);
  const main = html`<div class="error-page">
<p class="code">${options.status}</p>
<h1 class="page-title">${options.title}</h1>
<p>${options.detail}</p>
<p><a href="${paths.home}">Go to the status page</a></p>
</div>`;
  return layout({ page, paths, title: options.title, current: 'other', times: timeFormat(page.timezone), now: options.now, main });
}
