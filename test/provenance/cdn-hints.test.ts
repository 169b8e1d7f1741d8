import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_HEADERS, cdnHints } from '../../src/provenance/cdn-hints.js';
import { CDN_RULES } from '../../src/provenance/cdn-rules.js';

const providers = (headers: Parameters<typeof cdnHints>[0]): string[] => cdnHints(headers).map((hint) => hint.provider);

describe('CDN rules: each row with its own example', () => {
  for (const rule of CDN_RULES) {
    const [name, value] = rule.example;
    it(`${rule.provider} from ${name}: ${value}`, () => {
      // Only this row may match its example, or the test would not show that the row itself works.
      const alone = cdnHints({ [name.toLowerCase()]: value }, [rule]);
      assert.deepEqual(alone.map((hint) => hint.provider), [rule.provider]);
      assert.equal(alone[0]!.evidence, `${name.toLowerCase()}: ${value.slice(0, 80)}`);
      assert.deepEqual(providers({ [name.toLowerCase()]: value }), [rule.provider], 'and no other row claims it');
      // The header's presence alone is not enough for rows that look at the value.
      if (rule.contains !== undefined || rule.equals !== undefined) {
        assert.deepEqual(cdnHints({ [name.toLowerCase()]: 'nginx/1.25.3' }, [rule]), []);
      }
    });
  }
});

describe('cdnHints', () => {
  const table: { name: string; headers: Parameters<typeof cdnHints>[0]; expected: string[] }[] = [
    { name: 'no headers', headers: {}, expected: [] },
    { name: 'undefined', headers: undefined, expected: [] },
    { name: 'a plain origin', headers: { server: 'nginx', via: '1.1 varnish', 'x-cache': 'HIT' }, expected: [] },
    { name: 'Fastly in front of GitHub Pages', headers: { server: 'GitHub.com', 'x-served-by': 'cache-ams21080-AMS', 'x-github-request-id': 'A:B' }, expected: ['Fastly', 'GitHub'] },
    { name: 'CloudFront by Via and X-Cache', headers: { via: '1.1 abc.cloudfront.net (CloudFront)', 'x-cache': 'Miss from cloudfront' }, expected: ['Amazon CloudFront'] },
    { name: 'names in any case, from pairs', headers: [['CF-RAY', '1-AMS'], ['Server', 'CloudFlare']], expected: ['Cloudflare'] },
    { name: 'a repeated header as an array', headers: { 'x-amz-cf-pop': ['AMS58-P3', 'FRA2'] }, expected: ['Amazon CloudFront'] },
    { name: 'a value past the part looked at', headers: { server: `${'x'.repeat(300)}cloudflare` }, expected: [] },
    { name: 'odd values', headers: { server: 42, via: null, 'x-cache': { nested: true } } as never, expected: [] },
  ];
  for (const row of table) it(row.name, () => assert.deepEqual(providers(row.headers), row.expected));

  it('megabytes of junk headers: bounded work, no crash', () => {
    const junk: Record<string, string> = {};
    for (let i = 0; i < 5_000; i++) junk[`x-junk-${i}`] = String.fromCharCode(...Array.from({ length: 400 }, (_, j) => (i * 31 + j * 7) % 0xffff));
    junk['cf-ray'] = '1-AMS';
    assert.deepEqual(providers(junk), [], 'only the first headers are looked at');
    assert.deepEqual(providers({ 'cf-ray': '1-AMS', ...junk }), ['Cloudflare']);
    assert.deepEqual(providers([['\u0000\uffff'.repeat(1000), 'cloudflare'], ['server', '\ud800cloudflare\u0000']]), ['Cloudflare']);
    assert.equal(MAX_HEADERS, 200);
  });
});
