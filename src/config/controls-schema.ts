// `controls:`: reference targets checked from every vantage, only to tell whether a vantage itself is
// healthy (domain/vantage.ts). Written like monitors (id, type and the type's own keys, interval,
// timeout), without what only a shown monitor has.
import type { MonitorSpec } from '../domain/monitor.js';
import { readMonitor } from './monitor-schema.js';
import { Fields, readList, type Located, type Reader } from './reader.js';
import type { Settings } from './settings.js';

/** Keys of a monitor that mean nothing for a control. */
const NOT_FOR_CONTROLS = ['vantages', 'quorum', 'component', 'public', 'paused', 'maintenance', 'tags', 'degradedAfter'] as const;

/**
 * The controls, or undefined when any problem was reported. `taken` holds the monitors' ids (with where
 * each is written): a control shares its id with no monitor, as results are stored under it.
 */
export function readControls(reader: Reader, at: Located, defaults: Settings, taken: ReadonlyMap<string, Located>): MonitorSpec[] | undefined {
  const items = readList(reader, at, 'a list of reference targets (written like monitors)');
  if (!items) return undefined;
  const controls: MonitorSpec[] = [];
  const firstById = new Map(taken);
  let ok = true;
  for (const item of items) {
    const fields = Fields.read(reader, item, 'any');
    if (!fields) {
      ok = false;
      continue;
    }
    for (const key of NOT_FOR_CONTROLS) {
      const keyAt = fields.keyAt(key);
      if (!keyAt) continue;
      reader.report(keyAt, `key "${key}" does not apply to a control: controls are checked from every vantage, never shown and never open incidents`);
      ok = false;
    }
    const { spec, id, idAt } = readMonitor(reader, item, defaults);
    if (id !== undefined && idAt) {
      const first = firstById.get(id);
      if (first) {
        reader.report(idAt, `expected an id used by no monitor or other control, got "${id}" again (first used by ${first.path.replace(/\.id$/, '')} on line ${reader.lineOf(first.offset)})`);
        ok = false;
      } else firstById.set(id, idAt);
    }
    if (spec) controls.push(spec);
    else ok = false;
  }
  return ok ? controls : undefined;
}
