import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StatusPageSpec } from '../../src/domain/monitor.js';
import { parse, problemsOf } from './support.js';

// Two monitors in two components; the statusPages block starts on line 5.
const MONITORS = `monitors:
  - { id: api, type: tcp, host: localhost, port: 22, component: API }
  - { id: web, type: tcp, host: localhost, port: 80, component: Website }
title: Acme
`;
const withPages = (block: string): string => `${MONITORS}${block.replace(/^\n/, '')}`;

describe('statusPages: accepted', () => {
  const cases: ReadonlyArray<{ name: string; block: string; pages: readonly StatusPageSpec[] }> = [
    {
      name: 'no block: one default page with every component',
      block: '',
      pages: [{ slug: 'main', title: 'Acme', links: [], theme: 'auto', timezone: 'UTC', components: [], isDefault: true }],
    },
    {
      name: 'every key',
      block: `
statusPages:
  - slug: public
    title: Acme status
    description: Live status of Acme services
    logo: https://example.org/logo.svg
    links: [{ title: Docs, url: "https://example.org/docs" }]
    theme: dark
    timezone: Europe/Berlin
    components: [Website, API]
`,
      pages: [
        {
          slug: 'public',
          title: 'Acme status',
          description: 'Live status of Acme services',
          logo: 'https://example.org/logo.svg',
          links: [{ title: 'Docs', url: 'https://example.org/docs' }],
          theme: 'dark',
          timezone: 'Europe/Berlin',
          components: ['Website', 'API'],
          isDefault: true,
        },
      ],
    },
    {
      name: 'defaults: title from the config, the first page is the default',
      block: `
statusPages:
  - { slug: a }
  - { slug: b, components: [API] }
`,
      pages: [
        { slug: 'a', title: 'Acme', links: [], theme: 'auto', timezone: 'UTC', components: [], isDefault: true },
        { slug: 'b', title: 'Acme', links: [], theme: 'auto', timezone: 'UTC', components: ['API'], isDefault: false },
      ],
    },
    {
      name: 'the page marked default wins over the first',
      block: `
statusPages:
  - { slug: a, default: false }
  - { slug: b, default: true }
`,
      pages: [
        { slug: 'a', title: 'Acme', links: [], theme: 'auto', timezone: 'UTC', components: [], isDefault: false },
        { slug: 'b', title: 'Acme', links: [], theme: 'auto', timezone: 'UTC', components: [], isDefault: true },
      ],
    },
  ];
  for (const { name, block, pages } of cases) {
    it(name, () => assert.deepEqual(parse(withPages(block)).statusPages, pages));
  }
});

describe('statusPages: problems', () => {
  const cases: ReadonlyArray<{ name: string; block: string; problems: readonly string[] }> = [
    {
      name: 'not a list',
      block: 'statusPages: main\n',
      problems: ['candor.yaml:5:14 statusPages: expected a list of status pages, got "main"'],
    },
    {
      name: 'an empty list',
      block: 'statusPages: []\n',
      problems: ['candor.yaml:5:14 statusPages: expected at least one status page, got an empty list (leave "statusPages" out for the default page)'],
    },
    {
      name: 'missing slug, bad slug, duplicate slug',
      block: `
statusPages:
  - { title: No slug }
  - { slug: Public }
  - { slug: ok }
  - { slug: ok }
`,
      problems: [
        'candor.yaml:6:5 statusPages[0].slug: missing required key "slug" (lower-case letters, digits and -, like "status"; the page is served at /s/SLUG)',
        'candor.yaml:7:13 statusPages[1].slug: expected a slug of lower-case letters, digits and - like "status", got "Public"',
        'candor.yaml:9:13 statusPages[3].slug: expected a unique slug, got "ok" again (first used by statusPages[2] on line 8)',
      ],
    },
    {
      name: 'unknown key with a suggestion',
      block: `
statusPages:
  - { slug: a, timezon: UTC }
`,
      problems: [
        'candor.yaml:6:16 statusPages[0].timezon: unknown key "timezon" (did you mean "timezone"?); expected one of: slug, title, description, logo, links, theme, timezone, components, default',
      ],
    },
    {
      name: 'unknown component with a suggestion, and one without',
      block: `
statusPages:
  - slug: a
    components: [Websit, API, Billing, API]
`,
      problems: [
        'candor.yaml:7:18 statusPages[0].components[0]: unknown component "Websit" (did you mean "Website"?); the monitors\' components are: API, Website',
        'candor.yaml:7:31 statusPages[0].components[2]: unknown component "Billing"; the monitors\' components are: API, Website',
        'candor.yaml:7:40 statusPages[0].components[3]: expected each component once, got "API" again',
      ],
    },
    {
      name: 'links and logo must be http(s) URLs',
      block: `
statusPages:
  - slug: a
    logo: "javascript:alert(1)"
    links:
      - { title: Docs, url: "ftp://example.org/" }
      - { url: "https://example.org/" }
      - "https://example.org/"
`,
      problems: [
        'candor.yaml:7:11 statusPages[0].logo: expected an http:// or https:// URL, got "javascript:alert(1)"',
        'candor.yaml:9:29 statusPages[0].links[0].url: expected an http:// or https:// URL, got "ftp://example.org/"',
        'candor.yaml:10:9 statusPages[0].links[1].title: missing required key "title"',
        'candor.yaml:11:9 statusPages[0].links[2]: expected a map, got "https://example.org/"',
      ],
    },
    {
      name: 'theme enum and time zone',
      block: `
statusPages:
  - { slug: a, theme: purple, timezone: Mars/Olympus }
`,
      problems: [
        'candor.yaml:6:23 statusPages[0].theme: expected one of auto, light, dark, got "purple"',
        'candor.yaml:6:41 statusPages[0].timezone: expected an IANA time zone like "Europe/Berlin", got "Mars/Olympus"',
      ],
    },
    {
      name: 'at most one default page',
      block: `
statusPages:
  - { slug: a, default: true }
  - { slug: b, default: true }
  - { slug: c, default: yes }
`,
      problems: [
        'candor.yaml:7:25 statusPages[1].default: expected at most one page with "default: true", got another (statusPages[0] on line 6 is the default)',
        'candor.yaml:8:25 statusPages[2].default: expected true or false, got "yes"',
      ],
    },
  ];
  for (const { name, block, problems } of cases) {
    it(name, () => assert.deepEqual(problemsOf(withPages(block)), problems));
  }

  it('skips the component check when the monitors have problems of their own', () => {
    const text = `monitors:\n  - { id: Bad, type: tcp, host: localhost, port: 22 }\nstatusPages:\n  - { slug: a, components: [Anything] }\n`;
    assert.deepEqual(problemsOf(text), [
      'candor.yaml:2:11 monitors[0].id: expected an id of lower-case letters, digits and - like "youtube", got "Bad"',
    ]);
  });
});
