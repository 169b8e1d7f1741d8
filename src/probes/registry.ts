// One entry point for the scheduler: dispatch a spec to its probe, and make sure a bug inside a
// probe becomes an `internal` outcome instead of an exception that could stop the scheduler.
import { performance } from 'node:perf_hooks';
import type { ProbeSpec } from '../domain/monitor.js';
import type { Clock } from '../runtime/clock.js';
import { createDnsProbe, type DnsProbeDeps } from './dns.js';
import { roundMs } from './errors.js';
import { createHttpProbe } from './http.js';
import { createTcpProbe } from './tcp.js';
import { createTlsProbe } from './tls.js';
import type { Probe, ProbeOutcome, ProbeRunOptions } from './types.js';

export interface ProbeRegistry {
  run(spec: ProbeSpec, options: ProbeRunOptions): Promise<ProbeOutcome>;
}

export interface ProbeDeps {
  readonly clock?: Clock;
  readonly systemResolvers?: DnsProbeDeps['systemResolvers'];
}

type ProbesByType = { [T in ProbeSpec['type']]: Probe<Extract<ProbeSpec, { type: T }>> };

export function createProbes(deps: ProbeDeps = {}, probes?: Partial<ProbesByType>): ProbeRegistry {
  const byType: ProbesByType = {
    http: probes?.http ?? createHttpProbe(),
    tcp: probes?.tcp ?? createTcpProbe(),
    dns: probes?.dns ?? createDnsProbe(deps.systemResolvers ? { systemResolvers: deps.systemResolvers } : {}),
    tls: probes?.tls ?? createTlsProbe(deps.clock ? { clock: deps.clock } : {}),
  };
  return {
    async run(spec, options) {
      const startedAt = performance.now();
      try {
        const probe = byType[spec.type] as Probe<ProbeSpec> | undefined;
        if (!probe) throw new Error(`no probe for type ${JSON.stringify((spec as { type?: unknown }).type)}`);
        return await probe.run(spec, options);
      } catch (error) {
        // A probe threw: that is a bug in Candor, reported as data so the scheduler keeps going.
        const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        return {
          ok: false,
          error: { kind: 'internal', message: `probe ${spec.type} failed unexpectedly: ${message}` },
          phases: { total: roundMs(performance.now() - startedAt) },
          details: { type: spec.type },
        };
      }
    },
  };
}
