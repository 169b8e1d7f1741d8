// Prometheus metrics, on a registry owned by the app (no global default registry).
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { MonitorState } from '../domain/state.js';
import type { Observation } from '../domain/observation.js';
import { TwoLabelCounter, TwoLabelHistogram } from './per-check.js';

const PHASES = ['dns', 'connect', 'tls', 'ttfb', 'total'] as const;

export interface Metrics {
  readonly registry: Registry;
  /** `degraded`: passed, but slower than the monitor's degradedAfter. */
  observeCheck(observation: Observation, probeType: string, degraded: boolean): void;
  observeLateness(latenessMs: number): void;
  observeSkipped(): void;
  observeFlush(durationMs: number, results: number): void;
  /** A write to the database failed (`operation`: batch, prune, or connection for a lost idle one). */
  observeStorageError(operation: 'batch' | 'prune' | 'connection'): void;
}

/** `states` is read at scrape time, so the gauges always show the current state. */
export function createMetrics(states: () => Iterable<MonitorState>, vantageImpaired: () => boolean = () => false): Metrics {
  const registry = new Registry();
  new Gauge({
    name: 'candor_vantage_impaired',
    help: '1 while every recent check failed before reaching its target (this machine\'s network looks down); outages are then not confirmed',
    registers: [registry],
    collect() {
      this.set(vantageImpaired() ? 1 : 0);
    },
  });
  new Gauge({
    name: 'candor_monitor_up',
    help: '1 when the monitor is up or degraded, 0 when down; absent while pending, partly down (status partial), paused or in maintenance',
    labelNames: ['monitor'],
    registers: [registry],
    collect() {
      this.reset();
      for (const state of states()) {
        if (state.status === 'up' || state.status === 'degraded') this.set({ monitor: state.monitorId }, 1);
        else if (state.status === 'down') this.set({ monitor: state.monitorId }, 0);
      }
    },
  });
  const probeDuration = new TwoLabelHistogram(registry, 'candor_probe_duration_seconds', 'Probe phase durations', ['type', 'phase'], [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
  ]);
  const lateness = new Histogram({
    name: 'candor_scheduler_lateness_seconds',
    help: 'Actual minus planned start of each check',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
    registers: [registry],
  });
  const skipped = new Counter({
    name: 'candor_scheduler_skipped_total',
    help: 'Planned checks dropped because the previous check of the same monitor was still running',
    registers: [registry],
  });
  const checks = new TwoLabelCounter(registry, 'candor_checks_total', 'Checks run, by probe type and result (ok, degraded, or the error kind)', ['type', 'result']);
  const storageErrors = new Counter({
    name: 'candor_storage_errors_total',
    help: 'Failed database writes (batch, prune) and database connections lost while idle (connection)',
    labelNames: ['operation'],
    registers: [registry],
  });
  const flushDuration = new Histogram({
    name: 'candor_ingest_flush_seconds',
    help: 'Time to write one batch of results',
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [registry],
  });
  const flushed = new Counter({ name: 'candor_ingest_results_total', help: 'Results written to storage', registers: [registry] });

  return {
    registry,
    observeCheck(observation, probeType, degraded) {
      for (const phase of PHASES) {
        const ms = observation.phases[phase];
        if (ms !== undefined) probeDuration.observe(probeType, phase, ms / 1000);
      }
      const outcome = observation.error ? observation.error.kind : degraded ? 'degraded' : 'ok';
      checks.inc(probeType, outcome);
    },
    observeLateness: (ms) => lateness.observe(ms / 1000),
    observeSkipped: () => skipped.inc(),
    observeStorageError: (operation) => storageErrors.inc({ operation }),
    observeFlush(durationMs, results) {
      flushDuration.observe(durationMs / 1000);
      flushed.inc(results);
    },
  };
}
