// A loopback server playing a platform's status page from a script: a Statuspage v2 summary.json and
// an Atom history feed, both changed by the test as its story goes on. Answers conditional requests.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startHttpServer, type RunningHttpServer } from './loopback-servers.js';

export interface ScriptedIncident {
  id: string;
  name: string;
  createdAt: number;
  resolvedAt?: number;
  components?: string[];
}

export interface ScriptedPage {
  indicator: 'none' | 'minor' | 'major' | 'critical' | 'maintenance';
  components: { name: string; status: string; updatedAt: number }[];
  incidents: ScriptedIncident[];
  updatedAt: number;
}

export interface StatusPageServer extends RunningHttpServer {
  page: ScriptedPage;
  /** Requests seen, with whether they carried If-None-Match. */
  readonly requests: { path: string; conditional: boolean; userAgent: string }[];
  /** Replaces the answer to one path (garbage, hangs, redirects...). */
  override(path: string, handler: ((request: IncomingMessage, response: ServerResponse) => void) | undefined): void;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function summaryJson(page: ScriptedPage): unknown {
  return {
    page: { id: 'p1', name: 'Example', url: 'https://status.example', time_zone: 'Etc/UTC', updated_at: iso(page.updatedAt) },
    status: { indicator: page.indicator, description: page.indicator === 'none' ? 'All Systems Operational' : 'Trouble' },
    components: page.components.map((c, i) => ({ id: `c${i}`, name: c.name, status: c.status, updated_at: iso(c.updatedAt), created_at: iso(0), position: i, group: false })),
    incidents: page.incidents
      .filter((i) => i.resolvedAt === undefined)
      .map((i) => ({
        id: i.id,
        name: i.name,
        status: 'investigating',
        impact: 'major',
        created_at: iso(i.createdAt),
        updated_at: iso(i.createdAt),
        started_at: iso(i.createdAt),
        resolved_at: null,
        shortlink: `https://stspg.example/${i.id}`,
        incident_updates: [{ id: `${i.id}-u1`, status: 'investigating', body: 'We are investigating.', created_at: iso(i.createdAt), display_at: iso(i.createdAt) }],
        components: (i.components ?? []).map((name) => ({ name })),
      })),
    scheduled_maintenances: [],
  };
}

export function atomFeed(page: ScriptedPage): string {
  const entries = page.incidents
    .map((i) => {
      const text = i.resolvedAt !== undefined ? `&lt;p&gt;&lt;strong&gt;Resolved&lt;/strong&gt; - fixed.&lt;/p&gt;` : `&lt;p&gt;&lt;strong&gt;Investigating&lt;/strong&gt; - looking into it.&lt;/p&gt;`;
      return `<entry><id>tag:status.example,2026:Incident/${i.id}</id><published>${iso(i.createdAt)}</published><updated>${iso(i.resolvedAt ?? i.createdAt)}</updated><link rel="alternate" type="text/html" href="https://status.example/incidents/${i.id}"/><title>${i.name}</title><content type="html">${text}</content></entry>`;
    })
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><feed xml:lang="en-US" xmlns="http://www.w3.org/2005/Atom"><id>tag:status.example,2026:/history</id><title>Example Status - Incident History</title><updated>${iso(page.updatedAt)}</updated>${entries}</feed>`;
}

export async function startStatusPageServer(initial: ScriptedPage): Promise<StatusPageServer> {
  const overrides = new Map<string, (request: IncomingMessage, response: ServerResponse) => void>();
  const requests: StatusPageServer['requests'] = [];
  const state = { page: initial };
  const server = await startHttpServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0]!;
    requests.push({ path, conditional: request.headers['if-none-match'] !== undefined, userAgent: String(request.headers['user-agent'] ?? '') });
    const override = overrides.get(path);
    if (override) return override(request, response);
    let body: string;
    let type: string;
    if (path === '/api/v2/summary.json') {
      body = JSON.stringify(summaryJson(state.page));
      type = 'application/json';
    } else if (path === '/history.atom') {
      body = atomFeed(state.page);
      type = 'application/atom+xml';
    } else {
      response.writeHead(404).end();
      return;
    }
    const etag = `"${Buffer.from(body).toString('base64').length}-${hash(body)}"`;
    if (request.headers['if-none-match'] === etag) {
      response.writeHead(304, { etag }).end();
      return;
    }
    response.writeHead(200, { 'content-type': type, etag }).end(body);
  });
  return {
    ...server,
    get page() {
      return state.page;
    },
    set page(page: ScriptedPage) {
      state.page = page;
    },
    requests,
    override(path, handler) {
      if (handler) overrides.set(path, handler);
      else overrides.delete(path);
    },
  };
}

function hash(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return h >>> 0;
}
