import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseChannelUrl } from '../../src/config/channel-url.js';
import { parse, problemsOf } from './support.js';

// Two monitors; the blocks under test start on line 4.
const MONITORS = `monitors:
  - { id: api, type: tcp, host: localhost, port: 22, component: API, tags: [core], notify: [ops] }
  - { id: web, type: tcp, host: localhost, port: 80, component: Website }
`;
const withBlock = (block: string): string => `${MONITORS}${block.replace(/^\n/, '')}`;

describe('channels: URL form', () => {
  const cases: ReadonlyArray<{ url: string; type: string; fields: Record<string, unknown> }> = [
    { url: 'discord://123/abcTOKEN', type: 'discord', fields: { webhookUrl: 'https://discord.com/api/webhooks/123/abcTOKEN' } },
    { url: 'slack://T1/B2/C3', type: 'slack', fields: { webhookUrl: 'https://hooks.slack.com/services/T1/B2/C3' } },
    { url: 'ntfy://ntfy.example.org/alerts', type: 'ntfy', fields: { baseUrl: 'http://ntfy.example.org', topic: 'alerts' } },
    { url: 'ntfys://tk_secret@ntfy.example.org/alerts', type: 'ntfy', fields: { baseUrl: 'https://ntfy.example.org', topic: 'alerts', token: 'tk_secret' } },
    { url: 'ntfy://alerts', type: 'ntfy', fields: { topic: 'alerts' } },
    { url: 'tgram://123456:ABC-def/-100200', type: 'telegram', fields: { botToken: '123456:ABC-def', chatId: '-100200' } },
    { url: 'mmosts://chat.example.org/hookkey', type: 'mattermost', fields: { webhookUrl: 'https://chat.example.org/hooks/hookkey' } },
    { url: 'gotifys://push.example.org/sub/AppToken', type: 'gotify', fields: { baseUrl: 'https://push.example.org/sub', token: 'AppToken' } },
    { url: 'pover://userkey@apptoken', type: 'pushover', fields: { user: 'userkey', token: 'apptoken' } },
    { url: 'matrixs://syt_tok@matrix.example.org/!room:example.org', type: 'matrix', fields: { baseUrl: 'https://matrix.example.org', accessToken: 'syt_tok', roomId: '!room:example.org' } },
    { url: 'pagerduty://R0UTINGKEY', type: 'pagerduty', fields: { routingKey: 'R0UTINGKEY' } },
    { url: 'opsgenie://KEY?region=eu', type: 'opsgenie', fields: { apiKey: 'KEY', baseUrl: 'https://api.eu.opsgenie.com' } },
    { url: 'mailtos://me:p%40ss@mail.example.org:465?from=a@example.org&to=b@example.org,c@example.org', type: 'email', fields: { smtp: 'smtps://me:p%40ss@mail.example.org:465', from: 'a@example.org', to: ['b@example.org', 'c@example.org'] } },
    { url: 'jsons://hooks.example.org/in/x', type: 'webhook', fields: { url: 'https://hooks.example.org/in/x' } },
  ];
  for (const { url, type, fields } of cases) {
    it(url, () => assert.deepEqual(parseChannelUrl(url), { ok: true, type, fields }));
  }

  const refused: ReadonlyArray<{ url: string; problem: RegExp }> = [
    { url: 'foo://x', problem: /one of the schemes .*discord:\/\/.*, got "foo:\/\/"/ },
    { url: 'no scheme at all', problem: /got no scheme/ },
    { url: 'discord://only-id', problem: /^expected discord:\/\/WEBHOOK_ID\/WEBHOOK_TOKEN, got a discord:\/\/ URL without an id and a token$/ },
    { url: 'mailto://mail.example.org', problem: /without a host, \?from= and \?to=/ },
    { url: 'opsgenie://KEY?region=mars', problem: /without region us or eu/ },
  ];
  for (const { url, problem } of refused) {
    it(`refuses ${url}`, () => {
      const parsed = parseChannelUrl(url);
      assert.equal(parsed.ok, false);
      if (!parsed.ok) assert.match(parsed.problem, problem);
    });
  }
});

describe('channels, routes and notify: accepted', () => {
  it('reads channels of both forms, routes, notify and alerting settings', () => {
    const config = parse(
      withBlock(`
channels:
  - { id: ops, type: slack, webhookUrl: "https://hooks.slack.com/services/T/B/SECRETXYZ" }
  - { id: team, url: "discord://42/tokenABCD" }
  - { id: mail, type: email, smtp: "smtps://u:pw-secret@127.0.0.1:465", from: status@example.org, to: [a@example.org] }
routes:
  - { events: [went_down, recovered], components: [Website], channels: [team], remindEvery: 1h }
  - { events: [agent_offline], channels: [mail] }
alerting: { groupWindow: 10s, maxAttempts: 3 }
`),
    );
    assert.deepEqual(config.channels?.map((channel) => [channel.id, channel.type]), [['ops', 'slack'], ['team', 'discord'], ['mail', 'email']]);
    assert.deepEqual(config.channels?.[2]?.settings, { smtp: { host: '127.0.0.1', port: 465, security: 'tls', username: 'u', password: 'pw-secret' }, from: 'status@example.org', to: ['a@example.org'] });
    assert.deepEqual(config.routes?.[0], { events: ['went_down', 'recovered'], components: ['Website'], channels: ['team'], remindEveryMs: 3_600_000 });
    assert.deepEqual(config.monitors[0]?.notify, ['ops']);
    assert.equal(config.alerting?.groupWindowMs, 10_000);
    assert.equal(config.alerting?.maxAttempts, 3);
    // Channel credentials join the config's secrets, so every redactor hides them.
    const secrets = config.monitors[0]?.secrets ?? [];
    for (const secret of ['https://hooks.slack.com/services/T/B/SECRETXYZ', 'discord://42/tokenABCD', 'pw-secret']) assert.ok(secrets.includes(secret), secret);
  });
});

describe('channels, routes and notify: refused with line and column', () => {
  const cases: ReadonlyArray<{ name: string; block: string; problems: string[] }> = [
    {
      name: 'unknown type',
      block: `
channels:
  - { id: ops, type: carrier-pigeon }
`,
      problems: ['candor.yaml:5:22 channels[0].type: expected one of webhook, email, slack, discord, teams, telegram, mattermost, ntfy, gotify, pushover, matrix, pagerduty, opsgenie, got "carrier-pigeon"'],
    },
    {
      name: 'invalid URL, without showing it',
      block: `
channels:
  - { id: ops, url: "discord://only-id-SECRET" }
`,
      problems: ['candor.yaml:5:21 channels[0].url: expected discord://WEBHOOK_ID/WEBHOOK_TOKEN, got a discord:// URL without an id and a token'],
    },
    {
      name: 'missing and misspelt fields',
      block: `
channels:
  - { id: ops, type: telegram, botTokn: x }
`,
      problems: [
        'candor.yaml:5:5 channels[0].botToken: missing required key "botToken"',
        'candor.yaml:5:5 channels[0].chatId: missing required key "chatId"',
        'candor.yaml:5:32 channels[0].botTokn: unknown key "botTokn" (did you mean "botToken"?); expected one of: id, type, baseUrl, botToken, chatId',
      ],
    },
    {
      name: 'routes naming unknown channels, monitors and events',
      block: `
channels:
  - { id: ops, url: "ntfy://alerts" }
routes:
  - { events: [went_dwn], monitors: [apj], channels: [opz] }
`,
      problems: [
        'candor.yaml:7:16 routes[0].events[0]: unknown notice kind "went_dwn" (did you mean "went_down"?); expected one of: went_down, recovered, degraded, partial, certificate_expiring, agent_offline, policy_violation, declared_mismatch',
        'candor.yaml:7:38 routes[0].monitors[0]: unknown monitor "apj" (did you mean "api"?); expected one of: api, web',
        'candor.yaml:7:55 routes[0].channels[0]: unknown channel "opz" (did you mean "ops"?); expected one of: ops',
      ],
    },
    {
      name: 'duplicate channel ids',
      block: `
channels:
  - { id: ops, url: "ntfy://alerts" }
  - { id: ops, url: "ntfy://other" }
`,
      problems: ['candor.yaml:6:11 channels[1].id: expected a unique channel id, got "ops" again (first used on line 5)'],
    },
  ];
  for (const { name, block, problems } of cases) {
    it(name, () => assert.deepEqual(problemsOf(withBlock(block)), problems));
  }

  it('monitors naming unknown channels', () => {
    assert.deepEqual(problemsOf(withBlock(`
channels:
  - { id: opz, url: "ntfy://alerts" }
`)), ['candor.yaml:2:93 monitors[0].notify[0]: unknown channel "ops" (did you mean "opz"?); expected one of: opz']);
  });

  it('a secret field that is not valid is not echoed', () => {
    const problems = problemsOf(withBlock(`
channels:
  - { id: ops, type: slack, webhookUrl: "not-a-url-SECRET" }
`));
    assert.equal(problems.length, 1);
    assert.ok(!problems[0]!.includes('SECRET'), problems[0]);
  });
});
