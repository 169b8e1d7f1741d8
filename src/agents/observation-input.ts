// An observation pushed by an agent, checked field by field before it is taken. Whatever is refused is
// refused with a reason; nothing malformed reaches ingest or storage.
import { isErrorKind, type Details, type ErrorKind, type Observation, type Phases } from '../domain/observation.js';

const MAX_TEXT = 4_096;
/** Phases are stored as integer hundredths of a millisecond in 32-bit columns: about 5.9 hours at most. */
const MAX_PHASE_MS = 21_000_000;
/** How late a check may start after it was planned (start delays are stored in 32-bit columns too). */
const MAX_START_DELAY_MS = 86_400_000;
const MAX_PEER_ADDRESS = 256;
const MAX_OBSERVATION_BYTES = 64 * 1024;
const DETAIL_TYPES = new Set(['http', 'dns', 'tls', 'tcp']);
const PHASES = ['dns', 'connect', 'tls', 'ttfb', 'total'] as const;

export type ObservationInput = { readonly observation: Observation } | { readonly problem: string };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isTime = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
/** No NUL: PostgreSQL text cannot hold one, and one row the database refuses would fail every batch after it. */
const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= MAX_TEXT && !value.includes('\u0000');
/** Phases are kept to the hundredth of a millisecond: any finer and the stored copy would differ from the signed one. */
const isPhase = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= MAX_PHASE_MS && Math.round(value * 100) / 100 === value;

const KEYS = new Set(['monitorId', 'vantage', 'plannedAt', 'startedAt', 'ok', 'phases', 'peerAddress', 'error', 'details']);

export function readObservation(raw: unknown): ObservationInput {
  if (!isObject(raw)) return { problem: 'expected an object' };
  const unknownKey = Object.keys(raw).find((key) => !KEYS.has(key));
  if (unknownKey !== undefined) return { problem: `unknown field "${unknownKey.slice(0, 64)}"` };
  const { monitorId, vantage, plannedAt, startedAt, ok, phases, peerAddress, error, details } = raw;
  if (!isText(monitorId)) return { problem: 'monitorId: expected a monitor id' };
  if (!isText(vantage)) return { problem: 'vantage: expected a vantage name' };
  if (!isTime(plannedAt) || !isTime(startedAt)) return { problem: 'plannedAt, startedAt: expected epoch milliseconds (integers)' };
  if (startedAt < plannedAt || startedAt - plannedAt > MAX_START_DELAY_MS) return { problem: `startedAt: expected at or after plannedAt, and at most ${MAX_START_DELAY_MS} ms after it` };
  if (typeof ok !== 'boolean') return { problem: 'ok: expected true or false' };
  const readPhases = phasesOf(phases);
  if (typeof readPhases === 'string') return { problem: readPhases };
  if (peerAddress !== undefined && !(isText(peerAddress) && peerAddress.length <= MAX_PEER_ADDRESS)) return { problem: 'peerAddress: expected an address' };
  if (ok !== (error === undefined)) return { problem: 'error: expected exactly when ok is false' };
  if (error !== undefined && !(isObject(error) && isErrorKind(error.kind) && (error.message === '' || isText(error.message)) && Object.keys(error).length === 2)) {
    return { problem: 'error: expected { kind, message } with a known error kind' };
  }
  if (!isObject(details) || typeof details.type !== 'string' || !DETAIL_TYPES.has(details.type)) return { problem: 'details: expected an object with type http, dns, tls or tcp' };
  if (JSON.stringify(raw).length > MAX_OBSERVATION_BYTES) return { problem: `larger than ${MAX_OBSERVATION_BYTES} bytes` };
  const observation: Observation = {
    monitorId,
    vantage,
    plannedAt,
    startedAt,
    ok,
    phases: readPhases,
    ...(peerAddress !== undefined ? { peerAddress } : {}),
    ...(error !== undefined ? { error: { kind: error.kind as ErrorKind, message: error.message as string } } : {}),
    details: details as unknown as Details,
  };
  return { observation };
}

function phasesOf(value: unknown): Phases | string {
  if (!isObject(value)) return 'phases: expected an object with at least total';
  const unknownKey = Object.keys(value).find((key) => !(PHASES as readonly string[]).includes(key));
  if (unknownKey !== undefined) return `phases: unknown phase "${unknownKey.slice(0, 64)}"`;
  for (const name of PHASES) {
    const phase = value[name];
    if ((phase !== undefined || name === 'total') && !isPhase(phase)) return `phases.${name}: expected milliseconds (at most ${MAX_PHASE_MS}) with at most two decimals`;
  }
  return value as unknown as Phases;
}
