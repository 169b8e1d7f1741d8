import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRedactor, redactDetails } from '../../src/domain/redaction.js';

const redactor = createRedactor(['s3cr3t/+value', 'tok-123456', 'abc']);

describe('createRedactor', () => {
  const urls: [string, string, string][] = [
    ['a plain URL stays', 'https://shop.example/health?page=2', 'https://shop.example/health?page=2'],
    ['a sensitive query parameter', 'https://x.example/?token=abc123&page=1', 'https://x.example/?token=[redacted]&page=1'],
    ['parameters by word', 'https://x.example/?api_key=1&X-Amz-Signature=2&client_secret=3&session_id=4', 'https://x.example/?api_key=[redacted]&X-Amz-Signature=[redacted]&client_secret=[redacted]&session_id=[redacted]'],
    ['credentials in the URL', 'https://user:pw@x.example/a', 'https://[redacted]@x.example/a'],
    ['a known secret anywhere', 'https://x.example/tok-123456/a?q=tok-123456', 'https://x.example/[redacted]/a?q=[redacted]'],
    ['a known secret, URL-encoded', `https://x.example/?q=${encodeURIComponent('s3cr3t/+value')}`, 'https://x.example/?q=[redacted]'],
    ['the fragment is kept', 'https://x.example/?key=1#top', 'https://x.example/?key=[redacted]#top'],
    ['not a URL: as text', 'tok-123456 is here', '[redacted] is here'],
  ];
  for (const [name, input, expected] of urls) it(`url: ${name}`, () => assert.equal(redactor.url(input), expected));

  const texts: [string, string, string][] = [
    ['URLs inside a message', 'more than 5 redirects (next would be https://x.example/?token=zz)', 'more than 5 redirects (next would be https://x.example/?token=[redacted])'],
    ['a secret inside a message', 'Bearer tok-123456 refused', 'Bearer [redacted] refused'],
    ['secrets shorter than 4 characters are left alone', 'abc def', 'abc def'],
    ['the longest secret first', 's3cr3t/+value', '[redacted]'],
  ];
  for (const [name, input, expected] of texts) it(`text: ${name}`, () => assert.equal(redactor.text(input), expected));

  it('headers: sensitive ones whole, location as a URL, others as text', () => {
    assert.deepEqual(
      redactor.headers({ 'set-cookie': 'a=b', authorization: 'x', 'X-Session-Token': 'y', location: '/next?token=q&a=1', server: 'nginx tok-123456' }),
      { 'set-cookie': '[redacted]', authorization: '[redacted]', 'X-Session-Token': '[redacted]', location: '/next?token=[redacted]&a=1', server: 'nginx [redacted]' },
    );
  });

  it('details: redirects, headers and the excerpt; the rest as it is', () => {
    assert.deepEqual(
      redactDetails({ type: 'http', status: 302, redirects: ['https://x.example/?code=1'], headers: { cookie: 'c' }, bodyExcerpt: 'echo tok-123456', httpVersion: '1.1' }, redactor),
      { type: 'http', status: 302, redirects: ['https://x.example/?code=[redacted]'], headers: { cookie: '[redacted]' }, bodyExcerpt: 'echo [redacted]', httpVersion: '1.1' },
    );
    assert.deepEqual(redactDetails({ type: 'tcp', bannerExcerpt: 'hello tok-123456' }, redactor), { type: 'tcp', bannerExcerpt: 'hello [redacted]' });
    const dns = { type: 'dns', answers: [{ type: 'TXT', name: 'x.example', ttl: 60, data: 'tok-123456' }] } as const;
    assert.deepEqual(redactDetails(dns, redactor), dns);
  });
});
