// `candor agents add|list|revoke`: agent tokens, kept in the hub's database (same --data or
// --database-url as `candor serve`). A token is printed once; only its SHA-256 is stored.
import { VANTAGE_NAME } from '../domain/vantage-patterns.js';
import { keyFingerprint } from '../agents/signatures.js';
import { hashAgentToken, newAgentToken } from '../agents/tokens.js';
import { EXIT } from './exit.js';
import { loadConfigOrReport } from './validate.js';
import { withStore, type StoreOptions, type Streams } from './with-store.js';

export type AgentsOptions = StoreOptions;

export async function agentsAddCommand(name: string, options: AgentsOptions & { region?: string }, io: Streams): Promise<number> {
  if (!VANTAGE_NAME.test(name)) {
    io.err.write(`candor agents add: the name must be lower-case letters, digits and - (like "eu-west-1"), got ${JSON.stringify(name)}\n`);
    return EXIT.usage;
  }
  if (options.region !== undefined && (options.region.length === 0 || options.region.length > 100)) {
    io.err.write('candor agents add: --region must be 1 to 100 characters\n');
    return EXIT.usage;
  }
  if (options.config !== undefined) {
    const config = loadConfigOrReport(options.config, io.err);
    if (typeof config === 'number') return config;
    if (config.vantage.name === name) {
      io.err.write(`candor agents add: "${name}" is this hub's own vantage name; choose another\n`);
      return EXIT.usage;
    }
  }
  const token = newAgentToken();
  return withStore(options, io, 'agents add', async (store) => {
    await store.agents.add({ name, ...(options.region !== undefined ? { region: options.region } : {}), tokenHash: hashAgentToken(token), createdAt: Date.now() });
    io.out.write(`${token}\n`);
    io.err.write(`agent ${name} added. This token is shown once and not stored; give it to the agent:\n  candor agent --hub URL --token TOKEN --name ${name}\n`);
    return EXIT.ok;
  });
}

export async function agentsListCommand(options: AgentsOptions, io: Streams): Promise<number> {
  return withStore(options, io, 'agents list', async (store) => {
    const agents = await store.agents.list();
    if (agents.length === 0) {
      io.err.write('no agents (add one with: candor agents add NAME)\n');
      return EXIT.ok;
    }
    const rows = agents.map((agent) => [
      agent.name,
      agent.claimedRegion !== undefined && agent.claimedRegion !== agent.region ? `${agent.region ?? '-'} (says ${agent.claimedRegion})` : (agent.region ?? '-'),
      agent.revokedAt !== undefined ? `revoked ${new Date(agent.revokedAt).toISOString()}` : 'active',
      agent.lastSeenAt !== undefined ? new Date(agent.lastSeenAt).toISOString() : 'never',
      agent.lastAddress ?? '-',
      agent.publicKey !== undefined ? keyFingerprint(agent.publicKey) : 'no key yet',
    ]);
    const header = ['NAME', 'REGION', 'STATUS', 'LAST SEEN', 'ADDRESS', 'KEY'];
    const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
    for (const row of [header, ...rows]) io.out.write(`${row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()}\n`);
    return EXIT.ok;
  });
}

export async function agentsRevokeCommand(name: string, options: AgentsOptions, io: Streams): Promise<number> {
  return withStore(options, io, 'agents revoke', async (store) => {
    if (!(await store.agents.revoke(name, Date.now()))) {
      io.err.write(`candor agents revoke: no active agent named ${JSON.stringify(name)}\n`);
      return EXIT.usage;
    }
    io.err.write(`agent ${name} revoked: its token is refused from now on; what it sent before stays\n`);
    return EXIT.ok;
  });
}
