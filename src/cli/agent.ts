// `candor agent`: run as a vantage for a hub until SIGTERM/SIGINT.
import { pino } from 'pino';
import { startAgent } from '../agents/agent.js';
import { httpHubClient } from '../agents/hub-client.js';
import { VANTAGE_NAME } from '../domain/vantage-patterns.js';
import { systemClock, systemTimers } from '../runtime/clock.js';
import { EXIT } from './exit.js';
import { runUntilSignal } from './until-signal.js';

export interface AgentCommandOptions {
  readonly hub: string;
  readonly token: string;
  readonly name: string;
  readonly region?: string;
  readonly data: string;
  readonly bufferSize: string;
  readonly ipdb?: string;
  readonly logLevel: string;
}

const MIN_BUFFER_BYTES = 64 * 1024;

export async function agentCommand(options: AgentCommandOptions, err: NodeJS.WritableStream): Promise<number> {
  const problem = usageProblem(options);
  if (problem) {
    err.write(`candor agent: ${problem}\n`);
    return EXIT.usage;
  }
  const log = pino({ level: options.logLevel, base: { service: 'candor-agent', agent: options.name } });
  const agent = await startAgent({
    name: options.name,
    dataDir: options.data,
    bufferBytes: Number(options.bufferSize),
    client: (buffer) =>
      httpHubClient({
        hubUrl: options.hub,
        token: options.token,
        timeoutMs: 15_000,
        ...(options.region !== undefined ? { region: options.region } : {}),
        bufferReport: () => ({ buffered: buffer.size, dropped: buffer.dropped }),
      }),
    clock: systemClock,
    timers: systemTimers,
    log,
    ...(options.ipdb !== undefined ? { ipdbDir: options.ipdb } : {}),
  });
  err.write(`candor agent ${options.name} running for ${new URL(options.hub).origin}\n`);
  return runUntilSignal(log, () => agent.stop());
}

function usageProblem(options: AgentCommandOptions): string | undefined {
  let url: URL;
  try {
    url = new URL(options.hub);
  } catch {
    return `--hub must be the hub's URL, like https://candor.example.org, got ${JSON.stringify(options.hub)}`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `--hub must be an http:// or https:// URL, got the scheme "${url.protocol}"`;
  if (!VANTAGE_NAME.test(options.name)) return `--name must be lower-case letters, digits and - (the name given to candor agents add), got ${JSON.stringify(options.name)}`;
  if (options.region !== undefined && !/^[\x20-\x7e]{1,100}$/.test(options.region)) return '--region must be 1 to 100 printable ASCII characters';
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(options.token)) return '--token is not a token made by candor agents add';
  const bytes = /^\d{1,15}$/.test(options.bufferSize) ? Number(options.bufferSize) : Number.NaN;
  if (!(bytes >= MIN_BUFFER_BYTES)) return `--buffer-size must be a number of bytes of at least ${MIN_BUFFER_BYTES}, got ${JSON.stringify(options.bufferSize)}`;
  return undefined;
}
