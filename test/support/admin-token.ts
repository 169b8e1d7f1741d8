// An admin API token stored in a hub's data directory before the hub starts, as `candor tokens create`
// would: tests of write routes send it as their Authorization header.
import { openStore } from '../../src/storage/open.js';
import { hashSecretToken, newSecretToken } from '../../src/tokens/secret-token.js';

export async function adminToken(dataDir: string, name = 'test-admin'): Promise<{ token: string; authorization: string }> {
  const store = await openStore({ dataDir });
  try {
    await store.migrate();
    const token = newSecretToken('candor_api_');
    await store.tokens.add({ name, scope: 'admin', tokenHash: hashSecretToken(token), createdAt: Date.now() });
    return { token, authorization: `Bearer ${token}` };
  } finally {
    await store.close();
  }
}
