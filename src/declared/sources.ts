// The declared sources of a config: monitors naming the same page share one source, polled at the
// shortest interval any of them asks for, for every scope (overall and components) any of them reads.
import { declaredSourceId, type DeclaredSourceType } from '../domain/declared.js';
import type { MonitorSpec } from '../domain/monitor.js';

export interface DeclaredSource {
  readonly id: string;
  readonly type: DeclaredSourceType;
  readonly url: string;
  readonly intervalMs: number;
  /** "" (the overall status) and the component names monitors read. */
  readonly scopes: readonly string[];
  /** The monitors declaring it, with the scope each reads. */
  readonly monitors: readonly { readonly monitorId: string; readonly scope: string }[];
}

export function declaredSources(monitors: readonly MonitorSpec[]): DeclaredSource[] {
  const byId = new Map<string, { id: string; type: DeclaredSourceType; url: string; intervalMs: number; scopes: Set<string>; monitors: { monitorId: string; scope: string }[] }>();
  for (const monitor of monitors) {
    const spec = monitor.declared;
    if (!spec) continue;
    const id = declaredSourceId(spec.type, spec.url);
    const source = byId.get(id) ?? { id, type: spec.type, url: spec.url, intervalMs: spec.intervalMs, scopes: new Set(['']), monitors: [] };
    source.intervalMs = Math.min(source.intervalMs, spec.intervalMs);
    const scope = spec.component ?? '';
    source.scopes.add(scope);
    source.monitors.push({ monitorId: monitor.id, scope });
    byId.set(id, source);
  }
  return [...byId.values()].map((s) => ({ ...s, scopes: [...s.scopes] }));
}
