// What operators make through the API, as stored: monitors (their request body) and maintenance windows.
import type { MaintenanceWindow } from './monitor.js';

/** A monitor made through the API. The body is kept as accepted and read with the config's rules. */
export interface ApiMonitorRecord {
  readonly id: string;
  /** The JSON body as accepted (with `paused` as last set). */
  readonly body: Readonly<Record<string, unknown>>;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** A maintenance window made through the API: one window over some monitors and/or components. */
export interface MaintenanceRecord {
  readonly id: string;
  readonly title?: string;
  readonly monitorIds: readonly string[];
  /** Component names: every monitor of the component, whenever it was added. */
  readonly components: readonly string[];
  readonly window: MaintenanceWindow;
  readonly createdAt: number;
}
