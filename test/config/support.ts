// Shared helpers for the config tests: indentation-free YAML literals and problem lists as text.

import { ConfigError } from '../../src/config/problems.js';
import { parseConfig, type Env } from '../../src/config/load.js';
import type { CandorConfig } from '../../src/domain/monitor.js';

/** Strips the first newline and the common indentation, so YAML can be written indented in a test. */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = String.raw(strings, ...values).replace(/^\n/, '');
  const lines = text.split('\n');
  const indents = lines.filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)?.[0].length ?? 0);
  const common = Math.min(...indents);
  return lines.map((line) => line.slice(common)).join('\n').replace(/[ \t]+$/, '');
}

export const FILE = 'candor.yaml';

export function parse(text: string, env: Env = {}): CandorConfig {
  return parseConfig(text, FILE, env, '/etc/candor/candor.yaml');
}

/** The formatted problems of a config that must fail, one string per problem. */
export function problemsOf(text: string, env: Env = {}): string[] {
  try {
    parse(text, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.format().split('\n');
    throw error;
  }
  throw new Error('expected the config to be refused, it was accepted');
}

/** A one-monitor config around the given monitor lines (the first one is line 2, its keys start at column 5). */
export function oneMonitor(monitorLines: string): string {
  const body = monitorLines
    .split('\n')
    .map((line, index) => (index === 0 ? `  - ${line}` : `    ${line}`))
    .join('\n');
  return `monitors:\n${body}\n`;
}
