// The values Candor must never show: text filled in from the environment, and the values of headers
// and query parameters known to carry credentials, wherever they appear in the config. They are handed
// to every monitor (and so to probes and read models) for src/domain/redaction.ts to replace.
import type { ChannelSpec } from '../domain/alerting.js';
import type { CandorConfig, MonitorSpec } from '../domain/monitor.js';
import { isSensitiveHeader, isSensitiveParam, MIN_SECRET_LENGTH } from '../domain/redaction.js';

export function secretValuesOf(monitors: readonly MonitorSpec[], textFromEnv: ReadonlySet<string>, channels: readonly ChannelSpec[] = []): string[] {
  const secrets = new Set(textFromEnv);
  // Channels' tokens, passwords and keyed webhook URLs (see config/channel-fields.ts).
  for (const channel of channels) for (const secret of channel.secrets) secrets.add(secret);
  for (const monitor of monitors) {
    if (monitor.probe.type !== 'http') continue;
    for (const [name, value] of Object.entries(monitor.probe.headers)) {
      if (!isSensitiveHeader(name)) continue;
      secrets.add(value);
      // "Bearer abc", "Basic abc": the credential alone, too, as it may be echoed without its scheme.
      const credential = /^\S+\s+(\S+)$/.exec(value)?.[1];
      if (credential) secrets.add(credential);
    }
    for (const [name, value] of new URL(monitor.probe.url).searchParams) if (isSensitiveParam(name)) secrets.add(value);
  }
  return [...secrets].filter((value) => value.length >= MIN_SECRET_LENGTH).sort();
}

/** Each monitor with the config's secret values (only when there are some, so configs without any read as before). */
export function withSecrets(monitors: readonly MonitorSpec[], secrets: readonly string[]): MonitorSpec[] {
  if (secrets.length === 0) return [...monitors];
  return monitors.map((monitor) => ({ ...monitor, secrets }));
}

/** The config's secret values (every monitor carries the same list). */
export function secretsOf(config: Pick<CandorConfig, 'monitors'>): readonly string[] {
  return config.monitors.find((monitor) => monitor.secrets)?.secrets ?? [];
}
