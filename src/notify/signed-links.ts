// Tokens for links in emails (confirm a subscription, unsubscribe): the payload as base64url JSON and
// an HMAC-SHA256 over it with the hub's key, so a link cannot be forged or altered. Pure.
import { createHmac, timingSafeEqual } from 'node:crypto';

export type LinkPayload =
  /** Confirms a subscription; nothing is stored before it is used. */
  | { readonly purpose: 'confirm'; readonly kind?: 'webhook'; readonly address: string; readonly components: readonly string[]; readonly regions: readonly string[]; readonly expiresAt: number }
  | { readonly purpose: 'unsubscribe'; readonly subscriberId: string };

export type LinkCheck = { readonly ok: true; readonly payload: LinkPayload } | { readonly ok: false; readonly problem: 'invalid' | 'expired' };

const mac = (key: Buffer, body: string): Buffer => createHmac('sha256', key).update(body).digest();

export function signLink(payload: LinkPayload, key: Buffer): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${mac(key, body).toString('base64url')}`;
}

export function checkLink(token: string, key: Buffer, now: number): LinkCheck {
  const [body, signature, extra] = token.split('.');
  if (!body || !signature || extra !== undefined) return { ok: false, problem: 'invalid' };
  const expected = mac(key, body);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, problem: 'invalid' };
  let payload: LinkPayload;
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as LinkPayload;
  } catch {
    return { ok: false, problem: 'invalid' };
  }
  if (payload.purpose === 'confirm' && payload.expiresAt <= now) return { ok: false, problem: 'expired' };
  return { ok: true, payload };
}
