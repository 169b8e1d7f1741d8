// Bearer tokens (agents' and the API's): 32 random bytes, shown once; only their SHA-256 is kept, and
// a presented token is compared with every stored hash in constant time.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function newSecretToken(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

export function hashSecretToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** The holder (not revoked) of this token, comparing every hash in constant time. */
export function holderOfToken<T extends { readonly tokenHash: string; readonly revokedAt?: number }>(holders: readonly T[], token: string): T | undefined {
  const presented = Buffer.from(hashSecretToken(token));
  let found: T | undefined;
  for (const holder of holders) {
    const stored = Buffer.from(holder.tokenHash);
    if (stored.length === presented.length && timingSafeEqual(stored, presented) && holder.revokedAt === undefined) found = holder;
  }
  return found;
}

/** The token of an `Authorization: Bearer TOKEN` header; undefined when there is none or it is malformed. */
export function bearerToken(authorization: string | undefined): string | undefined {
  return /^Bearer ([A-Za-z0-9_-]{1,200})$/.exec(authorization ?? '')?.[1];
}
