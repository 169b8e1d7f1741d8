// `candor tokens create|list|revoke`: API tokens, kept in the hub's database (same --data or
// --database-url as `candor serve`). A token is printed once; only its SHA-256 is stored.
import { isTokenScope, TOKEN_NAME, TOKEN_SCOPES } from '../domain/api-token.js';
import { hashSecretToken, newSecretToken } from '../tokens/secret-token.js';
import { EXIT } from './exit.js';
import { loadConfigOrReport } from './validate.js';
import { withStore, type StoreOptions, type Streams } from './with-store.js';

/** API tokens start so, apart from agents' `candor_`: a leaked one is recognisable (and searchable) as what it is. */
export const API_TOKEN_PREFIX = 'candor_api_';

export async function tokensCreateCommand(options: StoreOptions & { name: string; scope: string }, io: Streams): Promise<number> {
  if (!TOKEN_NAME.test(options.name)) {
    io.err.write(`candor tokens create: --name must be 1 to 64 lower-case letters, digits, ".", "_" and "-" (like "deploy-bot"), got ${JSON.stringify(options.name)}\n`);
    return EXIT.usage;
  }
  if (!isTokenScope(options.scope)) {
    io.err.write(`candor tokens create: --scope must be one of ${TOKEN_SCOPES.join(', ')}, got ${JSON.stringify(options.scope)}\n`);
    return EXIT.usage;
  }
  const scope = options.scope;
  // The config is only checked (as `candor serve` would read it), so a typo in it shows now, not at the next start.
  if (options.config !== undefined) {
    const config = loadConfigOrReport(options.config, io.err);
    if (typeof config === 'number') return config;
  }
  const token = newSecretToken(API_TOKEN_PREFIX);
  return withStore(options, io, 'tokens create', async (store) => {
    await store.tokens.add({ name: options.name, scope, tokenHash: hashSecretToken(token), createdAt: Date.now() });
    io.out.write(`${token}\n`);
    io.err.write(`token ${options.name} (scope ${scope}) created. It is shown once and not stored; send it as:\n  Authorization: Bearer TOKEN\n`);
    return EXIT.ok;
  });
}

export async function tokensListCommand(options: StoreOptions, io: Streams): Promise<number> {
  return withStore(options, io, 'tokens list', async (store) => {
    const tokens = await store.tokens.list();
    if (tokens.length === 0) {
      io.err.write('no API tokens (create one with: candor tokens create --name NAME --scope read|write|admin)\n');
      return EXIT.ok;
    }
    const rows = tokens.map((token) => [
      token.name,
      token.scope,
      new Date(token.createdAt).toISOString(),
      token.revokedAt !== undefined ? `revoked ${new Date(token.revokedAt).toISOString()}` : 'active',
    ]);
    const header = ['NAME', 'SCOPE', 'CREATED', 'STATUS'];
    const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
    for (const row of [header, ...rows]) io.out.write(`${row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()}\n`);
    return EXIT.ok;
  });
}

export async function tokensRevokeCommand(name: string, options: StoreOptions, io: Streams): Promise<number> {
  return withStore(options, io, 'tokens revoke', async (store) => {
    if (!(await store.tokens.revoke(name, Date.now()))) {
      io.err.write(`candor tokens revoke: no active token named ${JSON.stringify(name)}\n`);
      return EXIT.usage;
    }
    io.err.write(`token ${name} revoked: it is refused from now on, also by a running server\n`);
    return EXIT.ok;
  });
}
