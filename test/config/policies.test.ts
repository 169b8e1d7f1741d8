import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PolicySpec } from '../../src/domain/policies.js';
import { parse, problemsOf } from './support.js';

// Two monitors in two components with tags; the block starts on line 4.
const MONITORS = `monitors:
  - { id: api, type: tcp, host: localhost, port: 22, component: API, tags: [eu] }
  - { id: web, type: tcp, host: localhost, port: 80, component: Website, tags: [public] }
`;
const withBlock = (block: string): string => `${MONITORS}${block.replace(/^\n/, '')}`;

describe('policies and provenance: accepted', () => {
  const cases: ReadonlyArray<{ name: string; block: string; policies?: readonly PolicySpec[]; intervalMs?: number; resolver?: string }> = [
    { name: 'no block: no policies, provenance every 10 minutes', block: '', intervalMs: undefined },
    { name: 'provenance interval', block: 'provenance: { interval: 30m }\n', intervalMs: 1_800_000 },
    { name: 'provenance resolver with a port', block: 'provenance: { resolver: "127.0.0.1:5353" }\n', intervalMs: 600_000, resolver: '127.0.0.1:5353' },
    { name: 'provenance resolver, IPv6 with a port', block: 'provenance: { interval: 15m, resolver: "[::1]:53" }\n', intervalMs: 900_000, resolver: '[::1]:53' },
    { name: 'provenance resolver, address alone (port 53)', block: 'provenance: { resolver: 192.0.2.53 }\n', intervalMs: 600_000, resolver: '192.0.2.53' },
    {
      name: 'every key',
      block: `
policies:
  - id: eu-only
    appliesTo: { monitors: [api], components: [Website], tags: [eu] }
    allow: { countries: [NL, DE], asns: [AS64500, 64501], orgs: [Example Net A], certIssuers: ["Let's Encrypt"], cdns: [Fastly] }
    deny: { countries: [US], asns: [as13335], cdns: [Cloudflare] }
  - id: no-b
    appliesTo: { tags: [public] }
    deny: { orgs: [Example Net B] }
`,
      policies: [
        {
          id: 'eu-only',
          appliesTo: { monitors: ['api'], components: ['Website'], tags: ['eu'] },
          allow: { countries: ['NL', 'DE'], asns: [64500, 64501], orgs: ['Example Net A'], certIssuers: ["Let's Encrypt"], cdns: ['Fastly'] },
          deny: { countries: ['US'], asns: [13335], cdns: ['Cloudflare'] },
        },
        { id: 'no-b', appliesTo: { tags: ['public'] }, deny: { orgs: ['Example Net B'] } },
      ],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const config = parse(withBlock(c.block));
      assert.deepEqual(config.policies, c.policies);
      assert.equal(config.provenance?.intervalMs, c.intervalMs);
      assert.equal(config.provenance?.resolver, c.resolver);
    });
  }
});

describe('policies and provenance: problems', () => {
  const cases: ReadonlyArray<{ name: string; block: string; problems: readonly string[] }> = [
    {
      name: 'unknown monitors, components and tags, with suggestions',
      block: `
policies:
  - id: p
    appliesTo: { monitors: [apj, nope], components: [Websit], tags: [pubic] }
    deny: { countries: [US] }
`,
      problems: [
        'candor.yaml:6:29 policies[0].appliesTo.monitors[0]: unknown monitor id "apj" (did you mean "api"?); no monitor has it',
        'candor.yaml:6:34 policies[0].appliesTo.monitors[1]: unknown monitor id "nope"; no monitor has it',
        'candor.yaml:6:54 policies[0].appliesTo.components[0]: unknown component "Websit" (did you mean "Website"?); no monitor has it',
        'candor.yaml:6:70 policies[0].appliesTo.tags[0]: unknown tag "pubic" (did you mean "public"?); no monitor has it',
      ],
    },
    {
      name: 'malformed country codes and ASNs',
      block: `
policies:
  - id: p
    appliesTo: { tags: [eu] }
    allow: { countries: [nl, XX, NLD], asns: [AS12x, 0, AS64500] }
`,
      problems: [
        'candor.yaml:7:26 policies[0].allow.countries[0]: expected an ISO 3166-1 alpha-2 country code like "NL" or "US", got "nl" (write it upper case: "NL")',
        'candor.yaml:7:30 policies[0].allow.countries[1]: expected an ISO 3166-1 alpha-2 country code like "NL" or "US", got "XX"',
        'candor.yaml:7:34 policies[0].allow.countries[2]: expected an ISO 3166-1 alpha-2 country code like "NL" or "US", got "NLD"',
        'candor.yaml:7:47 policies[0].allow.asns[0]: expected an AS number like "AS64500" or 64500 (1 to 4294967295), got "AS12x"',
        'candor.yaml:7:54 policies[0].allow.asns[1]: expected an AS number like "AS64500" or 64500 (1 to 4294967295), got 0',
      ],
    },
    {
      name: 'no rules, nothing applied to, unknown rule key, duplicate id',
      block: `
policies:
  - { id: p, appliesTo: { tags: [eu] } }
  - { id: q, appliesTo: {}, deny: { contries: [US] } }
  - { id: Bad, appliesTo: { tags: [eu] }, deny: { countries: [US] } }
  - { id: r, appliesTo: { tags: [eu] }, deny: { countries: [US] } }
  - { id: r, appliesTo: { tags: [eu] }, deny: { countries: [US] } }
`,
      problems: [
        'candor.yaml:5:5 policies[0]: expected "allow" or "deny" (or both): a policy without rules judges nothing',
        'candor.yaml:6:25 policies[1].appliesTo: expected at least one of "monitors", "components" or "tags"',
        'candor.yaml:6:35 policies[1].deny: expected at least one of: countries, asns, orgs, certIssuers, cdns',
        'candor.yaml:6:37 policies[1].deny.contries: unknown key "contries" (did you mean "countries"?); expected one of: countries, asns, orgs, certIssuers, cdns',
        'candor.yaml:7:11 policies[2].id: expected a policy id of lower-case letters, digits and - like "eu-only", got "Bad"',
        'candor.yaml:9:5 policies[4]: expected a unique policy id, got "r" again (first used on line 8)',
      ],
    },
    { name: 'provenance interval too short', block: 'provenance: { interval: 5s }\n', problems: ['candor.yaml:4:25 provenance.interval: expected a duration of at least 1m, got "5s"'] },
    {
      name: 'provenance resolver that is a name, not an address',
      block: 'provenance: { resolver: dns.example.org }\n',
      problems: ['candor.yaml:4:25 provenance.resolver: expected a resolver address like "192.0.2.53", "192.0.2.53:5353" or "[2001:db8::53]:53", got "dns.example.org"'],
    },
    {
      name: 'provenance resolver with a port out of range, and a bad interval too',
      block: 'provenance: { interval: 5s, resolver: "127.0.0.1:70000" }\n',
      problems: [
        'candor.yaml:4:25 provenance.interval: expected a duration of at least 1m, got "5s"',
        'candor.yaml:4:39 provenance.resolver: expected a resolver address like "192.0.2.53", "192.0.2.53:5353" or "[2001:db8::53]:53", got "127.0.0.1:70000"',
      ],
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(problemsOf(withBlock(c.block)), c.problems));
  }
});
