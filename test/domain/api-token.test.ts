import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { scopeCovers, TOKEN_NAME, type TokenScope } from '../../src/domain/api-token.js';

describe('token scopes: admin ⊃ write ⊃ read', () => {
  const table: ReadonlyArray<[held: TokenScope, needed: TokenScope, allowed: boolean]> = [
    ['read', 'read', true],
    ['read', 'write', false],
    ['read', 'admin', false],
    ['write', 'read', true],
    ['write', 'write', true],
    ['write', 'admin', false],
    ['admin', 'read', true],
    ['admin', 'write', true],
    ['admin', 'admin', true],
  ];
  for (const [held, needed, allowed] of table) {
    it(`${held} ${allowed ? 'may' : 'may not'} do what needs ${needed}`, () => assert.equal(scopeCovers(held, needed), allowed));
  }

  const names: ReadonlyArray<[name: string, valid: boolean]> = [
    ['deploy-bot', true],
    ['ci.github_actions', true],
    ['a', true],
    ['x'.repeat(64), true],
    ['x'.repeat(65), false],
    ['Deploy', false],
    ['-leading', false],
    ['with space', false],
    ['', false],
  ];
  for (const [name, valid] of names) {
    it(`token name ${JSON.stringify(name.length > 20 ? `${name.slice(0, 8)}… (${name.length})` : name)} is ${valid ? 'valid' : 'refused'}`, () => assert.equal(TOKEN_NAME.test(name), valid));
  }
});
