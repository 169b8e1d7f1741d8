// Bodies of the management API read with the config's own rules, so a monitor or a maintenance window
// sent as JSON is accepted or refused exactly as the same thing written in candor.yaml, with the same
// messages. JSON is YAML: the body is written out as JSON text and read like a config file; a problem's
// `path` is then its place in the body ("interval", "expect.status[0]"). Bodies never read the
// environment: `${NAME}` is refused (only `${NAME:-default}` fills in its default).
import { LineCounter, parseDocument, type Node } from 'yaml';
import type { MaintenanceWindow, MonitorSpec } from '../domain/monitor.js';
import { readWindow } from './maintenance-schema.js';
import { readMonitor } from './monitor-schema.js';
import { ConfigError } from './problems.js';
import { Fields, readStringList, Reader, type Located } from './reader.js';
import { secretValuesOf } from './secrets.js';

/** What problems name as their file: they are about the request body. */
export const BODY_FILE = 'request body';

function readBody<T>(body: unknown, read: (reader: Reader, root: Located) => T | undefined): T {
  const text = JSON.stringify(body, null, 1) ?? 'null';
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, keepSourceTokens: true, prettyErrors: false, uniqueKeys: true });
  const reader = new Reader(BODY_FILE, lineCounter, new Map(), {});
  const contents = (doc.contents ?? null) as Node | null;
  const value = read(reader, { node: contents, offset: contents?.range?.[0] ?? 0, path: '' });
  if (reader.problems.length > 0 || value === undefined) {
    throw new ConfigError(reader.problems.length > 0 ? reader.problems : [{ file: BODY_FILE, line: 1, col: 1, path: '', message: 'expected a JSON object' }]);
  }
  return value;
}

/** A monitor as the config would read it under `monitors:`, or a ConfigError listing every problem. */
export function readMonitorBody(body: unknown): MonitorSpec {
  return readBody(body, (reader, root) => {
    const { spec } = readMonitor(reader, root, {});
    if (!spec) return undefined;
    const secrets = secretValuesOf([spec], reader.textFromEnv);
    return secrets.length > 0 ? { ...spec, secrets } : spec;
  });
}

export interface MaintenanceBody {
  readonly window: MaintenanceWindow;
  readonly monitorIds: readonly string[];
  readonly components: readonly string[];
}

/** A window as under a monitor's `maintenance:`, plus the `monitors` (ids) and `components` (names) it covers. */
export function readMaintenanceBody(body: unknown): MaintenanceBody {
  return readBody(body, (reader, root) => {
    const window = readWindow(reader, root, ['monitors', 'components']);
    const fields = Fields.read(reader, root, 'any');
    if (!fields) return undefined;
    const monitorsAt = fields.get('monitors');
    const componentsAt = fields.get('components');
    const monitorIds = monitorsAt ? readStringList(reader, monitorsAt) : [];
    const components = componentsAt ? readStringList(reader, componentsAt) : [];
    if (!window || !monitorIds || !components) return undefined;
    if (monitorIds.length + components.length === 0) {
      reader.report({ offset: fields.offset, path: 'monitors' }, 'expected at least one monitor id in "monitors" or one component name in "components"');
      return undefined;
    }
    return { window, monitorIds, components };
  });
}
