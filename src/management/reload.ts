// Live reload (SIGHUP or POST /api/v1/config/reload): the config file is read and validated again; a
// valid one is applied (monitors added, changed and removed without touching the others, status
// pages, titles and API settings at once), an invalid one is refused with its FILE:LINE:COL problems
// and the running config stays.
import { ConflictError } from '../domain/errors.js';
import type { CandorConfig } from '../domain/monitor.js';
import type { ManagementDeps } from './deps.js';

/** The config the running hub uses; replaced whole by a reload. */
export interface LiveConfig {
  current: CandorConfig;
}

export interface ReloadDeps extends Pick<ManagementDeps, 'registry' | 'log' | 'serial'> {
  readonly live: LiveConfig;
  /** Reads and validates the file again; throws a ConfigError listing its problems. */
  load(): CandorConfig;
  /** Called once a new config is in place: pages rendered before are stale. */
  configChanged(): void;
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
    const restartNeeded = [
      ...(before.server.host !== next.server.host || before.server.port !== next.server.port ? ['server.host/server.port'] : []),
      ...(before.vantage.name !== next.vantage.name || before.vantage.region !== next.vantage.region ? ['vantage'] : []),
    ];
    const changes = deps.registry.setConfig(next.monitors, next.api);
    // The hub's own vantage and listening address stay as started until a restart.
    deps.live.current = { ...next, server: { ...next.server, host: before.server.host, port: before.server.port }, vantage: before.vantage };
    deps.configChanged();
    const outcome: ReloadOutcome = {
      added: changes.added.map((m) => m.id),
      changed: changes.changed.map((m) => m.id),
      removed: [...changes.removed],
      unchanged: deps.registry.monitors.size - changes.added.length - changes.changed.length,
      restartNeeded,
    };
    deps.log.info(outcome, 'config reloaded');
    return outcome;
  });
}
