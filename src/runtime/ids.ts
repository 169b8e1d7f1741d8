import { randomBytes } from 'node:crypto';
import { monotonicFactory } from 'ulid';
import type { Clock } from './clock.js';

/** Unique ids that sort by creation time (ULIDs), so results have a stable, time-ordered identity. */
export interface Ids {
  next(): string;
}

export function createIds(clock: Clock): Ids {
  const ulid = monotonicFactory(bufferedRandom());
  return { next: () => ulid(clock.now()) };
}

/**
 * Cryptographic randomness drawn 4 KiB at a time: ulid asks for one random number per character,
 * and a system call for each was the largest single cost of a check at 10,000 monitors.
 */
function bufferedRandom(): () => number {
  let pool = randomBytes(4096);
  let offset = 0;
  return () => {
    if (offset >= pool.length) {
      pool = randomBytes(4096);
      offset = 0;
    }
    return pool[offset++]! / 256;
  };
}
