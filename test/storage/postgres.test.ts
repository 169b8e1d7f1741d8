import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPostgresStore } from '../../src/storage/postgres.js';
import { storageContract } from './contract.js';
import { accessContract } from './access-contract.js';
import { outboxContract } from './outbox-contract.js';
import { batch, result } from './fixtures.js';

const databaseUrl = process.env.CANDOR_TEST_DATABASE_URL;

/** A schema of its own per opened store, so parallel and repeated runs never see each other's rows. */
const runId = `${process.pid}_${randomBytes(4).toString('hex')}`;
let opened = 0;

async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}

if (databaseUrl === undefined || databaseUrl === '') {
  it('PostgreSQL storage contract skipped: CANDOR_TEST_DATABASE_URL not set', { skip: true }, () => {});
} else {
  const url = databaseUrl;
  const openContractStore = async () => {
    const schema = `candor_test_${runId}_${++opened}`;
    const store = await openPostgresStore(url, { schema });
    return {
      store,
      async cleanup() {
        await store.close();
        await dropSchema(url, schema);
      },
    };
  };
  storageContract('PostgreSQL', openContractStore);
  accessContract('PostgreSQL', openContractStore);
  outboxContract('PostgreSQL', openContractStore);

  describe('PostgreSQL storage', () => {
    it('parses bigint as numbers on its own pool only, leaving the global pg parsers alone', async () => {
      const schema = `candor_test_${runId}_${++opened}`;
      const store = await openPostgresStore(url, { schema });
      try {
        await store.migrate();
        const stored = result('r1', { startedAt: 1_773_136_800_123 });
        await store.commit(batch({ results: [stored] }));
        assert.equal((await store.getResult(stored.id))?.startedAt, 1_773_136_800_123);
        assert.equal(pg.types.getTypeParser(20, 'text')('5'), '5');
      } finally {
        await store.close();
        await dropSchema(url, schema);
      }
    });

    it('rejects a schema name it would have to quote', async () => {
      await assert.rejects(openPostgresStore(url, { schema: 'x"; drop table y; --' }), /invalid PostgreSQL schema name/);
    });
  });
}
