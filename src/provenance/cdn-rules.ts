// Which CDN or hosting provider answered, as response headers hint at it: a table kept as data, one
// row per telling header. Each row carries an example that matches it (test/provenance/cdn-hints.test.ts
// checks every row with its example). Only headers that name one provider are here: a generic `Via:
// varnish` or `X-Cache: HIT` says nothing about who runs the cache.

export interface CdnRule {
  readonly provider: string;
  /** Lower-case header name; a name ending in "*" matches every header with that prefix. */
  readonly header: string;
  /** The value must contain this, compared in lower case; absent: the header's presence is enough. */
  readonly contains?: string;
  /** The value must equal this, compared in lower case. */
  readonly equals?: string;
  /** A response header that matches this row alone: [name, value]. */
  readonly example: readonly [string, string];
}

export const CDN_RULES: readonly CdnRule[] = [
  { provider: 'Cloudflare', header: 'cf-ray', example: ['CF-Ray', '8f1c2d3e4a5b6c7d-AMS'] },
  { provider: 'Cloudflare', header: 'cf-cache-status', example: ['CF-Cache-Status', 'HIT'] },
  { provider: 'Cloudflare', header: 'server', contains: 'cloudflare', example: ['Server', 'cloudflare'] },
  { provider: 'Fastly', header: 'x-served-by', contains: 'cache-', example: ['X-Served-By', 'cache-ams21080-AMS, cache-fra-etou8220121-FRA'] },
  { provider: 'Fastly', header: 'x-fastly-*', example: ['X-Fastly-Request-ID', '0b9c1f2e3d4c5b6a'] },
  { provider: 'Fastly', header: 'fastly-debug-digest', example: ['Fastly-Debug-Digest', 'a1b2c3'] },
  { provider: 'Akamai', header: 'x-akamai-*', example: ['X-Akamai-Transformed', '9 - 0 pmb=mRUM,1'] },
  { provider: 'Akamai', header: 'akamai-grn', example: ['Akamai-GRN', '0.1a2b3c4d.1700000000.5e6f7a8b'] },
  { provider: 'Akamai', header: 'server', contains: 'akamai', example: ['Server', 'AkamaiGHost'] },
  { provider: 'Amazon CloudFront', header: 'x-amz-cf-pop', example: ['X-Amz-Cf-Pop', 'AMS58-P3'] },
  { provider: 'Amazon CloudFront', header: 'x-amz-cf-id', example: ['X-Amz-Cf-Id', 'Zq0aBcDeFgHiJkLmNoPqRsTuVwXyZ=='] },
  { provider: 'Amazon CloudFront', header: 'via', contains: 'cloudfront', example: ['Via', '1.1 0123456789abcdef.cloudfront.net (CloudFront)'] },
  { provider: 'Amazon CloudFront', header: 'x-cache', contains: 'cloudfront', example: ['X-Cache', 'Hit from cloudfront'] },
  { provider: 'Vercel', header: 'x-vercel-*', example: ['X-Vercel-Id', 'ams1::iad1::abcde-1700000000000-0123456789ab'] },
  { provider: 'Vercel', header: 'server', equals: 'vercel', example: ['Server', 'Vercel'] },
  { provider: 'GitHub', header: 'x-github-request-id', example: ['X-GitHub-Request-Id', 'ABCD:1234:5678:9ABC:65000000'] },
  { provider: 'GitHub', header: 'server', equals: 'github.com', example: ['Server', 'GitHub.com'] },
  { provider: 'Netlify', header: 'x-nf-request-id', example: ['X-NF-Request-ID', '01HABCDEF0123456789'] },
  { provider: 'Netlify', header: 'server', equals: 'netlify', example: ['Server', 'Netlify'] },
  { provider: 'Google', header: 'server', equals: 'gws', example: ['Server', 'gws'] },
  { provider: 'Google', header: 'via', contains: 'google', example: ['Via', '1.1 google'] },
  { provider: 'Google', header: 'x-goog-*', example: ['X-Goog-Generation', '1700000000000000'] },
  { provider: 'Microsoft Azure', header: 'x-azure-ref', example: ['X-Azure-Ref', '20240101T000000Z-abcdef0123456789'] },
  { provider: 'Microsoft Azure', header: 'x-msedge-ref', example: ['X-MSEdge-Ref', 'Ref A: 0123456789ABCDEF Ref B: AMS04EDGE0123'] },
  { provider: 'Bunny CDN', header: 'cdn-pullzone', example: ['CDN-PullZone', '123456'] },
  { provider: 'Bunny CDN', header: 'server', contains: 'bunnycdn', example: ['Server', 'BunnyCDN-DE1-1234'] },
  { provider: 'Sucuri', header: 'x-sucuri-id', example: ['X-Sucuri-ID', '16014'] },
  { provider: 'Imperva', header: 'x-iinfo', example: ['X-Iinfo', '12-34567890-0 0NNN RT(1700000000000 0) q(0 -1 -1 0) r(0 -1)'] },
  { provider: 'Imperva', header: 'x-cdn', contains: 'imperva', example: ['X-CDN', 'Imperva'] },
  { provider: 'Fly.io', header: 'fly-request-id', example: ['Fly-Request-Id', '01HABCDEF0123456789-ams'] },
  { provider: 'Heroku', header: 'via', contains: 'vegur', example: ['Via', '1.1 vegur'] },
  { provider: 'Render', header: 'rndr-id', example: ['Rndr-Id', '0123abcd-4567-89ef'] },
  { provider: 'KeyCDN', header: 'server', contains: 'keycdn', example: ['Server', 'keycdn-engine'] },
  { provider: 'CDN77', header: 'server', contains: 'cdn77', example: ['Server', 'CDN77-Turbo'] },
];
