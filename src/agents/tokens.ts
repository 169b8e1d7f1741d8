// Agent tokens: the shared bearer-token scheme (tokens/secret-token.ts) with the agents' prefix.
import type { AgentRecord } from '../domain/agent.js';
import { hashSecretToken, holderOfToken, newSecretToken } from '../tokens/secret-token.js';

const PREFIX = 'candor_';

export function newAgentToken(): string {
  return newSecretToken(PREFIX);
}

export const hashAgentToken = hashSecretToken;

/** The active agent holding this token, comparing every hash in constant time. */
export function agentOfToken(agents: readonly AgentRecord[], token: string): AgentRecord | undefined {
  return holderOfToken(agents, token);
}
