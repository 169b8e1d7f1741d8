// The TCP probe: connect, optionally send a line, optionally wait for a banner containing some text.
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import type { TcpProbeSpec } from '../domain/monitor.js';
import {
  Deadline,
  ProbeFailure,
  bareHost,
  excerpt,
  failedOutcome,
  fixedLookup,
  okOutcome,
  resolveHost,
  roundMs,
  toProbeFailure,
  type HostLookup,
  type ProbeStage,
} from './errors.js';
import type { Probe, ProbeOutcome, ProbeRunOptions } from './types.js';
import type { Phases, TcpDetails } from '../domain/observation.js';

/** Bytes of banner kept while looking for expectBanner; a service talking longer than this has answered. */
const MAX_BANNER_BYTES = 64 * 1024;

interface TcpProgress {
  stage: ProbeStage;
  phases: Omit<Phases, 'total'>;
  peerAddress?: string;
  received: Buffer;
}

function connectAndTalk(spec: TcpProbeSpec, deadline: Deadline, progress: TcpProgress, connectStartedAt: number,
  lookup: ReturnType<typeof fixedLookup>): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const socket = net.connect({ host: bareHost(spec.host), port: spec.port, lookup: lookup as unknown as net.LookupFunction });
    const settle = (error?: unknown): void => {
      if (settled) return;
      settled = true;
      stopWaiting();
      socket.destroy();
      if (error === undefined) resolve();
      else reject(error);
    };
    const onAbort = (): void => settle(noBannerFailure(spec, deadline, progress));
    const stopWaiting = deadline.onExpire(onAbort);
    if (deadline.expired) onAbort();

    socket.on('error', (error) => settle(toProbeFailure(error, progress.stage, deadline)));
    socket.once('connect', () => {
      progress.phases.connect = roundMs(performance.now() - connectStartedAt);
      progress.peerAddress = socket.remoteAddress;
      progress.stage = 'response';
      if (spec.send !== undefined) socket.write(spec.send);
      if (spec.expectBanner === undefined) {
        // Nothing to wait for; a half-close lets the peer see a polite goodbye after `send`.
        socket.end(() => settle());
      }
    });
    socket.on('data', (chunk: Buffer) => {
      if (progress.phases.ttfb === undefined) progress.phases.ttfb = roundMs(performance.now() - deadline.startedAt);
      progress.received = Buffer.concat([progress.received, chunk]);
      if (spec.expectBanner === undefined) return;
      if (progress.received.toString('utf8').includes(spec.expectBanner)) settle();
      else if (progress.received.length >= MAX_BANNER_BYTES) settle(bannerMismatch(spec, progress, `received ${MAX_BANNER_BYTES} bytes`));
    });
    socket.on('end', () => {
      if (spec.expectBanner !== undefined) settle(bannerMismatch(spec, progress, 'connection closed'));
    });
    socket.on('close', () => {
      if (spec.expectBanner !== undefined) settle(bannerMismatch(spec, progress, 'connection closed'));
      else settle();
    });
  });
}

function bannerMismatch(spec: TcpProbeSpec, progress: TcpProgress, why: string): ProbeFailure {
  const got = progress.received.length === 0 ? 'nothing' : JSON.stringify(excerpt(progress.received, 256));
  return new ProbeFailure('banner_mismatch', `${why}: expected banner containing ${JSON.stringify(spec.expectBanner)}, received ${got}`);
}

/** A deadline while waiting for a banner: a mismatch if the peer said something else, a timeout if it said nothing. */
function noBannerFailure(spec: TcpProbeSpec, deadline: Deadline, progress: TcpProgress): ProbeFailure {
  if (progress.stage === 'response' && progress.received.length > 0 && spec.expectBanner !== undefined) {
    return bannerMismatch(spec, progress, `no match within ${deadline.timeoutMs} ms`);
  }
  return deadline.failureAt(progress.stage);
}

export function createTcpProbe(deps: { readonly lookup?: HostLookup } = {}): Probe<TcpProbeSpec> {
  return {
    type: 'tcp',
    async run(spec: TcpProbeSpec, options: ProbeRunOptions): Promise<ProbeOutcome> {
      const deadline = new Deadline(options);
      const progress: TcpProgress = { stage: 'dns', phases: {}, received: Buffer.alloc(0) };
      const phasesNow = (): Phases => ({ ...progress.phases, total: deadline.elapsedMs() });
      try {
        const resolved = await resolveHost(spec.host, deadline, { ...deps, publicOnly: options.publicTargetsOnly });
        if (resolved.dnsMs !== undefined) progress.phases.dns = resolved.dnsMs;
        // The address tried first: kept as evidence even when the connection then fails.
        progress.peerAddress = resolved.addresses[0]?.address;
        progress.stage = 'connect';
        await connectAndTalk(spec, deadline, progress, performance.now(), fixedLookup(resolved));
        return okOutcome(phasesNow(), tcpDetails(progress.received), progress.peerAddress);
      } catch (error) {
        const failure = toProbeFailure(error, progress.stage, deadline);
        return failedOutcome(failure.toProbeError(), phasesNow(), tcpDetails(progress.received), progress.peerAddress);
      } finally {
        deadline.dispose();
      }
    },
  };
}

function tcpDetails(received: Buffer): TcpDetails {
  return { type: 'tcp', bytesReceived: received.length, ...(received.length > 0 ? { bannerExcerpt: excerpt(received, 512) } : {}) };
}
