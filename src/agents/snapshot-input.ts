// A provenance snapshot pushed by an agent, checked field by field before it reaches the ledger: the
// shape of provenance/snapshot.ts, bounded in size, with no NUL (PostgreSQL text cannot hold one).
// Whatever is refused is refused with a reason.
import { isErrorKind } from '../domain/observation.js';
import type { ProvenanceSnapshot } from '../provenance/snapshot.js';

const MAX_TEXT = 4_096;
const MAX_LIST = 256;
const MAX_SNAPSHOT_BYTES = 256 * 1024;
const SNAPSHOT_KEYS = new Set(['host', 'port', 'resolver', 'cnames', 'addresses', 'connectedAddress', 'networks', 'certificate', 'cdns', 'error']);

export interface PushedSnapshot {
  readonly monitorId: string;
  readonly at: number;
  readonly snapshot: ProvenanceSnapshot;
}

export type SnapshotInput = { readonly pushed: PushedSnapshot } | { readonly problem: string };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= MAX_TEXT && !value.includes('\u0000');
const isTextOrEmpty = (value: unknown): value is string => value === '' || isText(value);
const isListOf = (value: unknown, item: (entry: unknown) => boolean): boolean => Array.isArray(value) && value.length <= MAX_LIST && value.every(item);
const isPort = (value: unknown): boolean => Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 65_535;

const isResolved = (value: unknown): boolean =>
  isObject(value) && isText(value.address) && (value.family === 4 || value.family === 6) && Number.isSafeInteger(value.ttl) && (value.ttl as number) >= 0;

const isNetwork = (value: unknown): boolean =>
  isObject(value) &&
  isText(value.address) &&
  (value.asn === undefined || (Number.isSafeInteger(value.asn) && (value.asn as number) >= 0)) &&
  (value.org === undefined || isTextOrEmpty(value.org)) &&
  (value.country === undefined || (typeof value.country === 'string' && /^[A-Z]{2}$/.test(value.country)));

const isCertificate = (value: unknown): boolean =>
  isObject(value) &&
  isTextOrEmpty(value.subject) &&
  isTextOrEmpty(value.issuer) &&
  isListOf(value.sans, isText) &&
  isText(value.validFrom) &&
  isText(value.validTo) &&
  isText(value.fingerprint256) &&
  (value.issuerFingerprint256 === undefined || isText(value.issuerFingerprint256));

/** `{ monitorId, at, snapshot }` as the agent sends it. */
export function readPushedSnapshot(raw: unknown): SnapshotInput {
  if (!isObject(raw)) return { problem: 'expected an object { monitorId, at, snapshot }' };
  const { monitorId, at, snapshot } = raw;
  if (Object.keys(raw).length !== 3) return { problem: 'expected exactly the fields monitorId, at and snapshot' };
  if (!isText(monitorId)) return { problem: 'monitorId: expected a monitor id' };
  if (!Number.isSafeInteger(at) || (at as number) < 0) return { problem: 'at: expected epoch milliseconds (an integer)' };
  const problem = snapshotProblem(snapshot);
  if (problem) return { problem: `snapshot: ${problem}` };
  return { pushed: { monitorId, at: at as number, snapshot: snapshot as ProvenanceSnapshot } };
}

function snapshotProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'expected an object';
  const unknownKey = Object.keys(value).find((key) => !SNAPSHOT_KEYS.has(key));
  if (unknownKey !== undefined) return `unknown field "${unknownKey.slice(0, 64)}"`;
  if (!isText(value.host)) return 'host: expected a host name';
  if (!isPort(value.port)) return 'port: expected 1 to 65535';
  if (value.resolver !== undefined && !isText(value.resolver)) return 'resolver: expected "address:port"';
  if (!isListOf(value.cnames, isText)) return `cnames: expected a list of names (at most ${MAX_LIST})`;
  if (!isListOf(value.addresses, isResolved)) return 'addresses: expected a list of { address, family: 4 | 6, ttl }';
  if (value.connectedAddress !== undefined && !isText(value.connectedAddress)) return 'connectedAddress: expected an address';
  if (!isListOf(value.networks, isNetwork)) return 'networks: expected a list of { address, asn?, org?, country? (ISO 3166-1 alpha-2) }';
  if (value.certificate !== undefined && !isCertificate(value.certificate)) return 'certificate: expected { subject, issuer, sans, validFrom, validTo, fingerprint256, issuerFingerprint256? }';
  if (!isListOf(value.cdns, isText)) return 'cdns: expected a list of provider names';
  const error = value.error;
  if (error !== undefined && !(isObject(error) && isErrorKind(error.kind) && isTextOrEmpty(error.message) && Object.keys(error).length === 2)) {
    return 'error: expected { kind, message } with a known error kind';
  }
  if (JSON.stringify(value).length > MAX_SNAPSHOT_BYTES) return `larger than ${MAX_SNAPSHOT_BYTES} bytes`;
  return undefined;
}
