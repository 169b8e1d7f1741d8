// Parent side of targets.ts: starts the target servers in a child process and asks it for its CPU use.
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { TargetReply, TargetRequest } from './targets.js';

const START_LIMIT_MS = 10_000;
const STOP_LIMIT_MS = 5_000;

export interface TargetUsage {
  readonly cpu: NodeJS.CpuUsage;
  readonly rssBytes: number;
  readonly requests: number;
}

export class TargetProcess {
  private constructor(
    private readonly child: ChildProcess,
    /** Base URLs, e.g. "http://127.0.0.1:41234". */
    readonly urls: readonly string[],
  ) {}

  static async start(portCount: number): Promise<TargetProcess> {
    const child = fork(new URL('./targets.js', import.meta.url), [String(portCount)], { stdio: 'inherit' });
    const ready = await within(nextReply(child, 'ready'), START_LIMIT_MS, 'targets did not start').catch((error: unknown) => {
      child.kill();
      throw error;
    });
    return new TargetProcess(
      child,
      ready.ports.map((port) => `http://127.0.0.1:${port}`),
    );
  }

  async usage(): Promise<TargetUsage> {
    const reply = nextReply(this.child, 'usage');
    this.request({ kind: 'usage' });
    const { cpu, rssBytes, requests } = await within(reply, START_LIMIT_MS, 'targets did not report usage');
    return { cpu, rssBytes, requests };
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.request({ kind: 'stop' });
    await within(exited, STOP_LIMIT_MS, 'targets did not stop').catch(() => this.child.kill('SIGKILL'));
  }

  private request(request: TargetRequest): void {
    this.child.send(request);
  }
}

function nextReply<K extends TargetReply['kind']>(child: ChildProcess, kind: K): Promise<Extract<TargetReply, { kind: K }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (reply: TargetReply): void => {
      if (reply.kind !== kind) return;
      cleanup();
      resolve(reply as Extract<TargetReply, { kind: K }>);
    };
    const onExit = (code: number | null): void => {
      cleanup();
      reject(new Error(`targets exited early (code ${code})`));
    };
    const cleanup = (): void => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

export async function within<T>(promise: Promise<T>, limitMs: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} within ${limitMs} ms`)), limitMs);
  });
  try {
    return await Promise.race([promise, limit]);
  } finally {
    clearTimeout(timer);
  }
}
