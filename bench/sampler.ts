// Samples this process while a scenario runs: peak RSS and heap every tick, event-loop delay throughout.
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface ProcessSample {
  readonly peakRssBytes: number;
  readonly peakHeapUsedBytes: number;
  readonly endRssBytes: number;
  readonly samples: number;
  /** Event-loop delay over the sampled period, milliseconds. */
  readonly loopDelayMs: { readonly p50: number; readonly p99: number; readonly max: number };
}

export class ProcessSampler {
  private peakRssBytes = 0;
  private peakHeapUsedBytes = 0;
  private samples = 0;
  private readonly timer: NodeJS.Timeout;
  private readonly loopDelay = monitorEventLoopDelay({ resolution: 10 });

  constructor(everyMs: number) {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs).unref();
    this.loopDelay.enable();
  }

  /** Forget the event-loop delay seen so far (startup), keep the memory peaks. */
  resetLoopDelay(): void {
    this.loopDelay.reset();
  }

  stop(): ProcessSample {
    clearInterval(this.timer);
    this.loopDelay.disable();
    this.sample();
    const ms = (ns: number): number => ns / 1e6;
    return {
      peakRssBytes: this.peakRssBytes,
      peakHeapUsedBytes: this.peakHeapUsedBytes,
      endRssBytes: process.memoryUsage.rss(),
      samples: this.samples,
      loopDelayMs: { p50: ms(this.loopDelay.percentile(50)), p99: ms(this.loopDelay.percentile(99)), max: ms(this.loopDelay.max) },
    };
  }

  private sample(): void {
    const memory = process.memoryUsage();
    this.peakRssBytes = Math.max(this.peakRssBytes, memory.rss);
    this.peakHeapUsedBytes = Math.max(this.peakHeapUsedBytes, memory.heapUsed);
    this.samples += 1;
  }
}
