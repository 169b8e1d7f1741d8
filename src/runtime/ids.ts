import { monotonicFactory } from 'ulid';
import type { Clock } from './clock.js';

/** Unique ids that sort by creation time (ULIDs), so results have a stable, time-ordered identity. */
export interface Ids {
  next(): string;
}

export function createIds(clock: Clock): Ids {
  const ulid = monotonicFactory();
  return { next: () => ulid(clock.now()) };
}
