// Agent tokens: 32 random bytes, shown once; the hub keeps only their SHA-256 and compares hashes in
// constant time.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AgentRecord } from '../domain/agent.js';

const PREFIX = 'candor_';

export function newAgentToken(): string {
  return PREFIX + randomBytes(32).toString('base64url');
}

export function hashAgentToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** The active agent holding this token, comparing every hash in constant time. */
export function agentOfToken(agents: readonly AgentRecord[], token: string): AgentRecord | undefined {
  const presented = Buffer.from(hashAgentToken(token));
  let found: AgentRecord | undefined;
  for (const agent of agents) {
    const stored = Buffer.from(agent.tokenHash);
    if (stored.length === presented.length && timingSafeEqual(stored, presented) && agent.revokedAt === undefined) found = agent;
  }
  return found;
}
