// API tokens: who may call which routes. Pure: the scope order and the names tokens may have.
export type TokenScope = 'read' | 'write' | 'admin';

export const TOKEN_SCOPES: readonly TokenScope[] = ['read', 'write', 'admin'];

/** Token names: lower-case letters, digits, `.`, `_` and `-`, 1 to 64 characters, so they read well in the audit log. */
export const TOKEN_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export interface ApiTokenRecord {
  readonly name: string;
  readonly scope: TokenScope;
  /** SHA-256 of the token (base64url); the token itself is never stored. */
  readonly tokenHash: string;
  readonly createdAt: number;
  readonly revokedAt?: number;
}

/** admin ⊃ write ⊃ read: a token may do what its scope or any lesser scope allows. */
export function scopeCovers(held: TokenScope, needed: TokenScope): boolean {
  return TOKEN_SCOPES.indexOf(held) >= TOKEN_SCOPES.indexOf(needed);
}

export function isTokenScope(value: string): value is TokenScope {
  return (TOKEN_SCOPES as readonly string[]).includes(value);
}
