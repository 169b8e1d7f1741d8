import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { diffViews, describeChange, type ChangeKind } from '../../src/provenance/changes.js';
import { identityOf, viewAfter } from '../../src/provenance/view.js';
import type { ProvenanceSnapshot } from '../../src/provenance/snapshot.js';
import { CERT_A, CERT_B, movedToB, snapshot } from './snapshots.js';

const failed = (kind: 'dns_timeout' | 'connect_refused', extra: Partial<ProvenanceSnapshot> = {}): ProvenanceSnapshot =>
  snapshot({ addresses: [], networks: [], connectedAddress: undefined, certificate: undefined, error: { kind, message: kind }, ...extra });

describe('change events between two snapshots', () => {
  const cases: { name: string; before: ProvenanceSnapshot[]; after: ProvenanceSnapshot; expected: ChangeKind[] }[] = [
    { name: 'nothing changed', before: [snapshot()], after: snapshot(), expected: [] },
    { name: 'only TTLs changed', before: [snapshot()], after: snapshot({ addresses: [{ address: '127.0.0.2', family: 4, ttl: 5 }] }), expected: [] },
    { name: 'the first snapshot changes nothing', before: [], after: snapshot(), expected: [] },
    { name: 'moved to another network in another country', before: [snapshot()], after: movedToB({ certificate: CERT_A }), expected: ['addresses', 'network', 'country'] },
    {
      name: 'another address of the same network',
      before: [snapshot()],
      after: snapshot({ addresses: [{ address: '127.0.0.9', family: 4, ttl: 60 }], networks: [{ address: '127.0.0.9', asn: 64500, org: 'Example Net A', country: 'NL' }] }),
      expected: ['addresses'],
    },
    {
      name: 'same ASN, organisation renamed',
      before: [snapshot()],
      after: snapshot({ networks: [{ address: '127.0.0.2', asn: 64500, org: 'Example Net A2', country: 'NL' }] }),
      expected: ['network'],
    },
    {
      name: 'an address the database does not cover',
      before: [snapshot()],
      after: snapshot({ addresses: [{ address: '127.0.0.99', family: 4, ttl: 60 }], networks: [{ address: '127.0.0.99' }] }),
      expected: ['addresses', 'network', 'country'],
    },
    { name: 'new CNAME target', before: [snapshot({ cnames: ['a.cdn.test'] })], after: snapshot({ cnames: ['b.cdn.test'] }), expected: ['cname'] },
    { name: 'a CNAME appears', before: [snapshot()], after: snapshot({ cnames: ['a.cdn.test'] }), expected: ['cname'] },
    { name: 'a longer chain to the same target is no change', before: [snapshot({ cnames: ['a.cdn.test'] })], after: snapshot({ cnames: ['x.test', 'a.cdn.test'] }), expected: [] },
    { name: 'new issuer and new leaf', before: [snapshot()], after: snapshot({ certificate: CERT_B }), expected: ['certificate_issuer', 'certificate'] },
    { name: 'renewed by the same issuer', before: [snapshot()], after: snapshot({ certificate: { ...CERT_A, fingerprint256: 'CC:CC' } }), expected: ['certificate'] },
    { name: 'a CDN appears', before: [snapshot()], after: snapshot({ cdns: ['Cloudflare'] }), expected: ['cdn'] },
    { name: 'CDNs in another order', before: [snapshot({ cdns: ['Fastly', 'Varnish'] })], after: snapshot({ cdns: ['Varnish', 'Fastly'] }), expected: [] },
    { name: 'a resolver timeout is not a change', before: [snapshot()], after: failed('dns_timeout'), expected: [] },
    { name: 'back after a timeout, unchanged', before: [snapshot(), failed('dns_timeout')], after: snapshot(), expected: [] },
    { name: 'back after a timeout, moved', before: [snapshot(), failed('dns_timeout')], after: movedToB(), expected: ['addresses', 'network', 'country'] },
    {
      name: 'refused connection: addresses are known, the certificate is kept',
      before: [snapshot()],
      after: failed('connect_refused', { addresses: [{ address: '127.0.0.3', family: 4, ttl: 60 }], networks: [{ address: '127.0.0.3', asn: 64501, org: 'Example Net B', country: 'US' }] }),
      expected: ['addresses', 'network', 'country'],
    },
    { name: 'the first certificate after failed handshakes is learnt, not changed', before: [snapshot({ certificate: undefined })], after: snapshot(), expected: [] },
    { name: 'a CDN seen after only failures is learnt', before: [failed('connect_refused', { addresses: [{ address: '127.0.0.2', family: 4, ttl: 60 }], networks: [{ address: '127.0.0.2', asn: 64500, org: 'Example Net A', country: 'NL' }] })], after: snapshot({ cdns: ['Fastly'] }), expected: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const previous = c.before.reduce<ReturnType<typeof viewAfter> | undefined>((view, s) => viewAfter(view, s), undefined);
      assert.deepEqual(
        diffViews(previous, viewAfter(previous, c.after)).map((change) => change.kind),
        c.expected,
      );
    });
  }

  it('says what changed from what', () => {
    const [country] = diffViews(viewAfter(undefined, snapshot()), viewAfter(undefined, movedToB())).filter((c) => c.kind === 'country');
    assert.deepEqual(country, { kind: 'country', previous: ['NL'], current: ['US'] });
    assert.equal(describeChange(country!), 'New country: NL → US');
    const [network] = diffViews(viewAfter(undefined, snapshot()), viewAfter(undefined, movedToB())).filter((c) => c.kind === 'network');
    assert.equal(describeChange(network!), 'New network: AS64500 Example Net A → AS64501 Example Net B');
  });
});

describe('ledger identity of a snapshot', () => {
  const cases: { name: string; a: ProvenanceSnapshot; b: ProvenanceSnapshot; same: boolean }[] = [
    { name: 'TTLs do not count', a: snapshot(), b: snapshot({ addresses: [{ address: '127.0.0.2', family: 4, ttl: 1 }] }), same: true },
    {
      name: 'which address was connected to does not count',
      a: snapshot({ addresses: [{ address: '127.0.0.2', family: 4, ttl: 60 }, { address: '127.0.0.4', family: 4, ttl: 60 }] }),
      b: snapshot({ addresses: [{ address: '127.0.0.4', family: 4, ttl: 60 }, { address: '127.0.0.2', family: 4, ttl: 60 }], connectedAddress: '127.0.0.4' }),
      same: true,
    },
    { name: 'an error kind counts', a: snapshot(), b: snapshot({ error: { kind: 'timeout', message: 'x' } }), same: false },
    { name: 'the certificate counts', a: snapshot(), b: snapshot({ certificate: CERT_B }), same: false },
  ];
  for (const c of cases) it(c.name, () => assert.equal(identityOf(c.a) === identityOf(c.b), c.same));
});
