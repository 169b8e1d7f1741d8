// Response time as a small inline SVG: p50 (solid) and p95 (dashed) per bucket, gaps where nothing was
// checked. No script, no library; role="img" with a summary, and optionally the numbers as a table.
import type { LatencyPoint } from '../read/status-page.js';
import { formatLatency } from './format.js';
import { html, trusted, type Html } from './html.js';

const STEP = 10;
const HEIGHT = 48;

/** A round upper bound for the y axis: 1, 2 or 5 times a power of ten, at least `max`. */
export function niceCeiling(max: number): number {
  if (!(max > 0)) return 100;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const factor of [1, 2, 5, 10]) if (factor * power >= max) return factor * power;
  return 10 * power;
}

/** SVG path data through the points, broken where a value is missing; a lone point is a short flat stroke. */
function linePath(values: readonly (number | null)[], yMax: number): string {
  // Built as it goes (no arrays of points): drawn for every monitor of a page on every render.
  let path = '';
  let run = '';
  let runLength = 0;
  let lone = '';
  const end = () => {
    path += runLength === 1 ? lone : run;
    run = '';
    runLength = 0;
  };
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value === null || value === undefined) {
      if (runLength > 0) end();
      continue;
    }
    const y = Math.round((HEIGHT - (Math.min(value, yMax) / yMax) * HEIGHT) * 10) / 10;
    const x = i * STEP + STEP / 2;
    if (runLength === 0) lone = `M${x - STEP / 2} ${y}L${x + STEP / 2} ${y}`;
    run += `${runLength === 0 ? 'M' : 'L'}${x} ${y}`;
    runLength++;
  }
  if (runLength > 0) end();
  return path;
}

export interface LatencyChartOptions {
  /** e.g. "last 24 hours". */
  readonly span: string;
  readonly tall?: boolean;
  /** Adds the numbers as a table under the chart (label formatter for the bucket start). */
  readonly table?: (start: number) => string;
}

export function latencySummary(points: readonly LatencyPoint[], span: string): string {
  const p50s = points.map((p) => p.p50Ms).filter((v): v is number => v !== null);
  const p95s = points.map((p) => p.p95Ms).filter((v): v is number => v !== null);
  if (p50s.length === 0) return `Response time, ${span}: no data.`;
  const latest = p50s.at(-1) as number;
  return `Response time, ${span}: median (p50) latest ${formatLatency(latest)}, lowest ${formatLatency(Math.min(...p50s))}, highest ${formatLatency(Math.max(...p50s))}; p95 highest ${formatLatency(Math.max(...p95s))}.`;
}

export function latencyChart(points: readonly LatencyPoint[], options: LatencyChartOptions): Html {
  const summary = latencySummary(points, options.span);
  // Without a single measured point there is nothing to draw: no axes, no scale, just the fact.
  if (points.every((p) => p.p50Ms === null)) {
    return html`<figure class="chart empty${options.tall ? ' tall' : ''}"><p class="no-data">No data</p><figcaption><span>Response time, ${options.span}: no measurements</span></figcaption></figure>`;
  }
  const peak = Math.max(0, ...points.map((p) => p.p95Ms ?? 0));
  const yMax = niceCeiling(peak);
  const width = points.length * STEP;
  const p50 = linePath(points.map((p) => p.p50Ms), yMax);
  const p95 = linePath(points.map((p) => p.p95Ms), yMax);
  const table = options.table;
  return html`<figure class="chart${options.tall ? ' tall' : ''}">
<svg viewBox="0 0 ${width} ${HEIGHT}" preserveAspectRatio="none" role="img" aria-label="${summary}"><line class="grid" x1="0" y1="${HEIGHT}" x2="${width}" y2="${HEIGHT}"/><line class="grid" x1="0" y1="0" x2="${width}" y2="0"/>${p95 ? trusted(`<path class="p95" d="${p95}"/>`) : ''}${p50 ? trusted(`<path class="p50" d="${p50}"/>`) : ''}</svg>
<figcaption><span>Response time, ${options.span}</span><span><span class="key"></span>p50</span><span><span class="key p95"></span>p95</span><span>top line ${formatLatency(yMax)}</span></figcaption>
</figure>${
    table
      ? html`<details class="data"><summary>Response times as a table</summary><div class="table-wrap" tabindex="0" role="region" aria-label="Table of response times, ${options.span}"><table><thead><tr><th scope="col">From</th><th scope="col" class="num">Checks</th><th scope="col" class="num">p50</th><th scope="col" class="num">p95</th></tr></thead><tbody>${points.map(
          (p) => html`<tr><td>${table(p.start)}</td><td class="num">${p.checks}</td><td class="num">${formatLatency(p.p50Ms)}</td><td class="num">${formatLatency(p.p95Ms)}</td></tr>`,
        )}</tbody></table></div></details>`
      : ''
  }`;
}
