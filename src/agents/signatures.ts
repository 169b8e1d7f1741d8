// What an agent signs and how anyone checks it. The signed text is the canonical serialisation of the
// batch: canonical JSON (keys sorted, no whitespace) of { agent, sentAt, observations }, the
// observations sorted by their own canonical text. So the order on the wire does not matter, and a
// third party can rebuild the text from the stored observations alone. Ed25519 from node:crypto.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import { canonicalJson } from '../domain/canonical-json.js';

/** The part of a pushed batch that is signed. */
export interface BatchBody {
  readonly agent: string;
  /** When the agent sent the batch (epoch ms). */
  readonly sentAt: number;
  readonly observations: readonly unknown[];
}

export function canonicalBatchText(body: BatchBody): string {
  const observations = body.observations.map((observation) => canonicalJson(observation)).sort();
  return `{"agent":${JSON.stringify(body.agent)},"observations":[${observations.join(',')}],"sentAt":${JSON.stringify(body.sentAt)}}`;
}

/** The part of a pushed batch of provenance snapshots that is signed. */
export interface SnapshotBatchBody {
  readonly agent: string;
  readonly sentAt: number;
  readonly snapshots: readonly unknown[];
}

/**
 * Canonical JSON of { agent, kind: "provenance", sentAt, snapshots }, the snapshots sorted by their own
 * canonical text. The "kind" keeps a signed batch of snapshots from ever reading as a batch of
 * observations (and the other way round).
 */
export function canonicalSnapshotsText(body: SnapshotBatchBody): string {
  const snapshots = body.snapshots.map((snapshot) => canonicalJson(snapshot)).sort();
  return `{"agent":${JSON.stringify(body.agent)},"kind":"provenance","sentAt":${JSON.stringify(body.sentAt)},"snapshots":[${snapshots.join(',')}]}`;
}

/** base64url SHA-256 of the canonical text: the batch's id. */
export function batchDigest(canonicalText: string): string {
  return createHash('sha256').update(canonicalText).digest('base64url');
}

export interface AgentKeyPair {
  readonly privateKey: KeyObject;
  /** base64url of the raw 32-byte public key (the JWK "x"). */
  readonly publicKey: string;
}

export function generateAgentKeyPair(): AgentKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey: rawPublicKey(publicKey) };
}

/** The private key as JWK, for the agent's data directory. */
export function exportPrivateKey(key: KeyObject): JsonWebKey {
  return key.export({ format: 'jwk' });
}

export function importPrivateKey(jwk: JsonWebKey): AgentKeyPair {
  const privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
  return { privateKey, publicKey: rawPublicKey(createPublicKey(privateKey)) };
}

function rawPublicKey(key: KeyObject): string {
  const { x } = key.export({ format: 'jwk' });
  if (typeof x !== 'string') throw new Error('not an Ed25519 key');
  return x;
}

/** base64url signature of the text. */
export function signText(text: string, privateKey: KeyObject): string {
  return sign(null, Buffer.from(text), privateKey).toString('base64url');
}

/** False for a wrong signature, and for anything that is not a well-formed key or signature. */
export function verifyText(text: string, signature: string, publicKey: string): boolean {
  const key = publicKeyOf(publicKey);
  if (!key || !/^[A-Za-z0-9_-]{86}$/.test(signature)) return false;
  return verify(null, Buffer.from(text), key, Buffer.from(signature, 'base64url'));
}

/** A raw Ed25519 public key in base64url (43 characters), or undefined. */
export function publicKeyOf(raw: string): KeyObject | undefined {
  if (!/^[A-Za-z0-9_-]{43}$/.test(raw)) return undefined;
  try {
    return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw }, format: 'jwk' });
  } catch {
    // Not a point on the curve: a malformed key, the caller's mistake, answered as such.
    return undefined;
  }
}

/** "SHA256:" and the base64 of the raw key's SHA-256, as ssh-keygen -l prints fingerprints. */
export function keyFingerprint(publicKey: string): string {
  return `SHA256:${createHash('sha256').update(Buffer.from(publicKey, 'base64url')).digest('base64').replace(/=+$/, '')}`;
}

/** What every signed push carries besides its entries. */
export interface SignedEnvelope {
  readonly agent?: unknown;
  readonly sentAt?: unknown;
  readonly signature?: unknown;
}

/**
 * Why a push's signature is not the agent's, or undefined when it is: the same checks for every kind of
 * signed batch; `canonicalText` spells the batch as it was signed (observations, snapshots).
 */
export function signatureProblem(agent: { readonly name: string; readonly publicKey?: string }, pushed: SignedEnvelope, canonicalText: (sentAt: number) => string): string | undefined {
  if (agent.publicKey === undefined) return 'no public key is registered for this agent: register one first (PUT /api/v1/agent/key)';
  if (pushed.agent !== agent.name) return `the batch names the agent ${JSON.stringify(pushed.agent)}, but the token is ${agent.name}'s`;
  if (typeof pushed.sentAt !== 'number' || !Number.isSafeInteger(pushed.sentAt)) return 'sentAt: expected epoch milliseconds';
  if (typeof pushed.signature !== 'string') return 'signature: expected the base64url Ed25519 signature of the canonical batch';
  return verifyText(canonicalText(pushed.sentAt), pushed.signature, agent.publicKey) ? undefined : "the signature does not match the batch and the agent's registered key";
}
