// Sets of half-open time intervals [from, to), kept sorted and disjoint. Pure.
export interface Span {
  readonly from: number;
  readonly to: number;
}

/** Sorted, merged, empty spans dropped. */
export function normalise(spans: readonly Span[]): Span[] {
  const sorted = spans.filter((s) => s.to > s.from).sort((a, b) => a.from - b.from);
  const merged: Span[] = [];
  for (const span of sorted) {
    const last = merged[merged.length - 1];
    if (last && span.from <= last.to) merged[merged.length - 1] = { from: last.from, to: Math.max(last.to, span.to) };
    else merged.push({ from: span.from, to: span.to });
  }
  return merged;
}

export function intersect(a: readonly Span[], b: readonly Span[]): Span[] {
  const x = normalise(a);
  const y = normalise(b);
  const out: Span[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    const from = Math.max(x[i]!.from, y[j]!.from);
    const to = Math.min(x[i]!.to, y[j]!.to);
    if (to > from) out.push({ from, to });
    if (x[i]!.to < y[j]!.to) i++;
    else j++;
  }
  return out;
}

export function subtract(a: readonly Span[], b: readonly Span[]): Span[] {
  let rest = normalise(a);
  for (const cut of normalise(b)) {
    rest = rest.flatMap((span) => {
      if (cut.to <= span.from || cut.from >= span.to) return [span];
      const parts: Span[] = [];
      if (cut.from > span.from) parts.push({ from: span.from, to: cut.from });
      if (cut.to < span.to) parts.push({ from: cut.to, to: span.to });
      return parts;
    });
  }
  return rest;
}

export function totalMs(spans: readonly Span[]): number {
  return normalise(spans).reduce((sum, s) => sum + (s.to - s.from), 0);
}

export function clip(spans: readonly Span[], window: Span): Span[] {
  return intersect(spans, [window]);
}
