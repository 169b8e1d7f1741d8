// `candor check TARGET`: runs one probe now and prints its phases and verdict, like `curl -w`.
import { parseDuration } from '../config/durations.js';
import { MAX_TIMER_MS } from '../config/values.js';
import { createProbes } from '../probes/registry.js';
import type { ProbeOutcome } from '../probes/types.js';
import { probeSpecFor, TargetError, type TargetOptions } from './target.js';
import { EXIT } from './exit.js';

export interface CheckOptions extends TargetOptions {
  readonly timeout: string;
  readonly json?: boolean;
}

export async function checkCommand(target: string, options: CheckOptions, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const timeoutMs = parseDuration(options.timeout);
  if (timeoutMs === undefined || timeoutMs <= 0 || timeoutMs > MAX_TIMER_MS) {
    err.write(`candor check: --timeout must be a duration like "10s" (at most 24 days), got "${options.timeout}"\n`);
    return EXIT.usage;
  }
  let spec;
  try {
    spec = probeSpecFor(target, options);
  } catch (error) {
    if (error instanceof TargetError) {
      err.write(`candor check: ${error.message}\n`);
      return EXIT.usage;
    }
    throw error;
  }
  const outcome = await createProbes().run(spec, { timeoutMs });
  const verdict = outcome.ok ? EXIT.ok : EXIT.checkFailed;
  const printed = await writeOut(out, options.json ? `${JSON.stringify({ target, type: spec.type, ...outcome }, null, 2)}\n` : formatOutcome(spec.type, outcome));
  // A reader that went away (`| head -0`) is not our problem to report; a full disk is worth one line.
  if (printed && printed.code !== 'EPIPE') err.write(`candor check: could not print the result: ${printed.code ?? printed.message}\n`);
  return verdict;
}

/** Writes and waits; a closed or full stdout comes back as the error instead of crashing the process. */
export function writeOut(out: NodeJS.WritableStream, text: string): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((resolve) => {
    const onError = (error: NodeJS.ErrnoException) => resolve(error);
    out.once('error', onError);
    out.write(text, (error) => {
      if (error) resolve(error as NodeJS.ErrnoException);
      else {
        out.off('error', onError);
        resolve(undefined);
      }
    });
  });
}

export function formatOutcome(type: string, outcome: ProbeOutcome): string {
  const lines: string[] = [];
  for (const phase of ['dns', 'connect', 'tls', 'ttfb', 'total'] as const) {
    const ms = outcome.phases[phase];
    if (ms !== undefined) lines.push(`  ${phase.padEnd(8)} ${ms.toFixed(1).padStart(9)} ms`);
  }
  const facts: string[] = [`type ${type}`];
  if (outcome.peerAddress) facts.push(`peer ${outcome.peerAddress}`);
  const details = outcome.details;
  if (details.type === 'http') {
    if (details.status !== undefined) facts.push(`status ${details.status}`);
    if (details.bodyBytes !== undefined) facts.push(`body ${details.bodyBytes} B`);
  }
  if (details.type === 'tls' && details.daysRemaining !== undefined) facts.push(`certificate valid ${details.daysRemaining} more days`);
  if (details.type === 'dns' && details.answers !== undefined) {
    facts.push(`answers ${details.answers.map((a) => `${a.data} (ttl ${a.ttl}s)`).join(', ') || '(none)'}`);
  }
  lines.push(`  ${facts.join('  ')}`);
  lines.push(outcome.ok ? 'UP' : `DOWN  ${outcome.error?.kind}: ${outcome.error?.message}`);
  return `${lines.join('\n')}\n`;
}
