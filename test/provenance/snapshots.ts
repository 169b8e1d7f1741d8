// Snapshots for the provenance tests: a host served from Example Net A (127.0.0.2, NL) unless told otherwise.
import type { ProvenanceSnapshot } from '../../src/provenance/snapshot.js';

export const CERT_A = {
  subject: 'CN=app.test',
  issuer: 'CN=Test CA A, O=Candor Tests',
  sans: ['app.test'],
  validFrom: '2026-01-01T00:00:00.000Z',
  validTo: '2027-01-01T00:00:00.000Z',
  fingerprint256: 'AA:AA',
};
export const CERT_B = { ...CERT_A, issuer: 'CN=Test CA B, O=Candor Tests', fingerprint256: 'BB:BB' };

export function snapshot(extra: Partial<ProvenanceSnapshot> = {}): ProvenanceSnapshot {
  return {
    host: 'app.test',
    port: 443,
    cnames: [],
    addresses: [{ address: '127.0.0.2', family: 4, ttl: 60 }],
    connectedAddress: '127.0.0.2',
    networks: [{ address: '127.0.0.2', asn: 64500, org: 'Example Net A', country: 'NL' }],
    certificate: CERT_A,
    cdns: [],
    ...extra,
  };
}

/** Served from Example Net B (127.0.0.3, US). */
export const movedToB = (extra: Partial<ProvenanceSnapshot> = {}): ProvenanceSnapshot =>
  snapshot({
    addresses: [{ address: '127.0.0.3', family: 4, ttl: 60 }],
    connectedAddress: '127.0.0.3',
    networks: [{ address: '127.0.0.3', asn: 64501, org: 'Example Net B', country: 'US' }],
    ...extra,
  });
