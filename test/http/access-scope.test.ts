// Which scope a route needs when it declares none: a table over method, route and api.publicRead.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { neededScope } from '../../src/http/access.js';
import type { TokenScope } from '../../src/domain/api-token.js';

describe('neededScope', () => {
  const table: ReadonlyArray<{ method: string; route: string; declared?: TokenScope; publicRead: boolean; needed: TokenScope | undefined }> = [
    { method: 'GET', route: '/api/v1/monitors', publicRead: true, needed: undefined },
    { method: 'GET', route: '/api/v1/monitors', publicRead: false, needed: 'read' },
    { method: 'HEAD', route: '/api/v1/incidents/:id', publicRead: false, needed: 'read' },
    { method: 'GET', route: '/metrics', publicRead: false, needed: 'read' },
    { method: 'GET', route: '/', publicRead: false, needed: undefined },
    { method: 'GET', route: '/s/:slug/feed.atom', publicRead: false, needed: undefined },
    { method: 'GET', route: '/api/v2/summary.json', publicRead: false, needed: undefined },
    { method: 'GET', route: '/healthz', publicRead: false, needed: undefined },
    { method: 'OPTIONS', route: '*', publicRead: false, needed: undefined },
    { method: 'GET', route: '/api/v1/audit', declared: 'admin', publicRead: true, needed: 'admin' },
    { method: 'POST', route: '/api/v1/monitors', declared: 'write', publicRead: true, needed: 'write' },
    { method: 'POST', route: '/api/v1/undeclared', publicRead: true, needed: 'write' },
    { method: 'DELETE', route: '/anything', publicRead: true, needed: 'write' },
    { method: 'GET', route: '/api/v1/private-thing', declared: 'read', publicRead: true, needed: 'read' },
  ];
  for (const { method, route, declared, publicRead, needed } of table) {
    it(`${method} ${route}${declared ? ` (declares ${declared})` : ''}, publicRead ${publicRead}: ${needed ?? 'no token'}`, () => {
      assert.equal(neededScope(method, route, declared, publicRead), needed);
    });
  }
});
