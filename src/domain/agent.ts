// Agents: vantages that run elsewhere, known to the hub by name, token hash and public key. Pure data.

/** What the hub keeps of an agent. The token itself is never kept, only its SHA-256. */
export interface AgentRecord {
  readonly name: string;
  /** The region the agent claims (from `candor agents add --region`). */
  readonly region?: string;
  /** base64url SHA-256 of the token. */
  readonly tokenHash: string;
  /** base64url raw Ed25519 public key (32 bytes), registered at first contact. */
  readonly publicKey?: string;
  readonly createdAt: number;
  readonly revokedAt?: number;
  readonly lastSeenAt?: number;
  /** The source address of the agent's last request, as the hub saw it. */
  readonly lastAddress?: string;
  /** The region the agent itself says it is in (`candor agent --region`), at its last contact. */
  readonly claimedRegion?: string;
}

/** The observations of one series that a batch covers: startedAt in [from, to], `count` of them. */
export interface BatchCoverage {
  readonly monitorId: string;
  readonly from: number;
  readonly to: number;
  readonly count: number;
}

/**
 * One signed batch as received: enough for anyone to check later which agent observed what. The
 * observations themselves are stored once, as results; the batch names them by series and time range.
 */
export interface SignedBatch {
  /** base64url SHA-256 of the canonical batch text (domain/signed-batch.ts): also its id. */
  readonly digest: string;
  readonly agent: string;
  /** base64url Ed25519 signature of the canonical batch text. */
  readonly signature: string;
  /** When the agent says it sent the batch (part of the signed text). */
  readonly sentAt: number;
  readonly receivedAt: number;
  /** How many observations the signed text holds. */
  readonly observations: number;
  /** The stored observations of the batch (new, or stored before from an earlier copy). */
  readonly covers: readonly BatchCoverage[];
  /** Observations of the batch that were refused (not assigned, too old...): kept as sent, so the signature can still be checked. */
  readonly refused: readonly unknown[];
}
