// One entry point for the scheduler: dispatch a spec to its probe, make sure a bug inside a probe
// becomes an `internal` outcome instead of an exception that could stop the scheduler, and redact
// secrets from what the outcome shows before it is stored or printed anywhere.
import { performance } from 'node:perf_hooks';
import type { ProbeSpec } from '../domain/monitor.js';
import { createRedactor, redactDetails, type Redactor } from '../domain/redaction.js';
import type { Clock } from '../runtime/clock.js';
import { createDnsProbe, type DnsProbeDeps } from './dns.js';
import { roundMs, type HostLookup } from './errors.js';
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
  /** Values no outcome may show (the config's secrets, see src/config/secrets.ts). */
  readonly secrets?: readonly string[];
  /** How http, tcp and tls checks resolve names; default the system's (getaddrinfo). */
  readonly lookup?: HostLookup;
}

type ProbesByType = { [T in ProbeSpec['type']]: Probe<Extract<ProbeSpec, { type: T }>> };

export function createProbes(deps: ProbeDeps = {}, probes?: Partial<ProbesByType>): ProbeRegistry {
  const lookup = deps.lookup ? { lookup: deps.lookup } : {};
  const byType: ProbesByType = {
    http: probes?.http ?? createHttpProbe(lookup),
    tcp: probes?.tcp ?? createTcpProbe(lookup),
    dns: probes?.dns ?? createDnsProbe(deps.systemResolvers ? { systemResolvers: deps.systemResolvers } : {}),
    tls: probes?.tls ?? createTlsProbe({ ...(deps.clock ? { clock: deps.clock } : {}), ...lookup }),
  };
  const redactor = createRedactor(deps.secrets ?? []);
  return {
    async run(spec, options) {
      const startedAt = performance.now();
      try {
        const probe = byType[spec.type] as Probe<ProbeSpec> | undefined;
        if (!probe) throw new Error(`no probe for type ${JSON.stringify((spec as { type?: unknown }).type)}`);
        return redactOutcome(await probe.run(spec, options), redactor);
      } catch (error) {
        // A probe threw: that is a bug in Candor, reported as data so the scheduler keeps going.
        const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        return {
          ok: false,
          error: { kind: 'internal', message: redactor.text(`probe ${spec.type} failed unexpectedly: ${message}`) },
          phases: { total: roundMs(performance.now() - startedAt) },
          details: { type: spec.type },
        };
      }
    },
  };
}

/** Error messages quote URLs and locations; details keep redirects, headers and body excerpts. */
function redactOutcome(outcome: ProbeOutcome, redactor: Redactor): ProbeOutcome {
  return {
    ...outcome,
    ...(outcome.error ? { error: { ...outcome.error, message: redactor.text(outcome.error.message) } } : {}),
    details: redactDetails(outcome.details, redactor),
  };
}
