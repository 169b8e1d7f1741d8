// Regular expressions from the config run on RE2's engine (re2js, a pure JavaScript port): matching
// takes time linear in the text, so no pattern can stall the event loop by backtracking. The price
// is RE2's syntax: no backreferences and no lookaround, which the config refuses at load time.
import { RE2JS, RE2JSException } from 're2js';

export interface LinearPattern {
  /** True when the pattern matches somewhere in `text` (like RegExp#test without flags). */
  test(text: string): boolean;
}

export type CompiledPattern = { readonly ok: true; readonly pattern: LinearPattern } | { readonly ok: false; readonly problem: string };

/** Compiled patterns by source: sources come from the config, so this holds a bounded set. */
const compiled = new Map<string, CompiledPattern>();
const MAX_CACHED = 10_000;

export function compileLinearPattern(source: string): CompiledPattern {
  const cached = compiled.get(source);
  if (cached) return cached;
  const result = compileUncached(source);
  if (compiled.size < MAX_CACHED) compiled.set(source, result);
  return result;
}

function compileUncached(source: string): CompiledPattern {
  try {
    const re = RE2JS.compile(source);
    return { ok: true, pattern: { test: (text) => re.test(text) } };
  } catch (error) {
    // The engine's only failures are syntax it does not support, which the config author has to fix.
    if (error instanceof RE2JSException) return { ok: false, problem: describeSyntaxError((error as Error).message) };
    throw error;
  }
}

function describeSyntaxError(message: string): string {
  const unsupported = /invalid escape sequence: `\\\d`|`\(\?<?[=!]/.test(message);
  const reason = message.replace(/^error parsing regexp: /, '');
  return unsupported ? `${reason}; backreferences and lookaround are not supported (patterns run in linear time, RE2 syntax)` : reason;
}
