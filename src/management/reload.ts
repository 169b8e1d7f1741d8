// Live reload (SIGHUP or POST /api/v1/config/reload): the config file is read and validated again; a
// valid one is applied (monitors added, changed and removed without touching the others, status
// pages, titles, retention, then every component listening: alerting, provenance, declared sources),
// an invalid one is refused with its FILE:LINE:COL problems and the running config stays. What only
// a restart can change is kept as started and named in `restartNeeded`, never silently ignored.
import { isDeepStrictEqual } from 'node:util';
import { DEFAULT_API } from '../config/api-schema.js';
import { ConflictError } from '../domain/errors.js';
import type { CandorConfig } from '../domain/monitor.js';
import type { ManagementDeps } from './deps.js';

/** The config the running hub uses; replaced whole by a reload. */
export interface LiveConfig {
  current: CandorConfig;
}

/** A part of the hub that follows a reload: given the config now in place and the one before. */
export interface ConfigListener {
  readonly name: string;
  apply(next: CandorConfig, before: CandorConfig): Promise<void> | void;
}

export interface ReloadDeps extends Pick<ManagementDeps, 'registry' | 'log' | 'serial'> {
  readonly live: LiveConfig;
  /** Reads and validates the file again; throws a ConfigError listing its problems. */
  load(): CandorConfig;
  /** Called once a new config is in place: pages rendered before are stale. */
  configChanged(): void;
  /** Told of every applied config, in order, after the monitors and `live` are in place. */
  readonly listeners?: readonly ConfigListener[];
}

/**
 * The settings a running hub cannot change (they shape the listening socket, the HTTP plugins
 * registered at start, the routes that exist, or what agents were told): each one that differs.
 */
export function restartNeededBetween(before: CandorConfig, next: CandorConfig): string[] {
  const differs = (pick: (config: CandorConfig) => unknown) => !isDeepStrictEqual(pick(before), pick(next));
  const api = (config: CandorConfig) => config.api ?? DEFAULT_API;
  return [
    ...(differs((c) => [c.server.host, c.server.port]) ? ['server.host/server.port'] : []),
    ...(differs((c) => c.server.publicUrl) ? ['server.publicUrl'] : []),
    ...(differs((c) => c.server.trustProxy) ? ['server.trustProxy'] : []),
    ...(differs((c) => c.vantage) ? ['vantage'] : []),
    ...(differs((c) => api(c).publicRead) ? ['api.publicRead'] : []),
    ...(differs((c) => api(c).bodyLimitBytes) ? ['api.bodyLimitBytes'] : []),
    ...(differs((c) => api(c).corsOrigins) ? ['api.cors'] : []),
    ...(differs((c) => api(c).rateLimit) ? ['api.rateLimit'] : []),
    ...(differs((c) => c.controls) ? ['controls'] : []),
    ...(differs((c) => c.subscriptions) ? ['subscriptions'] : []),
  ];
}

/** The config as it runs after a reload: the new one, less what only a restart may change. */
function applicable(before: CandorConfig, next: CandorConfig): CandorConfig {
  const { controls: _controls, subscriptions: _subscriptions, api: nextApi, ...rest } = next;
  const started = before.api ?? DEFAULT_API;
  const api = nextApi
    ? { ...nextApi, publicRead: started.publicRead, bodyLimitBytes: started.bodyLimitBytes, corsOrigins: started.corsOrigins, rateLimit: started.rateLimit }
    : before.api && { ...DEFAULT_API, publicRead: started.publicRead, bodyLimitBytes: started.bodyLimitBytes, corsOrigins: started.corsOrigins, rateLimit: started.rateLimit };
  return {
    ...rest,
    server: before.server,
    vantage: before.vantage,
    ...(api ? { api } : {}),
    ...(before.controls ? { controls: before.controls } : {}),
    ...(before.subscriptions ? { subscriptions: before.subscriptions } : {}),
  };
}

export interface ReloadOutcome {
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
  readonly unchanged: number;
  /** Settings that changed but only take effect after a restart. */
  readonly restartNeeded: readonly string[];
}

export function reloadConfig(deps: ReloadDeps): Promise<ReloadOutcome> {
  return deps.serial(async () => {
    const next = deps.load();
    const taken = next.monitors.filter((m) => deps.registry.sourceOf(m.id) === 'api').map((m) => m.id);
    if (taken.length > 0) {
      throw new ConflictError(
        'config_conflict',
        `the config file names monitor${taken.length > 1 ? 's' : ''} ${taken.map((id) => `"${id}"`).join(', ')}, made through the API; delete ${taken.length > 1 ? 'them' : 'it'} there or choose other ids. The running config stays.`,
      );
    }
    const before = deps.live.current;
    const restartNeeded = restartNeededBetween(before, next);
    const changes = deps.registry.setConfig(next.monitors, next.api);
    const applied = applicable(before, next);
    deps.live.current = applied;
    for (const listener of deps.listeners ?? []) {
      try {
        await listener.apply(applied, before);
      } catch (error) {
        // The rest of the config is in place; this part says plainly that it needs a restart.
        deps.log.error({ err: error, part: listener.name }, `reload: ${listener.name} could not follow the new config; restart to apply it`);
        restartNeeded.push(`${listener.name} (could not be applied: ${error instanceof Error ? error.message : String(error)})`);
      }
    }
    deps.configChanged();
    const outcome: ReloadOutcome = {
      added: changes.added.map((m) => m.id),
      changed: changes.changed.map((m) => m.id),
      removed: [...changes.removed],
      unchanged: deps.registry.monitors.size - changes.added.length - changes.changed.length,
      restartNeeded,
    };
    deps.log.info(outcome, 'config reloaded');
    if (restartNeeded.length > 0) deps.log.warn({ restartNeeded }, `reload: ${restartNeeded.join(', ')} changed but keep their running values until a restart`);
    return outcome;
  });
}
