// `provenance:` and `policies:` — how often where a host is served from is observed, and the
// sovereignty rules it is judged by (domain/policies.ts).

import countries from 'i18n-iso-countries';
import type { MonitorSpec, ProvenanceSettings } from '../domain/monitor.js';
import type { PolicyRules, PolicySpec } from '../domain/policies.js';
import { Fields, readList, readString, type Located, type Reader } from './reader.js';
import { describe } from './reader.js';
import { closestWord } from './suggest.js';
import { readDuration } from './values.js';
import { DEFAULT_PROVENANCE_INTERVAL_MS } from '../provenance/defaults.js';
import { parseServerAddress } from '../probes/dns.js';

export const DEFAULT_PROVENANCE: ProvenanceSettings = { intervalMs: DEFAULT_PROVENANCE_INTERVAL_MS };
const MIN_PROVENANCE_INTERVAL_MS = 60_000;

const POLICY_KEYS = ['id', 'appliesTo', 'allow', 'deny'] as const;
const APPLIES_KEYS = ['monitors', 'components', 'tags'] as const;
const RULE_KEYS = ['countries', 'asns', 'orgs', 'certIssuers', 'cdns'] as const;
const POLICY_ID = /^[a-z0-9-]{1,64}$/;
const ASN = /^(?:AS)?(\d{1,10})$/i;
const MAX_ASN = 4_294_967_295;

/** `provenance: { interval: 10m, resolver: "127.0.0.1:5353" }`. */
export function readProvenance(reader: Reader, at: Located): ProvenanceSettings | undefined {
  const fields = Fields.read(reader, at, ['interval', 'resolver']);
  if (!fields) return undefined;
  const intervalAt = fields.get('interval');
  const intervalMs = intervalAt ? readDuration(reader, intervalAt, MIN_PROVENANCE_INTERVAL_MS) : DEFAULT_PROVENANCE.intervalMs;
  const resolverAt = fields.get('resolver');
  const resolver = resolverAt ? readString(reader, resolverAt, { test: isResolverAddress, expected: 'a resolver address like "192.0.2.53", "192.0.2.53:5353" or "[2001:db8::53]:53"' }) : undefined;
  if (intervalMs === undefined || (resolverAt && resolver === undefined)) return undefined;
  return { intervalMs, ...(resolver !== undefined ? { resolver } : {}) };
}

/** An address the provenance probe can ask (probes/dns parseServerAddress), with a port that exists. */
function isResolverAddress(text: string): boolean {
  const parsed = parseServerAddress(text);
  return parsed !== undefined && Number.isInteger(parsed.port) && parsed.port >= 1 && parsed.port <= 65_535;
}

/**
 * Reads the list of policies. `monitors` is undefined when the monitors had problems of their own:
 * the names a policy applies to are then not checked (the lists they must come from are unknown).
 */
export function readPolicies(reader: Reader, at: Located, monitors: readonly MonitorSpec[] | undefined): PolicySpec[] | undefined {
  const items = readList(reader, at, 'a list of policies');
  if (!items) return undefined;
  const firstById = new Map<string, Located>();
  const policies: PolicySpec[] = [];
  let ok = true;
  for (const item of items) {
    const problemsBefore = reader.problems.length;
    const policy = readPolicy(reader, item, monitors);
    if (policy && reader.problems.length === problemsBefore) {
      const first = firstById.get(policy.id);
      if (first) {
        reader.report(item, `expected a unique policy id, got "${policy.id}" again (first used on line ${reader.lineOf(first.offset)})`);
        ok = false;
      } else {
        firstById.set(policy.id, item);
        policies.push(policy);
      }
    } else ok = false;
  }
  return ok ? policies : undefined;
}

function readPolicy(reader: Reader, at: Located, monitors: readonly MonitorSpec[] | undefined): PolicySpec | undefined {
  const fields = Fields.read(reader, at, POLICY_KEYS);
  if (!fields) return undefined;
  const idAt = fields.required(reader, 'id', ' (lower-case letters, digits and -, like "eu-only")');
  const id = idAt && readString(reader, idAt, { test: (text) => POLICY_ID.test(text), expected: 'a policy id of lower-case letters, digits and - like "eu-only"' });
  const appliesAt = fields.required(reader, 'appliesTo', ' (monitors, components or tags the policy covers)');
  const appliesTo = appliesAt && readAppliesTo(reader, appliesAt, monitors);
  const allowAt = fields.get('allow');
  const allow = allowAt && readRules(reader, allowAt);
  const denyAt = fields.get('deny');
  const deny = denyAt && readRules(reader, denyAt);
  if (!allowAt && !denyAt) reader.report(at, 'expected "allow" or "deny" (or both): a policy without rules judges nothing');
  if (id === undefined || appliesTo === undefined || (allowAt && !allow) || (denyAt && !deny) || (!allowAt && !denyAt)) return undefined;
  return { id, appliesTo, ...(allow ? { allow } : {}), ...(deny ? { deny } : {}) };
}

function readAppliesTo(reader: Reader, at: Located, monitors: readonly MonitorSpec[] | undefined): PolicySpec['appliesTo'] | undefined {
  const fields = Fields.read(reader, at, APPLIES_KEYS);
  if (!fields) return undefined;
  if (fields.keys().length === 0) {
    reader.report(at, 'expected at least one of "monitors", "components" or "tags"');
    return undefined;
  }
  const known = {
    monitors: monitors && monitors.map((m) => m.id),
    components: monitors && [...new Set(monitors.map((m) => m.component))],
    tags: monitors && [...new Set(monitors.flatMap((m) => m.tags))],
  };
  const what = { monitors: 'monitor id', components: 'component', tags: 'tag' } as const;
  const appliesTo: Record<string, string[]> = {};
  let ok = true;
  for (const key of APPLIES_KEYS) {
    const listAt = fields.get(key);
    if (!listAt) continue;
    const names = readNames(reader, listAt, (name, nameAt) => {
      const candidates = known[key];
      if (!candidates || candidates.includes(name)) return true;
      const guess = closestWord(name, candidates);
      reader.report(nameAt, `unknown ${what[key]} "${name}"${guess ? ` (did you mean "${guess}"?)` : ''}; no monitor has it`);
      return false;
    });
    if (names) appliesTo[key] = names;
    else ok = false;
  }
  return ok ? appliesTo : undefined;
}

function readRules(reader: Reader, at: Located): PolicyRules | undefined {
  const fields = Fields.read(reader, at, RULE_KEYS);
  if (!fields) return undefined;
  const rules: Record<string, unknown> = {};
  let ok = true;
  const countriesAt = fields.get('countries');
  if (countriesAt) {
    const codes = readNames(reader, countriesAt, (code, codeAt) => {
      if (/^[A-Z]{2}$/.test(code) && countries.isValid(code)) return true;
      const hint = /^[a-z]{2}$/.test(code) && countries.isValid(code) ? ` (write it upper case: "${code.toUpperCase()}")` : '';
      reader.report(codeAt, `expected an ISO 3166-1 alpha-2 country code like "NL" or "US", got "${code}"${hint}`);
      return false;
    });
    if (codes) rules.countries = codes;
    else ok = false;
  }
  const asnsAt = fields.get('asns');
  if (asnsAt) {
    const asns = readAsns(reader, asnsAt);
    if (asns) rules.asns = asns;
    else ok = false;
  }
  for (const key of ['orgs', 'certIssuers', 'cdns'] as const) {
    const listAt = fields.get(key);
    if (!listAt) continue;
    const names = readNames(reader, listAt, () => true);
    if (names) rules[key] = names;
    else ok = false;
  }
  if (fields.keys().length === 0) {
    reader.report(at, `expected at least one of: ${RULE_KEYS.join(', ')}`);
    ok = false;
  }
  return ok ? (rules as PolicyRules) : undefined;
}

/** A non-empty list of non-empty strings, each passing `check` (which reports its own problem). */
function readNames(reader: Reader, at: Located, check: (name: string, nameAt: Located) => boolean): string[] | undefined {
  const items = readList(reader, at, 'a list of names');
  if (!items) return undefined;
  if (items.length === 0) {
    reader.report(at, 'expected at least one entry, got an empty list');
    return undefined;
  }
  const names: string[] = [];
  let ok = true;
  for (const item of items) {
    const name = readString(reader, item, { test: (text) => text.trim().length > 0 && text.length <= 200, expected: 'a name of 1 to 200 characters' });
    if (name === undefined || !check(name, item)) ok = false;
    else names.push(name);
  }
  return ok ? names : undefined;
}

/** ASNs written as 64500 or "AS64500". */
function readAsns(reader: Reader, at: Located): number[] | undefined {
  const items = readList(reader, at, 'a list of ASNs');
  if (!items) return undefined;
  if (items.length === 0) {
    reader.report(at, 'expected at least one entry, got an empty list');
    return undefined;
  }
  const asns: number[] = [];
  let ok = true;
  for (const item of items) {
    const seen = reader.see(item);
    const text = seen.kind === 'scalar' && (typeof seen.value === 'number' || typeof seen.value === 'string') ? String(seen.value) : undefined;
    const match = text === undefined ? null : ASN.exec(text);
    const asn = match ? Number(match[1]) : NaN;
    if (!match || asn < 1 || asn > MAX_ASN) {
      reader.report(item, `expected an AS number like "AS64500" or 64500 (1 to ${MAX_ASN}), got ${describe(seen)}`);
      ok = false;
    } else asns.push(asn);
  }
  return ok ? asns : undefined;
}
