import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CandorError } from '../../src/domain/errors.js';
import { openSqliteStore } from '../../src/storage/sqlite.js';
import { openStore } from '../../src/storage/open.js';
import { storageContract } from './contract.js';
import { accessContract } from './access-contract.js';
import { outboxContract } from './outbox-contract.js';
import { batch, incident, result, state, T0 } from './fixtures.js';

const directory = mkdtempSync(join(tmpdir(), 'candor-sqlite-'));
after(() => rmSync(directory, { recursive: true, force: true }));

let files = 0;
const openContractStore = async () => {
  const file = join(directory, `contract-${++files}.db`);
  const store = await openSqliteStore(file);
  return {
    store,
    async cleanup() {
      await store.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
    },
  };
};
storageContract('SQLite', openContractStore);
accessContract('SQLite', openContractStore);
outboxContract('SQLite', openContractStore);

const isStorageUnwritable = (error: unknown): boolean =>
  error instanceof CandorError && error.code === 'storage_unwritable';

describe('SQLite storage', () => {
  let scratch: string;
  before(() => {
    scratch = mkdtempSync(join(directory, 'scratch-'));
  });

  it('keeps data when the file is reopened', async () => {
    const file = join(scratch, 'reopen.db');
    const first = await openSqliteStore(file);
    await first.migrate();
    const stored = result('r1', { peerAddress: '192.0.2.1', details: { type: 'http', status: 200 } });
    await first.commit(batch({ results: [stored], states: [state('m1')], incidentsOpened: [incident('i1', T0)] }));
    await first.close();

    const second = await openSqliteStore(file);
    await second.migrate();
    assert.deepEqual(await second.getResult(stored.id), stored);
    assert.equal((await second.listStates()).length, 1);
    assert.equal((await second.getIncident('i1'))?.timeline.length, 1);
    await second.close();
  });

  it('writes ahead (WAL journal next to the file)', async () => {
    const file = join(scratch, 'wal.db');
    const store = await openSqliteStore(file);
    await store.migrate();
    await store.commit(batch({ results: [result('r1')] }));
    assert.ok(existsSync(`${file}-wal`));
    await store.close();
  });

  it('throws storage_unwritable naming the path when the directory does not exist', async () => {
    const file = join(scratch, 'missing', 'candor.db');
    await assert.rejects(openSqliteStore(file), (error: unknown) => {
      assert.ok(isStorageUnwritable(error));
      assert.match((error as Error).message, /missing/);
      return true;
    });
  });

  it('throws storage_unwritable when the "directory" is a file', async () => {
    const notADirectory = join(scratch, 'plain-file');
    writeFileSync(notADirectory, 'x');
    const file = join(notADirectory, 'candor.db');
    await assert.rejects(openSqliteStore(file), (error: unknown) => {
      assert.ok(isStorageUnwritable(error));
      assert.ok((error as Error).message.includes(file));
      return true;
    });
    await assert.rejects(openStore({ dataDir: join(notADirectory, 'data') }), isStorageUnwritable);
  });

  it('throws storage_unwritable when the directory is read-only', { skip: process.getuid?.() === 0 ? 'root ignores file permissions' : false }, async () => {
    const readOnly = mkdtempSync(join(scratch, 'ro-'));
    chmodSync(readOnly, 0o555);
    try {
      await assert.rejects(openSqliteStore(join(readOnly, 'candor.db')), isStorageUnwritable);
    } finally {
      chmodSync(readOnly, 0o755);
    }
  });

  it('openStore creates the data directory and candor.db in it', async () => {
    const dataDir = join(scratch, 'nested', 'data');
    const store = await openStore({ dataDir });
    await store.migrate();
    assert.ok(existsSync(join(dataDir, 'candor.db')));
    await store.close();
  });
});
