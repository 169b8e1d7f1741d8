// docs/alerting.md stays true: every YAML block is a valid config (with placeholder environment
// values), and its signature check accepts what Candor signs and refuses what it did not.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { parseConfig } from '../../src/config/load.js';
import { buildMessage } from '../../src/notify/channels/index.js';

const DOC = readFileSync(fileURLToPath(new URL('../../../docs/alerting.md', import.meta.url)), 'utf8');
const blocks = (language: string): string[] => [...DOC.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((match) => match[1]!);
/** Any variable is set: URLs to an example URL, everything else to a placeholder word. */
const ENV = new Proxy({}, {
  get: (_target, name) => (typeof name !== 'string' ? undefined : name.endsWith('_URL') ? `https://hooks.example/${name.toLowerCase()}` : `placeholder-${name.toLowerCase()}`),
}) as Record<string, string>;

describe('docs/alerting.md', () => {
  const yamlBlocks = blocks('yaml');
  it('has an example of every channel type', () => {
    const types = new Set(yamlBlocks.flatMap((block) => parseConfig(block, 'docs/alerting.md', ENV).channels?.map((channel) => channel.type) ?? []));
    assert.equal(types.size, 13, [...types].join(', '));
  });
  yamlBlocks.forEach((block, index) => {
    it(`YAML block ${index + 1} is a valid config`, () => {
      assert.doesNotThrow(() => parseConfig(block, 'docs/alerting.md', ENV));
    });
  });

  it('the signature check accepts a signed delivery and refuses a forged or old one', async () => {
    const [code] = blocks('js');
    const dir = mkdtempSync(join(tmpdir(), 'candor-doc-'));
    try {
      writeFileSync(join(dir, 'verify.mjs'), code!);
      const { verify } = (await import(pathToFileURL(join(dir, 'verify.mjs')).href)) as { verify: (secret: string, headers: Record<string, string>, body: string, now?: number) => boolean };
      const now = Date.UTC(2026, 0, 1);
      const channel = { id: 'hook', type: 'webhook', settings: { url: 'http://127.0.0.1:9/', secret: 'topsecret', headers: {} }, secrets: [] } as const;
      const message = buildMessage(channel, { kind: 'went_down', at: now, monitors: [] }, { idempotencyKey: 'k', now, siteTitle: 'Candor' });
      assert.equal(message.kind, 'http');
      if (message.kind !== 'http') return;
      assert.equal(verify('topsecret', message.headers, message.body, now / 1000), true);
      assert.equal(verify('topsecret', message.headers, message.body.replace('went_down', 'recovered'), now / 1000), false);
      assert.equal(verify('wrong', message.headers, message.body, now / 1000), false);
      assert.equal(verify('topsecret', message.headers, message.body, now / 1000 + 3600), false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
