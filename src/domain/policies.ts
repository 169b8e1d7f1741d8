// Sovereignty policies: rules on where a monitor may be served from, judged against what was last
// known from one vantage. Pure.
import type { MonitorSpec } from './monitor.js';
import type { ProvenanceView } from '../provenance/view.js';

/** Values matched by a policy. Countries are ISO 3166-1 alpha-2 upper case; names match case-insensitively. */
export interface PolicyRules {
  readonly countries?: readonly string[];
  readonly asns?: readonly number[];
  readonly orgs?: readonly string[];
  /** Matched as a case-insensitive part of the issuer's name ("Let's Encrypt" matches "O=Let's Encrypt, CN=R3"). */
  readonly certIssuers?: readonly string[];
  readonly cdns?: readonly string[];
}

export interface PolicySpec {
  /** [a-z0-9-]+, unique. */
  readonly id: string;
  /** A monitor is covered when it is listed, its component is, or one of its tags is. */
  readonly appliesTo: {
    readonly monitors?: readonly string[];
    readonly components?: readonly string[];
    readonly tags?: readonly string[];
  };
  /** Every value seen must be listed (and known). */
  readonly allow?: PolicyRules;
  /** No value seen may be listed. */
  readonly deny?: PolicyRules;
}

export type PolicyRule = `${'allow' | 'deny'}.${keyof PolicyRules}`;

/** One broken rule: which, and the value that broke it. */
export interface PolicyBreach {
  readonly rule: PolicyRule;
  /** The value seen ("US", "AS64501", an issuer name), or "unknown" when an allow list cannot be checked. */
  readonly value: string;
}

export function policyCovers(policy: PolicySpec, monitor: Pick<MonitorSpec, 'id' | 'component' | 'tags'>): boolean {
  const { monitors, components, tags } = policy.appliesTo;
  return (
    (monitors?.includes(monitor.id) ?? false) ||
    (components?.includes(monitor.component) ?? false) ||
    (tags?.some((tag) => monitor.tags.includes(tag)) ?? false)
  );
}

interface Dimension {
  /** The values seen, or undefined when this vantage never saw the dimension (nothing to judge). */
  seen(view: ProvenanceView): readonly string[] | undefined;
  /** Whether a listed value matches a seen one. */
  matches(listed: string, seen: string): boolean;
  listed(rules: PolicyRules): readonly string[] | undefined;
}

const sameText = (listed: string, seen: string): boolean => listed.toLowerCase() === seen.toLowerCase();

const DIMENSIONS: Record<keyof PolicyRules, Dimension> = {
  countries: {
    // An address the database places in no country cannot be shown to comply: it is "unknown".
    seen: (view) => (view.resolved ? (view.countries.length > 0 ? view.countries : ['unknown']) : undefined),
    matches: sameText,
    listed: (rules) => rules.countries,
  },
  asns: {
    seen: (view) => (view.resolved ? (view.networks.length > 0 ? view.networks.map((n) => `AS${n.asn}`) : ['unknown']) : undefined),
    matches: sameText,
    listed: (rules) => rules.asns?.map((asn) => `AS${asn}`),
  },
  orgs: {
    seen: (view) => (view.resolved ? (view.networks.length > 0 ? [...new Set(view.networks.map((n) => n.org || 'unknown'))] : ['unknown']) : undefined),
    matches: sameText,
    listed: (rules) => rules.orgs,
  },
  certIssuers: {
    seen: (view) => (view.certificate ? [view.certificate.issuer] : undefined),
    matches: (listed, seen) => seen.toLowerCase().includes(listed.toLowerCase()),
    listed: (rules) => rules.certIssuers,
  },
  cdns: {
    seen: (view) => (view.answered ? view.cdns : undefined),
    matches: sameText,
    listed: (rules) => rules.cdns,
  },
};

const RULE_KEYS = Object.keys(DIMENSIONS) as (keyof PolicyRules)[];

/**
 * The rules `view` breaks, in a stable order (allow before deny, dimensions in PolicyRules order).
 * An empty list means the view complies. A dimension the vantage has not seen breaks nothing.
 */
export function evaluatePolicy(policy: PolicySpec, view: ProvenanceView): PolicyBreach[] {
  const breaches: PolicyBreach[] = [];
  for (const key of RULE_KEYS) {
    const dimension = DIMENSIONS[key];
    const allowed = policy.allow && dimension.listed(policy.allow);
    const seen = dimension.seen(view);
    if (!allowed || !seen) continue;
    for (const value of seen) {
      if (value === 'unknown' || !allowed.some((listed) => dimension.matches(listed, value))) breaches.push({ rule: `allow.${key}`, value });
    }
  }
  for (const key of RULE_KEYS) {
    const dimension = DIMENSIONS[key];
    const denied = policy.deny && dimension.listed(policy.deny);
    const seen = dimension.seen(view);
    if (!denied || !seen) continue;
    for (const value of seen) {
      if (value !== 'unknown' && denied.some((listed) => dimension.matches(listed, value))) breaches.push({ rule: `deny.${key}`, value });
    }
  }
  return breaches;
}

/** "allow.countries: US is not allowed; deny.asns: AS64501 is denied". */
export function describeBreaches(breaches: readonly PolicyBreach[]): string {
  return breaches
    .map((b) => (b.rule.startsWith('allow.') ? `${b.rule}: ${b.value === 'unknown' ? 'an unknown value' : b.value} is not allowed` : `${b.rule}: ${b.value} is denied`))
    .join('; ');
}
