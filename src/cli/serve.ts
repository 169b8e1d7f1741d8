// `candor serve`: run the hub until SIGTERM/SIGINT.
import { pino } from 'pino';
import { startApp } from '../app.js';
import { isHost } from '../config/values.js';
import { CandorError } from '../domain/errors.js';
import { EXIT } from './exit.js';
import { runUntilSignal } from './until-signal.js';
import { loadConfigOrReport } from './validate.js';
import { loadConfig } from '../config/load.js';
import { ConfigError } from '../config/problems.js';
import type { CandorConfig } from '../domain/monitor.js';

export interface ServeOptions {
  readonly config: string;
  readonly data: string;
  readonly host?: string;
  readonly port?: string;
  readonly databaseUrl?: string;
  readonly logLevel: string;
  /** A folder of newer IP database files. */
  readonly ipdb?: string;
}

export async function serveCommand(options: ServeOptions, err: NodeJS.WritableStream): Promise<number> {
  const config = loadConfigOrReport(options.config, err);
  if (typeof config === 'number') return config;
  const port = options.port === undefined ? config.server.port : /^\d{1,5}$/.test(options.port) ? Number(options.port) : Number.NaN;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    err.write(`candor serve: --port must be 0-65535, got "${options.port}"\n`);
    return EXIT.usage;
  }
  const usageProblem = hostProblem(options.host) ?? databaseUrlProblem(options.databaseUrl);
  if (usageProblem) {
    err.write(`candor serve: ${usageProblem}\n`);
    return EXIT.usage;
  }
  const log = pino({ level: options.logLevel, base: { service: 'candor' } });
  let app;
  try {
    app = await startApp({
      config,
      log,
      dataDir: options.data,
      ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
      host: options.host ?? config.server.host,
      port,
      loadConfig: () => reloadFrom(options.config),
      ...(options.ipdb ? { ipdbDir: options.ipdb } : {}),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (error instanceof CandorError) err.write(`candor serve: ${error.message}\n`);
    else if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      err.write(`candor serve: cannot listen on ${options.host ?? config.server.host}:${port}: ${(error as Error).message}\n`);
    } else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      err.write(`candor serve: cannot resolve a host name: ${(error as Error).message}\n`);
    } else throw error;
    return EXIT.usage;
  }
  // Said plainly whatever the log level: with --port 0 this is how a user (or a test) learns the port.
  err.write(`candor listening on ${app.url}\n`);

  // SIGHUP: read the config again; a refused one is said plainly, with its problems, and nothing changes.
  const onHangup = () => {
    app.reload().then(
      (outcome) =>
        err.write(
          `candor: config reloaded (${outcome.added.length} added, ${outcome.changed.length} changed, ${outcome.removed.length} removed)` +
            (outcome.restartNeeded.length > 0 ? `; kept until a restart: ${outcome.restartNeeded.join(', ')}` : '') +
            '\n',
        ),
      (error: unknown) => {
        if (error instanceof CandorError) {
          err.write(`candor: config reload refused, the running config stays:\n${error instanceof ConfigError ? error.format() : error.message}\n`);
          log.warn({ code: error.code }, 'config reload refused');
        } else log.error({ err: error }, 'config reload failed');
      },
    );
  };
  process.on('SIGHUP', onHangup);
  return runUntilSignal(log, () => {
    process.off('SIGHUP', onHangup);
    return app.close();
  });
}

/** The config file read again for a reload; a file that cannot be read is a problem like any other. */
function reloadFrom(path: string): CandorConfig {
  try {
    return loadConfig(path, process.env);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
      throw new ConfigError([{ file: path, line: 1, col: 1, path: '', message: `cannot read the config file: ${(error as Error).message}` }]);
    }
    throw error;
  }
}

function hostProblem(host: string | undefined): string | undefined {
  if (host === undefined || isHost(host)) return undefined;
  return `--host must be a host name or IP address like 127.0.0.1, got ${JSON.stringify(host)}`;
}

/** The URL itself is never echoed: it usually holds a password. */
function databaseUrlProblem(databaseUrl: string | undefined): string | undefined {
  if (databaseUrl === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    return '--database-url must be a URL like postgres://user@host:5432/candor (the one given is not a URL)';
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    return `--database-url must be a postgres:// or postgresql:// URL, got the scheme "${url.protocol}"`;
  }
  if (url.hostname === '') return '--database-url must name a host, like postgres://user@host:5432/candor';
  return undefined;
}
