// Response headers → the CDN or hosting providers they hint at, by the rule table in cdn-rules.ts. Pure.
// Bounded whatever the response: at most MAX_HEADERS headers and the first MAX_VALUE characters of each
// value are looked at, so megabytes of junk headers cost microseconds and never throw.
import { CDN_RULES, type CdnRule } from './cdn-rules.js';

export interface CdnHint {
  readonly provider: string;
  /** The header that gave it away, as "name: value" (value cut short). */
  readonly evidence: string;
}

/** Headers as Node gives them (lower-case names; arrays for repeated ones), or as name/value pairs. */
export type ResponseHeaders = Readonly<Record<string, unknown>> | Iterable<readonly [string, unknown]>;

export const MAX_HEADERS = 200;
export const MAX_VALUE = 256;

function valueText(value: unknown): string {
  const first = Array.isArray(value) ? value[0] : value;
  if (typeof first === 'string') return first.slice(0, MAX_VALUE);
  if (typeof first === 'number' || typeof first === 'boolean') return String(first);
  return '';
}

function matches(rule: CdnRule, name: string, value: string): boolean {
  if (rule.header.endsWith('*') ? !name.startsWith(rule.header.slice(0, -1)) : name !== rule.header) return false;
  if (rule.equals !== undefined) return value.trim().toLowerCase() === rule.equals;
  if (rule.contains !== undefined) return value.toLowerCase().includes(rule.contains);
  return true;
}

function entriesOf(headers: ResponseHeaders): Iterable<readonly [string, unknown]> {
  return Symbol.iterator in headers ? (headers as Iterable<readonly [string, unknown]>) : Object.entries(headers);
}

/** The providers the headers hint at, each once with its first evidence, sorted by name. */
export function cdnHints(headers: ResponseHeaders | undefined, rules: readonly CdnRule[] = CDN_RULES): CdnHint[] {
  if (!headers || typeof headers !== 'object') return [];
  const found = new Map<string, CdnHint>();
  let seen = 0;
  for (const entry of entriesOf(headers)) {
    if (++seen > MAX_HEADERS) break;
    if (!Array.isArray(entry) || typeof entry[0] !== 'string' || entry[0].length > MAX_VALUE) continue;
    const name = entry[0].toLowerCase();
    const value = valueText(entry[1]);
    for (const rule of rules) {
      if (!found.has(rule.provider) && matches(rule, name, value)) {
        found.set(rule.provider, { provider: rule.provider, evidence: `${name}: ${value.slice(0, 80)}` });
      }
    }
  }
  return [...found.values()].sort((a, b) => a.provider.localeCompare(b.provider, 'en'));
}
