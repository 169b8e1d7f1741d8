import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fixedSizeChunks } from '../../src/storage/reused-statements.js';

describe('fixedSizeChunks', () => {
  const cases: { name: string; rows: number; parametersPerRow: number; sizes: number[] }[] = [
    { name: 'nothing', rows: 0, parametersPerRow: 13, sizes: [] },
    { name: 'one row', rows: 1, parametersPerRow: 13, sizes: [1] },
    { name: 'a power of two', rows: 64, parametersPerRow: 13, sizes: [64] },
    { name: 'powers of two, largest first', rows: 200, parametersPerRow: 13, sizes: [128, 64, 8] },
    { name: 'beyond the largest chunk', rows: 600, parametersPerRow: 13, sizes: [256, 256, 64, 16, 8] },
    { name: 'parameter limit below 256 rows', rows: 300, parametersPerRow: 200, sizes: [128, 128, 32, 8, 4] },
    { name: 'one row per chunk when a row fills the limit', rows: 3, parametersPerRow: 40_000, sizes: [1, 1, 1] },
  ];
  for (const { name, rows, parametersPerRow, sizes } of cases) {
    it(name, () => {
      const items = Array.from({ length: rows }, (_, i) => i);
      const chunks = fixedSizeChunks(items, parametersPerRow);
      assert.deepEqual(chunks.map((chunk) => chunk.length), sizes);
      assert.deepEqual(chunks.flat(), items, 'every row once, in order');
    });
  }
});
