// Just enough of the Prometheus text format to read a few unlabelled series back from /metrics.

/** Value of an unlabelled sample `name value`, or of the sum of all its labelled samples. */
export function sampleValue(text: string, name: string): number | undefined {
  let total: number | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!match || match[1] !== name) continue;
    total = (total ?? 0) + Number(match[3]);
  }
  return total;
}

export interface HistogramSummary {
  readonly count: number;
  readonly sumSeconds: number;
  /** Smallest bucket bound holding every observation, seconds ("+Inf" when beyond the last bound). */
  readonly maxBound: number | '+Inf';
}

export function histogramSummary(text: string, name: string): HistogramSummary | undefined {
  const count = sampleValue(text, `${name}_count`);
  const sumSeconds = sampleValue(text, `${name}_sum`);
  if (count === undefined || sumSeconds === undefined) return undefined;
  let maxBound: number | '+Inf' = '+Inf';
  for (const line of text.split('\n')) {
    const match = new RegExp(`^${name}_bucket\\{le="([^"]+)"\\}\\s+(\\S+)`).exec(line);
    if (match && Number(match[2]) >= count && match[1] !== '+Inf') {
      maxBound = Math.min(maxBound === '+Inf' ? Infinity : maxBound, Number(match[1]));
    }
  }
  return { count, sumSeconds, maxBound };
}
