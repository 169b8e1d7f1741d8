// What the management use cases need, handed down by the composition root.
import type { Logger } from 'pino';
import type { Incident } from '../domain/state.js';
import type { Clock } from '../runtime/clock.js';
import type { Ids } from '../runtime/ids.js';
import type { Store } from '../storage/store.js';
import type { MonitorRegistry } from './registry.js';

export interface ManagementDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly ids: Ids;
  readonly log: Logger;
  readonly registry: MonitorRegistry;
  /** Called after an incident was written: pages rendered before are stale. */
  incidentsChanged(): void;
  /** The incident as an operator's write left it (its impact counts on the pages while it is open). */
  incidentWritten?(incident: Incident): void;
  /** The incident a monitor has open now, if any (kept by ingest). */
  openIncidentOf(monitorId: string): string | undefined;
  /** Writes one at a time, so two requests never decide on the same state (see serialWrites). */
  readonly serial: <T>(work: () => Promise<T>) => Promise<T>;
}

/** A queue of writes: each starts when the one before has finished, whatever its outcome. */
export function serialWrites(): <T>(work: () => Promise<T>) => Promise<T> {
  let last: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>): Promise<T> => {
    const next = last.then(work, work);
    last = next.catch(() => undefined);
    return next;
  };
}
