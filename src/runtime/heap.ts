// How far V8 lets the old generation grow before it collects it again. After each full collection V8
// sets the next one at what survived times a factor it picks from its own speed (2 to 4 when, as in a
// hub, the program allocates slowly). A hub's old generation is mostly garbage that lived a second or
// two (observations waiting for their batch, the batch's rows), so at 10,000 monitors it grew from
// about 40 to 100 MB between full collections, most of the peak memory (255 to 263 MB in the bench);
// a hub taking agents' batches grew to 430 MB. Collecting once it is 20 % above what survived keeps
// those peaks at about 240 and 260 MB. Marking runs beside the program and the CPU per check stayed
// within the bench's noise; the hub's CPU per agent observation rose by 14 and 36 % (SQLite,
// PostgreSQL) in one paired run each, runs that vary about as much from one to the next. At 50 % the
// 10,000-monitor peak was 263 to 270 MB (README, Performance).
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 20;
const FLAG = '--heap-growing-percent';

/** True when the operator set the growth factor himself (`node --heap-growing-percent=N`): it is left as set. */
export function heapGrowthChosen(execArgv: readonly string[]): boolean {
  return execArgv.some((arg) => arg.split('=')[0]!.replaceAll('_', '-') === FLAG);
}

/**
 * Bounds the old generation's growth between full collections for the whole process (the checks
 * thread's heap included, when it starts after this). V8 reads the flag each time it sets the next
 * collection's limit, so setting it at run time takes effect from the next full collection on.
 */
export function boundHeapGrowth(execArgv: readonly string[] = process.execArgv): boolean {
  if (heapGrowthChosen(execArgv)) return false;
  setFlagsFromString(`${FLAG}=${HEAP_GROWING_PERCENT}`);
  return true;
}
