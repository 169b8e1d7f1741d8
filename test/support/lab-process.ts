// A process run inside one host of a NetLab (`ip netns exec NS node ...`; ip execs node in place, so
// the child's pid is node's). Its output is kept for assertions and failure messages.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { NetLab } from './netns.js';

export const TARGET_SCRIPT = fileURLToPath(new URL('./netns-http-target.js', import.meta.url));
export const FORWARD_SCRIPT = fileURLToPath(new URL('./unix-forward.js', import.meta.url));

export class LabProcess {
  private text = '';
  private readonly exited: Promise<number | null>;

  private constructor(
    readonly label: string,
    readonly child: ChildProcess,
  ) {
    child.stdout!.on('data', (chunk: Buffer) => (this.text += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (this.text += chunk.toString()));
    this.exited = once(child, 'exit').then(([code]) => code as number | null);
  }

  /** Runs `node SCRIPT ARGS` in the host's namespace. */
  static start(lab: NetLab, host: string, label: string, script: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): LabProcess {
    const child = spawn('ip', ['netns', 'exec', lab.namespace(host), process.execPath, script, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
    return new LabProcess(label, child);
  }

  output(): string {
    return this.text;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Where the output ends now: waitFor(..., mark) looks only at what comes after. */
  mark(): number {
    return this.text.length;
  }

  /** Resolves with the first match of `pattern` in the output (from `since`); fails if the process exits first or after timeoutMs. */
  async waitFor(pattern: RegExp, timeoutMs: number, since = 0): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = pattern.exec(this.text.slice(since));
      if (match) return match;
      if (!this.running) throw new Error(`${this.label} exited (${this.child.exitCode ?? this.child.signalCode}) before printing ${pattern}:\n${this.text}`);
      if (Date.now() > deadline) throw new Error(`${this.label} did not print ${pattern} within ${timeoutMs} ms:\n${this.text}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Sends the signal, waits for the exit (SIGKILL after graceMs); returns the exit code. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000): Promise<number | null> {
    if (this.running) {
      this.child.kill(signal);
      const killer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
      await this.exited;
      clearTimeout(killer);
    }
    return this.exited;
  }
}
