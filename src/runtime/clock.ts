/** Wall-clock time, injected so schedules, retries and retention run on fake time in tests. */
export interface Clock {
  now(): number;
}

export type TimerHandle = { readonly __timer: unique symbol } | object;

export interface Timers {
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export const systemClock: Clock = { now: () => Date.now() };

export const systemTimers: Timers = {
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
