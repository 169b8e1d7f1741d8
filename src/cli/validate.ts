// `candor validate --config FILE`: load and validate only.
import { ConfigError } from '../config/problems.js';
import { loadConfig } from '../config/load.js';
import type { CandorConfig } from '../domain/monitor.js';
import { EXIT } from './exit.js';

/** Loads the config, or prints every problem and returns the exit code. */
export function loadConfigOrReport(path: string, err: NodeJS.WritableStream): CandorConfig | number {
  try {
    return loadConfig(path, process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      err.write(`${error.format()}\n${error.problems.length} problem${error.problems.length === 1 ? '' : 's'} in ${path}\n`);
      return EXIT.usage;
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR' || code === 'ENOTDIR' || code === 'ELOOP' || code === 'EPERM') {
      err.write(`cannot read the config file ${path}: ${(error as Error).message}\n`);
      return EXIT.usage;
    }
    throw error;
  }
}

export function validateCommand(options: { config: string }, out: NodeJS.WritableStream, err: NodeJS.WritableStream): number {
  const config = loadConfigOrReport(options.config, err);
  if (typeof config === 'number') return config;
  out.write(`${options.config}: ok, ${config.monitors.length} monitor${config.monitors.length === 1 ? '' : 's'}\n`);
  return EXIT.ok;
}
