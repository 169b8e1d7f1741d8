// A small network of our own, built with Linux network namespaces (iproute2): one namespace per host,
// each joined by a veth pair to a Linux bridge that lives in a namespace of its own. Nothing is added
// to the machine's own namespace: no interface, no address, no route. Hosts take addresses on
// 10.231.0.0/24, which exists only inside these namespaces, so their traffic cannot leave them.
//
// Every namespace of a lab is named `candor-lab-PID-N-HOST` (its temporary directory `candor-lab-PID-N-*`):
// a lab removes its own in destroy(), when the process exits or is killed by SIGINT/SIGTERM/SIGHUP, and
// sweepStaleLabs() removes those of runs whose process is gone (a crash, a SIGKILL), killing what was
// still running inside them first.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const LAB_PREFIX = 'candor-lab-';
export const LAB_SUBNET = '10.231.0';
const IP_TIMEOUT_MS = 10_000;
const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export interface LabHost {
  /** Short name, used in namespace and interface names: lower-case letters and digits, at most 8. */
  readonly name: string;
  /** Last octet of its address on LAB_SUBNET.0/24. */
  readonly octet: number;
}

/** Why namespace tests cannot run here, or undefined when they can (root, iproute2, a kernel that lets us). */
export function netnsUnavailable(): string | undefined {
  if (process.platform !== 'linux') return `network namespaces are Linux only (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'network namespaces need root (run the tests as root, as .ci/run does)';
  try {
    execFileSync('ip', ['-V'], { stdio: 'ignore', timeout: IP_TIMEOUT_MS });
  } catch {
    return 'the ip command (iproute2) is missing: apt-get install iproute2';
  }
  const probe = `${LAB_PREFIX}${process.pid}-probe`;
  try {
    execFileSync('ip', ['netns', 'add', probe], { stdio: 'pipe', timeout: IP_TIMEOUT_MS });
    execFileSync('ip', ['netns', 'del', probe], { stdio: 'pipe', timeout: IP_TIMEOUT_MS });
  } catch (error) {
    return `ip netns add fails here (a container without CAP_SYS_ADMIN?): ${(error as { stderr?: Buffer }).stderr?.toString().trim() ?? String(error)}`;
  }
  return undefined;
}

function namespaces(): string[] {
  const listed = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8', timeout: IP_TIMEOUT_MS });
  return listed
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => name.startsWith(LAB_PREFIX));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Kills what runs inside the namespace (only processes a lab started live there), then deletes it. */
function removeNamespaceSync(name: string): void {
  let pids: number[] = [];
  try {
    pids = execFileSync('ip', ['netns', 'pids', name], { encoding: 'utf8', timeout: IP_TIMEOUT_MS })
      .split('\n')
      .filter((line) => /^\d+$/.test(line))
      .map(Number);
  } catch {
    // Already gone: nothing runs in it.
  }
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Exited meanwhile.
    }
  }
  try {
    execFileSync('ip', ['netns', 'del', name], { stdio: 'ignore', timeout: IP_TIMEOUT_MS });
  } catch {
    // Already deleted.
  }
}

/** Removes the namespaces of labs whose process is no longer running; returns their names. */
export function sweepStaleLabs(): string[] {
  const stale = namespaces().filter((name) => {
    const pid = Number(/^candor-lab-(\d+)-/.exec(name)?.[1]);
    return !Number.isInteger(pid) || (pid !== process.pid && !alive(pid));
  });
  for (const name of stale) removeNamespaceSync(name);
  for (const name of readdirSync(tmpdir())) {
    const pid = Number(/^candor-lab-(\d+)-/.exec(name)?.[1]);
    if (Number.isInteger(pid) && pid !== process.pid && !alive(pid)) rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
  return stale;
}

let labs = 0;

export class NetLab {
  private readonly prefix: string;
  private readonly created: string[] = [];
  private readonly byName: Map<string, LabHost>;
  private readonly onExit = () => this.destroySync();
  // Killed by a signal, the process runs no 'exit' handlers: clean up, then die of the signal as before.
  private readonly onSignal = (signal: NodeJS.Signals) => {
    this.destroySync();
    process.kill(process.pid, signal);
  };
  private destroyed = false;
  /** A temporary directory for the lab's files (configs, data, sockets), removed with the lab. */
  readonly dir: string;

  private constructor(readonly hosts: readonly LabHost[]) {
    this.prefix = `${LAB_PREFIX}${process.pid}-${++labs}-`;
    this.dir = mkdtempSync(join(tmpdir(), this.prefix));
    this.byName = new Map(hosts.map((host) => [host.name, host]));
    process.once('exit', this.onExit);
    for (const signal of SIGNALS) process.once(signal, this.onSignal);
  }

  /** Builds the bridge and every host, each with its address, loopback up. Removes what it made if a step fails. */
  static async create(hosts: readonly LabHost[]): Promise<NetLab> {
    for (const host of hosts) {
      if (!/^[a-z0-9]{1,8}$/.test(host.name)) throw new Error(`lab host names are 1-8 lower-case letters or digits, got ${JSON.stringify(host.name)}`);
      if (!Number.isInteger(host.octet) || host.octet < 2 || host.octet > 254) throw new Error(`lab host ${host.name}: octet must be 2-254`);
    }
    const lab = new NetLab(hosts);
    try {
      await lab.build();
    } catch (error) {
      await lab.destroy();
      throw error;
    }
    return lab;
  }

  /** The namespace of a host (or of the bridge, "br"), for `ip netns exec`. */
  namespace(host: string): string {
    if (host !== 'br' && !this.byName.has(host)) throw new Error(`no lab host ${host}`);
    return `${this.prefix}${host}`;
  }

  address(host: string): string {
    const found = this.byName.get(host);
    if (!found) throw new Error(`no lab host ${host}`);
    return `${LAB_SUBNET}.${found.octet}`;
  }

  /** Cuts a host's cable at the bridge: its interface stays up but nothing gets through, either way. */
  async cutLink(host: string): Promise<void> {
    await this.ip('br', 'link', 'set', `v-${host}`, 'down');
  }

  async restoreLink(host: string): Promise<void> {
    await this.ip('br', 'link', 'set', `v-${host}`, 'up');
  }

  /** From `host`, `address` becomes unreachable (an ICMP-unreachable route); every other host still reaches it. */
  async blockRoute(host: string, address: string): Promise<void> {
    await this.ip(host, 'route', 'add', 'unreachable', `${address}/32`);
  }

  async unblockRoute(host: string, address: string): Promise<void> {
    await this.ip(host, 'route', 'del', 'unreachable', `${address}/32`);
  }

  /** Deletes every namespace of the lab (killing whatever still runs inside), so its veths and bridge go too. */
  async destroy(): Promise<void> {
    this.destroySync();
  }

  private destroySync(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    process.off('exit', this.onExit);
    for (const signal of SIGNALS) process.off(signal, this.onSignal);
    for (const name of [...this.created].reverse()) removeNamespaceSync(name);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async build(): Promise<void> {
    for (const name of ['br', ...this.hosts.map((h) => h.name)]) {
      const ns = `${this.prefix}${name}`;
      await run('ip', ['netns', 'add', ns], { timeout: IP_TIMEOUT_MS });
      this.created.push(ns);
      await this.ip(name, 'link', 'set', 'lo', 'up');
    }
    await this.ip('br', 'link', 'add', 'br0', 'type', 'bridge');
    await this.ip('br', 'link', 'set', 'br0', 'up');
    for (const host of this.hosts) {
      // Both ends are made inside namespaces: the host's end is eth0 in its own, the other end a bridge port.
      await this.ip('br', 'link', 'add', `v-${host.name}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', this.namespace(host.name));
      await this.ip('br', 'link', 'set', `v-${host.name}`, 'master', 'br0', 'up');
      await this.ip(host.name, 'addr', 'add', `${this.address(host.name)}/24`, 'dev', 'eth0');
      await this.ip(host.name, 'link', 'set', 'eth0', 'up');
    }
  }

  private async ip(host: string, ...args: string[]): Promise<void> {
    try {
      await run('ip', ['-n', this.namespace(host), ...args], { timeout: IP_TIMEOUT_MS });
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr?.trim();
      throw new Error(`ip -n ${this.namespace(host)} ${args.join(' ')} failed: ${stderr || String(error)}`);
    }
  }
}
