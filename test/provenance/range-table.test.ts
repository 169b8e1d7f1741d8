import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RangeTableBuilder, findIpv4Range, findRange } from '../../src/provenance/range-table.js';

function ipv4Table(rows: [number, number, number][]) {
  const builder = new RangeTableBuilder(1, 1);
  for (const [start, end, value] of rows) assert.equal(builder.add([start], [end], value), undefined);
  return builder.build();
}

describe('range table (IPv4)', () => {
  // 10-19 → 1, nested 12-13 → 2 and 15-15 → 3, then 20-29 → 4 overlapping 25-40 → 5; a gap 41-99; the top of the space.
  const { table, values } = ipv4Table([
    [10, 19, 1],
    [12, 13, 2],
    [15, 15, 3],
    [20, 29, 4],
    [25, 40, 5],
    [0xffffff00, 0xffffffff, 6],
  ]);
  const table_: [number, number | undefined][] = [
    [0, undefined],
    [9, undefined],
    [10, 1],
    [12, 2],
    [13, 2],
    [14, 1],
    [15, 3],
    [16, 1],
    [19, 1],
    [20, 4],
    [24, 4],
    [25, 5],
    [30, 5],
    [40, 5],
    [41, undefined],
    [0xfffffeff, undefined],
    [0xffffff00, 6],
    [0xffffffff, 6],
  ];
  for (const [address, expected] of table_) {
    it(`${address} -> ${expected ?? 'none'}`, () => {
      const index = findIpv4Range(table, address);
      assert.equal(index < 0 ? undefined : values[index], expected);
      assert.equal(findRange(table, [address]), index, 'the general search agrees');
    });
  }

  it('spreads ranges over buckets of the top 16 bits', () => {
    const { table: wide, values: wideValues } = ipv4Table([
      [0x00010000, 0x0003ffff, 1],
      [0x00020005, 0x00020005, 2],
      [0x7f000000, 0x7f0000ff, 3],
    ]);
    assert.equal(wideValues[findIpv4Range(wide, 0x00020004)], 1, 'inside the first range, in a later bucket than its start');
    assert.equal(wideValues[findIpv4Range(wide, 0x00020005)], 2);
    assert.equal(wideValues[findIpv4Range(wide, 0x0003ffff)], 1);
    assert.equal(findIpv4Range(wide, 0x00040000), -1);
    assert.equal(wideValues[findIpv4Range(wide, 0x7f000001)], 3);
  });

  it('refuses reversed and unsorted ranges, and grows past its first capacity', () => {
    const builder = new RangeTableBuilder(1, 1);
    assert.equal(builder.add([5], [4], 1), 'range ends before it starts');
    assert.equal(builder.add([5], [6], 1), undefined);
    assert.equal(builder.add([7], [8], 1), undefined);
    assert.match(builder.add([6], [9], 1) ?? '', /sorted by start/);
    assert.equal(builder.build().table.count, 2);
  });

  it('an empty table finds nothing', () => {
    const { table: empty } = new RangeTableBuilder(1, 0).build();
    assert.equal(findIpv4Range(empty, 0), -1);
    assert.equal(findIpv4Range(empty, 0xffffffff), -1);
  });
});

describe('range table (IPv6, four words)', () => {
  const builder = new RangeTableBuilder(4, 2);
  builder.add([0x20010db8, 0, 0, 0], [0x20010db8, 0xffffffff, 0xffffffff, 0xffffffff], 1);
  builder.add([0x20010db8, 0x00010000, 0, 0], [0x20010db8, 0x0001ffff, 0xffffffff, 0xffffffff], 2);
  builder.add([0x26064700, 0, 0, 0], [0x26064700, 0xffffffff, 0xffffffff, 0xffffffff], 3);
  const { table, values } = builder.build();
  const table_: [number[], number | undefined][] = [
    [[0x20010db7, 0xffffffff, 0xffffffff, 0xffffffff], undefined],
    [[0x20010db8, 0, 0, 0], 1],
    [[0x20010db8, 0x00010000, 0, 5], 2],
    [[0x20010db8, 0x00020000, 0, 0], 1],
    [[0x20010db8, 0xffffffff, 0xffffffff, 0xffffffff], 1],
    [[0x20010db9, 0, 0, 0], undefined],
    [[0x26064700, 0x47000000, 0, 0x1111], 3],
    [[0xffffffff, 0, 0, 0], undefined],
  ];
  for (const [words, expected] of table_) {
    it(`${words.map((w) => w.toString(16)).join(' ')} -> ${expected ?? 'none'}`, () => {
      const index = findRange(table, words);
      assert.equal(index < 0 ? undefined : values[index], expected);
    });
  }
});
