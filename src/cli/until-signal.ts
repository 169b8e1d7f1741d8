// Long-running commands (serve, agent) run until SIGTERM or SIGINT, then close cleanly; a second
// signal exits at once.
import type { Logger } from 'pino';
import { EXIT } from './exit.js';

export function runUntilSignal(log: Logger, close: () => Promise<void>): Promise<number> {
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) {
        log.warn({ signal }, 'second signal: exiting now');
        process.exit(EXIT.checkFailed);
      }
      stopping = true;
      log.info({ signal }, 'shutting down');
      close().then(
        () => resolve(EXIT.ok),
        (error: unknown) => {
          log.error({ err: error }, 'shutdown failed');
          resolve(EXIT.checkFailed);
        },
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}
