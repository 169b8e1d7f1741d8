// The whole document: title, server, retention, defaults and the monitors, validated at once.

import type { CandorConfig, MonitorSpec, RetentionPolicy, ServerSettings, StatusPageSpec, VantageSpec } from '../domain/monitor.js';
import { VANTAGE_NAME } from '../domain/vantage-patterns.js';
import { readApi, readTrustProxy } from './api-schema.js';
import { isHttpUrl } from './http-schema.js';
import { readControls } from './controls-schema.js';
import { readMonitor } from './monitor-schema.js';
import { Fields, readList, readString, type Located, type Reader } from './reader.js';
import { secretValuesOf, withSecrets } from './secrets.js';
import { readSettings, SETTING_KEYS, type Settings } from './settings.js';
import { readStatusPages } from './status-pages-schema.js';
import { readPolicies, readProvenance } from './policies-schema.js';
import { readChannels } from './channels-schema.js';
import { checkNotifyChannels, readAlerting, readRoutes } from './routes-schema.js';
import { readSubscriptions } from './subscriptions-schema.js';
import { readDuration, readHost, readPort } from './values.js';

const TOP_KEYS = ['title', 'server', 'retention', 'api', 'vantage', 'defaults', 'monitors', 'controls', 'statusPages', 'provenance', 'policies', 'channels', 'routes', 'alerting', 'subscriptions'] as const;

export const DEFAULT_VANTAGE: VantageSpec = { name: 'local' };

export const DEFAULT_TITLE = 'Candor';
export const DEFAULT_SERVER: ServerSettings = { host: '127.0.0.1', port: 8080 };
export const DEFAULT_RETENTION: RetentionPolicy = { rawMs: 30 * 86_400_000, rollupsMs: 400 * 86_400_000 };

/** The config without `sourcePath`, or undefined when any problem was reported. */
export function readConfig(reader: Reader, root: Located): Omit<CandorConfig, 'sourcePath'> | undefined {
  const seen = reader.see(root);
  if (seen.kind === 'scalar' && seen.value === null) {
    reader.report(root, 'expected a map with at least "monitors", got an empty document');
    return undefined;
  }
  const fields = Fields.read(reader, root, TOP_KEYS);
  if (!fields) return undefined;
  const titleAt = fields.get('title');
  const title = titleAt ? readString(reader, titleAt) : DEFAULT_TITLE;
  const serverAt = fields.get('server');
  const server = serverAt ? readServer(reader, serverAt) : DEFAULT_SERVER;
  const retentionAt = fields.get('retention');
  const retention = retentionAt ? readRetention(reader, retentionAt) : DEFAULT_RETENTION;
  const apiAt = fields.get('api');
  const api = apiAt && readApi(reader, apiAt);
  const vantageAt = fields.get('vantage');
  const vantage = vantageAt ? readVantage(reader, vantageAt) : DEFAULT_VANTAGE;
  const defaultsAt = fields.get('defaults');
  const defaults = defaultsAt ? readDefaults(reader, defaultsAt) : {};
  const monitorsAt = fields.required(reader, 'monitors', ' (the list of things to check)');
  const monitorIds = new Map<string, Located>();
  const notify: { ids: string[]; items: Located[] }[] = [];
  const monitors = monitorsAt && readMonitors(reader, monitorsAt, defaults ?? {}, monitorIds, notify);
  const controlsAt = fields.get('controls');
  const controls = controlsAt && readControls(reader, controlsAt, defaults ?? {}, monitorIds);
  const provenanceAt = fields.get('provenance');
  const provenance = provenanceAt && readProvenance(reader, provenanceAt);
  const policiesAt = fields.get('policies');
  const policies = policiesAt && readPolicies(reader, policiesAt, monitors);
  const pagesAt = fields.get('statusPages');
  const statusPages = pagesAt ? readStatusPages(reader, pagesAt, monitors, title ?? DEFAULT_TITLE) : [defaultStatusPage(title ?? DEFAULT_TITLE)];
  const channelsAt = fields.get('channels');
  const channels = channelsAt ? readChannels(reader, channelsAt) : [];
  const notifyOk = channels ? checkNotifyChannels(reader, notify, channels) : true;
  const routesAt = fields.get('routes');
  const routes = routesAt ? readRoutes(reader, routesAt, channels, monitors) : [];
  const alertingAt = fields.get('alerting');
  const alerting = alertingAt && readAlerting(reader, alertingAt);
  const subscriptionsAt = fields.get('subscriptions');
  const subscriptions = subscriptionsAt && readSubscriptions(reader, subscriptionsAt, channels, server?.publicUrl);
  if (channels === undefined || routes === undefined || !notifyOk || (alertingAt && alerting === undefined) || (subscriptionsAt && subscriptions === undefined)) return undefined;
  if (
    title === undefined ||
    server === undefined ||
    retention === undefined ||
    vantage === undefined ||
    defaults === undefined ||
    monitors === undefined ||
    statusPages === undefined ||
    (apiAt && api === undefined) ||
    (controlsAt && controls === undefined) ||
    (provenanceAt && provenance === undefined) ||
    (policiesAt && policies === undefined)
  ) {
    return undefined;
  }
  const secrets = secretValuesOf(monitors, reader.textFromEnv, channels);
  const controlSecrets = controls ? secretValuesOf(controls, reader.textFromEnv) : [];
  return {
    title,
    server,
    retention,
    vantage,
    monitors: withSecrets(monitors, secrets),
    statusPages: subscriptions ? statusPages.map((page) => ({ ...page, subscribe: true as const })) : statusPages,
    ...(api ? { api } : {}),
    ...(controls && controls.length > 0 ? { controls: withSecrets(controls, controlSecrets) } : {}),
    ...(provenance ? { provenance } : {}),
    ...(policies ? { policies } : {}),
    ...(channels.length > 0 ? { channels } : {}),
    ...(routes.length > 0 ? { routes } : {}),
    ...(alerting ? { alerting } : {}),
    ...(subscriptions ? { subscriptions } : {}),
  };
}

/** `vantage: { name: local, region: eu-west }`: this hub as a vantage. */
function readVantage(reader: Reader, at: Located): VantageSpec | undefined {
  const fields = Fields.read(reader, at, ['name', 'region']);
  if (!fields) return undefined;
  const nameAt = fields.get('name');
  const name = nameAt ? readString(reader, nameAt, { test: (text) => VANTAGE_NAME.test(text), expected: 'a vantage name of lower-case letters, digits and - like "local"' }) : DEFAULT_VANTAGE.name;
  const regionAt = fields.get('region');
  const region = regionAt && readString(reader, regionAt, { test: (text) => text.length > 0 && text.length <= 100, expected: 'a region label of 1 to 100 characters like "eu-west"' });
  if (name === undefined || (regionAt && region === undefined)) return undefined;
  return { name, ...(region !== undefined ? { region } : {}) };
}

/** The page served when the config has no statusPages block: every component, under the config title. */
export function defaultStatusPage(title: string): StatusPageSpec {
  return { slug: 'main', title, links: [], theme: 'auto', timezone: 'UTC', components: [], isDefault: true };
}

function readServer(reader: Reader, at: Located): ServerSettings | undefined {
  const fields = Fields.read(reader, at, ['host', 'port', 'publicUrl', 'trustProxy']);
  if (!fields) return undefined;
  const hostAt = fields.get('host');
  const host = hostAt ? readHost(reader, hostAt) : DEFAULT_SERVER.host;
  const portAt = fields.get('port');
  const port = portAt ? readPort(reader, portAt) : DEFAULT_SERVER.port;
  const publicUrlAt = fields.get('publicUrl');
  const publicUrl = publicUrlAt && readString(reader, publicUrlAt, { test: isHttpUrl, expected: 'an http:// or https:// URL like "https://status.example.org"' });
  const trustProxyAt = fields.get('trustProxy');
  const trustProxy = trustProxyAt && readTrustProxy(reader, trustProxyAt);
  if (host === undefined || port === undefined || (publicUrlAt && publicUrl === undefined) || (trustProxyAt && trustProxy === undefined)) return undefined;
  return {
    host,
    port,
    ...(publicUrl ? { publicUrl: new URL(publicUrl).origin + new URL(publicUrl).pathname.replace(/\/$/, '') } : {}),
    ...(trustProxy ? { trustProxy } : {}),
  };
}

function readRetention(reader: Reader, at: Located): RetentionPolicy | undefined {
  const fields = Fields.read(reader, at, ['raw', 'rollups']);
  if (!fields) return undefined;
  const rawAt = fields.get('raw');
  const rawMs = rawAt ? readDuration(reader, rawAt, 3_600_000, Number.MAX_SAFE_INTEGER) : DEFAULT_RETENTION.rawMs;
  const rollupsAt = fields.get('rollups');
  const rollupsMs = rollupsAt ? readDuration(reader, rollupsAt, 86_400_000, Number.MAX_SAFE_INTEGER) : DEFAULT_RETENTION.rollupsMs;
  return rawMs === undefined || rollupsMs === undefined ? undefined : { rawMs, rollupsMs };
}

function readDefaults(reader: Reader, at: Located): Settings | undefined {
  const fields = Fields.read(reader, at, SETTING_KEYS);
  if (!fields) return undefined;
  const problemsBefore = reader.problems.length;
  const settings = readSettings(reader, fields);
  return reader.problems.length === problemsBefore ? settings : undefined;
}

/** `firstById` gets each monitor's id and where it is written; `notify` each monitor's notify: list, checked against the channels later. */
function readMonitors(reader: Reader, at: Located, defaults: Settings, firstById: Map<string, Located>, notify: { ids: string[]; items: Located[] }[]): MonitorSpec[] | undefined {
  const items = readList(reader, at, 'a list of monitors');
  if (!items) return undefined;
  if (items.length === 0) {
    reader.report(at, 'expected at least one monitor, got an empty list');
    return undefined;
  }
  const monitors: MonitorSpec[] = [];
  let ok = true;
  for (const item of items) {
    const { spec, id, idAt, notify: notifyRead } = readMonitor(reader, item, defaults);
    if (notifyRead) notify.push(notifyRead);
    if (id !== undefined && idAt) {
      const first = firstById.get(id);
      if (first) {
        reader.report(idAt, `expected a unique id, got "${id}" again (first used by ${first.path.replace(/\.id$/, '')} on line ${reader.lineOf(first.offset)})`);
        ok = false;
      } else firstById.set(id, idAt);
    }
    if (spec) monitors.push(spec);
    else ok = false;
  }
  return ok ? monitors : undefined;
}
