// Change events: what differs between two views of where a host is served from. Pure.
import { formatNetwork, type ProvenanceView } from './view.js';

export const CHANGE_KINDS = ['addresses', 'network', 'country', 'cname', 'certificate_issuer', 'certificate', 'cdn'] as const;
/**
 * addresses: the set of addresses the name resolves to; network: an ASN or AS organisation;
 * country: a registered country; cname: the CNAME target; certificate_issuer: who issued the leaf;
 * certificate: the leaf itself (a new key, or the same key renewed); cdn: the CDN the headers name.
 */
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export interface ChangeDiff {
  readonly kind: ChangeKind;
  /** Human-readable values before and after, sorted; empty means none (or unknown). */
  readonly previous: readonly string[];
  readonly current: readonly string[];
}

/** A change as recorded: which monitor, seen from where, when. */
export interface ProvenanceChange extends ChangeDiff {
  readonly id: string;
  readonly monitorId: string;
  readonly vantage: string;
  readonly at: number;
}

const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((value, i) => value === b[i]);
const optional = (value: string | undefined): string[] => (value === undefined ? [] : [value]);

/** Whether `view` knows a dimension: nothing changes from what was never seen. */
const KNOWN: Record<ChangeKind, (view: ProvenanceView) => boolean> = {
  addresses: (view) => view.resolved,
  network: (view) => view.resolved,
  country: (view) => view.resolved,
  cname: (view) => view.resolved,
  certificate_issuer: (view) => view.certificate !== undefined,
  certificate: (view) => view.certificate !== undefined,
  cdn: (view) => view.answered,
};

/**
 * The changes from `previous` to `next`, in CHANGE_KINDS order. A dimension `previous` never saw
 * (the first snapshot, a first certificate after failed handshakes) is learnt, not changed.
 */
export function diffViews(previous: ProvenanceView | undefined, next: ProvenanceView): ChangeDiff[] {
  if (!previous) return [];
  const dimensions: Record<ChangeKind, (view: ProvenanceView) => string[]> = {
    addresses: (view) => [...view.addresses],
    network: (view) => view.networks.map(formatNetwork),
    country: (view) => [...view.countries],
    cname: (view) => optional(view.cnameTarget),
    certificate_issuer: (view) => optional(view.certificate?.issuer),
    certificate: (view) => optional(view.certificate?.fingerprint256),
    cdn: (view) => [...view.cdns],
  };
  const changes: ChangeDiff[] = [];
  for (const kind of CHANGE_KINDS) {
    if (!KNOWN[kind](previous)) continue;
    const before = dimensions[kind](previous);
    const after = dimensions[kind](next);
    if (!sameList(before, after)) changes.push({ kind, previous: before, current: after });
  }
  return changes;
}

const LABELS: Record<ChangeKind, string> = {
  addresses: 'New address set',
  network: 'New network',
  country: 'New country',
  cname: 'New CNAME target',
  certificate_issuer: 'New certificate issuer',
  certificate: 'New certificate',
  cdn: 'New CDN',
};

export const changeLabel = (kind: ChangeKind): string => LABELS[kind];

/** One line: "New country: NL → US". */
export function describeChange(change: ChangeDiff): string {
  const list = (values: readonly string[]) => (values.length === 0 ? 'none' : values.join(', '));
  return `${LABELS[change.kind]}: ${list(change.previous)} → ${list(change.current)}`;
}
