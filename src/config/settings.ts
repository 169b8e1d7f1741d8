// Monitor keys that `defaults:` may set for every monitor, read the same way in both places.

import type { Fields, Located, Reader } from './reader.js';
import { readBoolean, readInteger, readStringList } from './reader.js';
import { mergeHeaders, readHeaderNames, readHeaders, readMethod } from './http-schema.js';
import { readMaintenance } from './maintenance-schema.js';
import { readByteSize, readDuration } from './values.js';

export const MIN_INTERVAL_MS = 5_000;

const SETTING_READERS = {
  interval: (reader: Reader, at: Located) => readDuration(reader, at, MIN_INTERVAL_MS),
  timeout: (reader: Reader, at: Located) => readDuration(reader, at),
  failureThreshold: (reader: Reader, at: Located) => readInteger(reader, at, 1),
  successThreshold: (reader: Reader, at: Located) => readInteger(reader, at, 1),
  degradedAfter: (reader: Reader, at: Located) => readDuration(reader, at),
  tags: readStringList,
  paused: readBoolean,
  maintenance: readMaintenance,
  method: readMethod,
  headers: readHeaders,
  maxRedirects: (reader: Reader, at: Located) => readInteger(reader, at, 0, 50),
  verifyTls: readBoolean,
  maxBodySize: readByteSize,
  keepHeaders: readHeaderNames,
} as const;

export type SettingKey = keyof typeof SETTING_READERS;
export const SETTING_KEYS = Object.keys(SETTING_READERS) as SettingKey[];

/** A value read from the file, with where it was written (a monitor or `defaults:`). */
export interface Setting<T> {
  readonly value: T;
  readonly at: Located;
}

export type Settings = {
  [K in SettingKey]?: Setting<NonNullable<ReturnType<(typeof SETTING_READERS)[K]>>>;
};

/** The settings present (and valid) among `fields`; problems are reported on the way. */
export function readSettings(reader: Reader, fields: Fields): Settings {
  const settings: Record<string, Setting<unknown>> = {};
  for (const key of SETTING_KEYS) {
    const at = fields.get(key);
    if (!at) continue;
    const value = SETTING_READERS[key](reader, at);
    if (value !== undefined) settings[key] = { value, at };
  }
  return settings as Settings;
}

/** A monitor's own settings over the defaults; request headers merge by name. */
export function overlaySettings(defaults: Settings, own: Settings): Settings {
  const merged: Settings = { ...defaults, ...own };
  if (defaults.headers && own.headers) {
    return { ...merged, headers: { value: mergeHeaders(defaults.headers.value, own.headers.value), at: own.headers.at } };
  }
  return merged;
}
