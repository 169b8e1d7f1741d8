// What one vantage saw of where a host is served from, at one moment: the shared vocabulary between
// the provenance probe (which takes it), the ledger (which keeps its changes) and policies (which judge
// it). Plain data, JSON-safe.
import type { ErrorKind } from '../domain/observation.js';

export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
  /** Seconds, as the resolver answered. */
  readonly ttl: number;
}

export interface NetworkInfo {
  readonly address: string;
  readonly asn?: number;
  readonly org?: string;
  /** ISO 3166-1 alpha-2, upper case: the country the network is registered in, not where it is. */
  readonly country?: string;
}

export interface CertificateInfo {
  readonly subject: string;
  readonly issuer: string;
  readonly sans: readonly string[];
  /** ISO 8601. */
  readonly validFrom: string;
  readonly validTo: string;
  /** SHA-256 of the DER leaf, as `openssl x509 -fingerprint -sha256` prints it: "AB:CD:...". */
  readonly fingerprint256: string;
  /** SHA-256 of the issuer's certificate when the server sent it. */
  readonly issuerFingerprint256?: string;
}

export interface ProvenanceSnapshot {
  readonly host: string;
  readonly port: number;
  /** The resolver that answered, "address:port"; undefined for the system resolver. */
  readonly resolver?: string;
  /** The CNAME chain in order, without the host itself. */
  readonly cnames: readonly string[];
  readonly addresses: readonly ResolvedAddress[];
  /** The address a connection was actually made to. */
  readonly connectedAddress?: string;
  /** One entry per address in `addresses` (and the connected one), from the IP database. */
  readonly networks: readonly NetworkInfo[];
  readonly certificate?: CertificateInfo;
  /** CDN or hosting providers hinted by response headers (rule table in provenance/cdn-rules). */
  readonly cdns: readonly string[];
  /** Set when the name did not resolve, or nothing answered: what failed. */
  readonly error?: { readonly kind: ErrorKind; readonly message: string };
}
