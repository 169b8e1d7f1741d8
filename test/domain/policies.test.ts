import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeBreaches, evaluatePolicy, policyCovers, type PolicyRules, type PolicySpec } from '../../src/domain/policies.js';
import { EMPTY_VIEW, viewAfter } from '../../src/provenance/view.js';
import { movedToB, snapshot } from '../provenance/snapshots.js';

const inA = viewAfter(undefined, snapshot());
const inB = viewAfter(undefined, movedToB());
const withCdn = viewAfter(undefined, snapshot({ cdns: ['Cloudflare'] }));
const uncovered = viewAfter(undefined, snapshot({ addresses: [{ address: '127.0.0.99', family: 4, ttl: 60 }], networks: [{ address: '127.0.0.99' }] }));
const noCertificate = viewAfter(undefined, snapshot({ certificate: undefined }));

const policy = (allow?: PolicyRules, deny?: PolicyRules): PolicySpec => ({ id: 'p', appliesTo: { monitors: ['m'] }, ...(allow ? { allow } : {}), ...(deny ? { deny } : {}) });

describe('policy evaluation', () => {
  const cases: { name: string; policy: PolicySpec; view: typeof inA; expected: string[] }[] = [
    { name: 'allowed country complies', policy: policy({ countries: ['NL'] }), view: inA, expected: [] },
    { name: 'country not allowed', policy: policy({ countries: ['NL'] }), view: inB, expected: ['allow.countries=US'] },
    { name: 'countries match case-insensitively', policy: policy({ countries: ['nl'] }), view: inA, expected: [] },
    { name: 'unknown country breaks an allow list', policy: policy({ countries: ['NL'] }), view: uncovered, expected: ['allow.countries=unknown'] },
    { name: 'unknown country breaks no deny list', policy: policy(undefined, { countries: ['US'] }), view: uncovered, expected: [] },
    { name: 'denied country', policy: policy(undefined, { countries: ['US'] }), view: inB, expected: ['deny.countries=US'] },
    { name: 'allowed ASN', policy: policy({ asns: [64500] }), view: inA, expected: [] },
    { name: 'ASN not allowed', policy: policy({ asns: [64500] }), view: inB, expected: ['allow.asns=AS64501'] },
    { name: 'denied ASN', policy: policy(undefined, { asns: [64501] }), view: inB, expected: ['deny.asns=AS64501'] },
    { name: 'allowed organisation, any case', policy: policy({ orgs: ['example net a'] }), view: inA, expected: [] },
    { name: 'organisation not allowed', policy: policy({ orgs: ['Example Net A'] }), view: inB, expected: ['allow.orgs=Example Net B'] },
    { name: 'issuer by part of its name', policy: policy({ certIssuers: ['Test CA A'] }), view: inA, expected: [] },
    { name: 'issuer not allowed', policy: policy({ certIssuers: ['Test CA B'] }), view: inA, expected: ['allow.certIssuers=CN=Test CA A, O=Candor Tests'] },
    { name: 'no certificate seen: issuer rules judge nothing', policy: policy({ certIssuers: ['Test CA B'] }), view: noCertificate, expected: [] },
    { name: 'denied CDN', policy: policy(undefined, { cdns: ['cloudflare'] }), view: withCdn, expected: ['deny.cdns=Cloudflare'] },
    { name: 'no CDN complies with an allow list of CDNs', policy: policy({ cdns: ['Fastly'] }), view: inA, expected: [] },
    { name: 'CDN not allowed', policy: policy({ cdns: ['Fastly'] }), view: withCdn, expected: ['allow.cdns=Cloudflare'] },
    { name: 'nothing seen yet judges nothing', policy: policy({ countries: ['NL'], asns: [1] }, { countries: ['US'] }), view: EMPTY_VIEW, expected: [] },
    {
      name: 'several rules broken at once, allow before deny',
      policy: policy({ countries: ['NL'], asns: [64500] }, { orgs: ['Example Net B'] }),
      view: inB,
      expected: ['allow.countries=US', 'allow.asns=AS64501', 'deny.orgs=Example Net B'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(
        evaluatePolicy(c.policy, c.view).map((b) => `${b.rule}=${b.value}`),
        c.expected,
      );
    });
  }

  it('describes breaches in words', () => {
    assert.equal(
      describeBreaches(evaluatePolicy(policy({ countries: ['NL'] }, { asns: [64501] }), inB)),
      'allow.countries: US is not allowed; deny.asns: AS64501 is denied',
    );
  });
});

describe('which monitors a policy covers', () => {
  const monitor = { id: 'web', component: 'Website', tags: ['eu', 'public'] };
  const cases: { name: string; appliesTo: PolicySpec['appliesTo']; expected: boolean }[] = [
    { name: 'by id', appliesTo: { monitors: ['web'] }, expected: true },
    { name: 'by component', appliesTo: { components: ['Website'] }, expected: true },
    { name: 'by tag', appliesTo: { tags: ['eu'] }, expected: true },
    { name: 'any of them', appliesTo: { monitors: ['api'], tags: ['public'] }, expected: true },
    { name: 'none of them', appliesTo: { monitors: ['api'], components: ['API'], tags: ['us'] }, expected: false },
  ];
  for (const c of cases) it(c.name, () => assert.equal(policyCovers({ id: 'p', appliesTo: c.appliesTo }, monitor), c.expected));
});
