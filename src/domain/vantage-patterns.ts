// Which vantages check a monitor: `vantages: [a1, eu-*]` in the config, matched against vantage names
// and regions (`eu-*` takes every vantage whose name or region starts with eu-).
// `*` stands for any run of characters (none included); nothing else is special. Pure.

/** A vantage name: lower-case letters, digits and -, like a monitor id. */
export const VANTAGE_NAME = /^[a-z0-9-]{1,64}$/;

/** A pattern: a vantage name in which `*` may stand for any run of characters. */
export const VANTAGE_PATTERN = /^[a-z0-9*-]{1,64}$/;

export function matchesVantage(pattern: string, vantage: string): boolean {
  if (!pattern.includes('*')) return pattern === vantage;
  const parts = pattern.split('*');
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (!vantage.startsWith(first) || vantage.length < first.length + last.length || !vantage.endsWith(last)) return false;
  // Each middle part must appear, in order, between the fixed ends; the leftmost match leaves most room.
  let at = first.length;
  const end = vantage.length - last.length;
  for (const part of parts.slice(1, -1)) {
    const found = vantage.indexOf(part, at);
    if (found === -1 || found + part.length > end) return false;
    at = found + part.length;
  }
  return true;
}

/** True when a monitor with these patterns (absent: every vantage) is checked from `vantage`, by its name or its region. */
export function checkedFrom(patterns: readonly string[] | undefined, vantage: string, region?: string): boolean {
  return patterns === undefined || patterns.some((pattern) => matchesVantage(pattern, vantage) || (region !== undefined && matchesVantage(pattern, region)));
}

/**
 * Monitors whose quorum is larger than the vantages known now that check them: they can be partial,
 * never down, until more vantages are added. Not an error (agents come later), but worth saying.
 */
export function unreachableQuorums(
  monitors: Iterable<{ readonly id: string; readonly quorum?: number; readonly vantages?: readonly string[] }>,
  known: readonly { readonly name: string; readonly region?: string }[],
): { monitorId: string; quorum: number; vantages: number }[] {
  const found: { monitorId: string; quorum: number; vantages: number }[] = [];
  for (const monitor of monitors) {
    if (monitor.quorum === undefined) continue;
    const checking = known.filter((v) => checkedFrom(monitor.vantages, v.name, v.region)).length;
    if (monitor.quorum > checking) found.push({ monitorId: monitor.id, quorum: monitor.quorum, vantages: checking });
  }
  return found;
}
