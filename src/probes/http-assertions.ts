// HTTP assertions as a pure evaluator: (expectations, observed response) -> first failure or undefined.
// No I/O; table-tested in test/probes/http-assertions.test.ts.
import { isDeepStrictEqual } from 'node:util';
import type { HeaderAssertion, HttpExpect, JsonAssertion, StatusRange } from '../domain/monitor.js';
import { compileLinearPattern, type LinearPattern } from '../domain/linear-pattern.js';
import { isSensitiveHeader, REDACTED } from '../domain/redaction.js';
import type { ProbeError } from '../domain/observation.js';

export interface ObservedResponse {
  readonly status: number;
  /** All response headers, names lower-case, repeated values joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  /** The body text as read (at most maxBodyBytes). */
  readonly bodyText: string;
  /** The body was longer than maxBodyBytes and reading stopped. */
  readonly bodyTruncated: boolean;
  readonly maxBodyBytes: number;
  readonly latencyMs: number;
}

const DEFAULT_STATUS: readonly StatusRange[] = [[200, 399]];

/** True when some assertion has to look at the body (so a capped body cannot be judged). */
export function needsBody(expect: HttpExpect): boolean {
  return (
    (expect.bodyContains?.length ?? 0) > 0 || expect.bodyMatches !== undefined || (expect.json?.length ?? 0) > 0
  );
}

function formatRanges(ranges: readonly StatusRange[]): string {
  return ranges.map(([low, high]) => (low === high ? `${low}` : `${low}-${high}`)).join(', ');
}

function assertionFailed(message: string): ProbeError {
  return { kind: 'assertion_failed', message };
}

/**
 * The first failing expectation, in this order: status, latency, headers, body size, body text, JSON.
 * A truncated body fails with `body_too_large` only when a body assertion needs it.
 */
export function evaluateHttpExpect(expect: HttpExpect, response: ObservedResponse): ProbeError | undefined {
  const ranges = expect.status.length > 0 ? expect.status : DEFAULT_STATUS;
  if (!ranges.some(([low, high]) => response.status >= low && response.status <= high)) {
    return { kind: 'http_status', message: `expected status ${formatRanges(ranges)}, got ${response.status}` };
  }
  if (expect.maxLatencyMs !== undefined && response.latencyMs > expect.maxLatencyMs) {
    return assertionFailed(`maxLatencyMs: took ${Math.round(response.latencyMs)} ms, expected at most ${expect.maxLatencyMs} ms`);
  }
  for (const assertion of expect.headers ?? []) {
    const failure = checkHeader(assertion, response.headers);
    if (failure) return assertionFailed(failure);
  }
  if (!needsBody(expect)) return undefined;
  if (response.bodyTruncated) {
    return {
      kind: 'body_too_large',
      message: `body exceeds maxBodyBytes (${response.maxBodyBytes}); body assertions need the whole body`,
    };
  }
  for (const text of expect.bodyContains ?? []) {
    if (!response.bodyText.includes(text)) return assertionFailed(`bodyContains: body does not contain ${JSON.stringify(text)}`);
  }
  if (expect.bodyMatches !== undefined) {
    const failure = checkBodyMatches(expect.bodyMatches, response.bodyText);
    if (failure) return assertionFailed(failure);
  }
  if ((expect.json?.length ?? 0) > 0) {
    const failure = checkJson(expect.json ?? [], response.bodyText);
    if (failure) return assertionFailed(failure);
  }
  return undefined;
}

/** The compiled pattern, or the problem as text (the config refuses such patterns; specs built in code may not). */
function compilePattern(source: string): LinearPattern | string {
  const compiled = compileLinearPattern(source);
  return compiled.ok ? compiled.pattern : `invalid regular expression ${JSON.stringify(source)}: ${compiled.problem}`;
}

function checkBodyMatches(source: string, bodyText: string): string | undefined {
  const pattern = compilePattern(source);
  if (typeof pattern === 'string') return `bodyMatches: ${pattern}`;
  return pattern.test(bodyText) ? undefined : `bodyMatches: body does not match /${source}/`;
}

function checkHeader(assertion: HeaderAssertion, headers: Readonly<Record<string, string>>): string | undefined {
  const name = assertion.name.toLowerCase();
  const value = Object.hasOwn(headers, name) ? headers[name] : undefined;
  const label = `header ${name}`;
  // A cookie or token the target sends must not end up in a stored, published failure message.
  const shown = (text: string) => JSON.stringify(isSensitiveHeader(name) ? REDACTED : text);
  if (assertion.exists === false) return value === undefined ? undefined : `${label}: expected absent, got ${shown(value)}`;
  if (value === undefined) return `${label}: missing`;
  if (assertion.equals !== undefined && value !== assertion.equals) {
    return `${label}: expected ${shown(assertion.equals)}, got ${shown(value)}`;
  }
  if (assertion.contains !== undefined && !value.includes(assertion.contains)) {
    return `${label}: ${shown(value)} does not contain ${shown(assertion.contains)}`;
  }
  if (assertion.matches !== undefined) {
    const pattern = compilePattern(assertion.matches);
    if (typeof pattern === 'string') return `${label}: ${pattern}`;
    if (!pattern.test(value)) return `${label}: ${shown(value)} does not match /${assertion.matches}/`;
  }
  return undefined;
}

type PathStep = string | number;

/** "data.items[0].status" -> ["data", "items", 0, "status"]; "", "$" -> []; a leading "$." is allowed. */
export function parseJsonPath(path: string): PathStep[] | undefined {
  let rest = path.trim();
  if (rest === '' || rest === '$') return [];
  if (rest.startsWith('$.')) rest = rest.slice(2);
  else if (rest.startsWith('$[')) rest = rest.slice(1);
  const steps: PathStep[] = [];
  const token = /^(?:\.?([^.[\]]+)|\[(\d+)\])/;
  while (rest.length > 0) {
    const match = token.exec(rest);
    if (!match) return undefined;
    if (match[2] !== undefined) steps.push(Number(match[2]));
    else steps.push(match[1]!);
    rest = rest.slice(match[0].length);
  }
  return steps;
}

function lookupPath(root: unknown, steps: readonly PathStep[]): { found: boolean; value?: unknown } {
  let current: unknown = root;
  for (const step of steps) {
    if (typeof step === 'number') {
      if (!Array.isArray(current) || step >= current.length) return { found: false };
      current = current[step];
    } else {
      if (typeof current !== 'object' || current === null || Array.isArray(current) || !Object.hasOwn(current, step)) {
        return { found: false };
      }
      current = (current as Record<string, unknown>)[step];
    }
  }
  return { found: true, value: current };
}

function checkJson(assertions: readonly JsonAssertion[], bodyText: string): string | undefined {
  let document: unknown;
  try {
    document = JSON.parse(bodyText);
  } catch {
    // Not JSON is itself the finding; the parser's message adds nothing useful.
    return 'json: body is not valid JSON';
  }
  for (const assertion of assertions) {
    const label = `json ${assertion.path === '' ? '$' : assertion.path}`;
    const steps = parseJsonPath(assertion.path);
    if (!steps) return `${label}: invalid path`;
    const { found, value } = lookupPath(document, steps);
    if (assertion.exists === false) {
      if (found) return `${label}: expected absent, got ${JSON.stringify(value)}`;
      continue;
    }
    if (!found) return `${label}: missing`;
    if (assertion.equals !== undefined && !isDeepStrictEqual(value, assertion.equals)) {
      return `${label}: expected ${JSON.stringify(assertion.equals)}, got ${JSON.stringify(value)}`;
    }
  }
  return undefined;
}
