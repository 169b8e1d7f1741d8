// Secrets stay secret: wherever Candor shows a target, a redirect, a header or a message about them
// (API, pages, feeds, logs, stored details), known secret values and sensitive parts are replaced by
// "[redacted]". Pure: the secret values are given (see src/config/secrets.ts), nothing is looked up.

import type { Details } from './observation.js';

export const REDACTED = '[redacted]';

/** Shorter values are not treated as secrets: replacing every "42" in a message would hide more than it protects. */
export const MIN_SECRET_LENGTH = 4;

/** Request or response headers whose values are credentials whatever they hold. */
const SENSITIVE_HEADER_NAMES = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'api-key',
  'apikey',
  'x-auth-token',
  'x-access-token',
  'x-csrf-token',
  'x-xsrf-token',
  'x-amz-security-token',
]);
const SENSITIVE_HEADER_WORDS = /token|secret|passw|api-?key|session|signature|credential/i;

/** Query parameters whose values are credentials (`?token=`, `?api_key=`, pre-signed URLs' signatures). */
const SENSITIVE_PARAM_NAMES = new Set(['key', 'code', 'sig', 'auth', 'pass', 'pwd', 'jwt', 'access', 'authorization']);
const SENSITIVE_PARAM_WORDS = /token|secret|passw|api[-_]?key|apikey|session|signature|credential|private/i;

export function isSensitiveHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return SENSITIVE_HEADER_NAMES.has(lower) || SENSITIVE_HEADER_WORDS.test(lower);
}

export function isSensitiveParam(name: string): boolean {
  const lower = name.toLowerCase();
  return SENSITIVE_PARAM_NAMES.has(lower) || SENSITIVE_PARAM_WORDS.test(lower);
}

export interface Redactor {
  /** Free text (an error message, a body excerpt): known secret values and sensitive parts of URLs in it. */
  text(text: string): string;
  /** A URL: credentials, sensitive query values and known secret values. Not a URL: as text. */
  url(url: string): string;
  /** Header values: sensitive headers entirely, `location` as a URL, others as text. */
  headers(headers: Readonly<Record<string, string>>): Record<string, string>;
}

export function createRedactor(secretValues: readonly string[]): Redactor {
  // Longest first, so a secret that contains another is replaced whole; also as it looks inside a URL.
  const needles = [...new Set(secretValues.filter((value) => value.length >= MIN_SECRET_LENGTH).flatMap((value) => [value, encodeURIComponent(value)]))].sort(
    (a, b) => b.length - a.length,
  );
  const replaceSecrets = (text: string): string => {
    let out = text;
    for (const needle of needles) if (out.includes(needle)) out = out.split(needle).join(REDACTED);
    return out;
  };
  const url = (text: string): string => replaceSecrets(redactUrlParts(text));
  return {
    url,
    text: (text) => replaceSecrets(text.replace(URL_IN_TEXT, (found) => redactUrlParts(found))),
    headers(headers) {
      const out: Record<string, string> = {};
      for (const [name, value] of Object.entries(headers)) {
        out[name] = isSensitiveHeader(name) ? REDACTED : name.toLowerCase() === 'location' ? url(value) : replaceSecrets(value);
      }
      return out;
    },
  };
}

/** An absolute URL in a message; a closing bracket or full stop after it is not part of it. */
const URL_IN_TEXT = /\bhttps?:\/\/[^\s"'<>]*[^\s"'<>).,;]/gi;

/** user:password@ and the values of sensitive query parameters; the rest of the URL (absolute or relative) as written. */
function redactUrlParts(text: string): string {
  const match = /^(?:([a-z][a-z0-9+.-]*:\/\/)([^/?#]*@)?)?([^?#]*)(\?[^#]*)?(#.*)?$/is.exec(text);
  if (!match) return text;
  const [, scheme, userinfo, rest, query, fragment] = match;
  const redactedQuery =
    query === undefined
      ? ''
      : `?${query
          .slice(1)
          .split('&')
          .map((pair) => {
            const separator = pair.indexOf('=');
            if (separator === -1) return pair;
            const name = safeDecode(pair.slice(0, separator));
            return isSensitiveParam(name) ? `${pair.slice(0, separator)}=${REDACTED}` : pair;
          })
          .join('&')}`;
  return `${scheme ?? ''}${userinfo ? `${REDACTED}@` : ''}${rest}${redactedQuery}${fragment ?? ''}`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** An outcome's error message and its details that show targets, redirects, headers and body text. */
export function redactDetails(details: Details, redactor: Redactor): Details {
  switch (details.type) {
    case 'http':
      return {
        ...details,
        ...(details.redirects ? { redirects: details.redirects.map((item) => redactor.url(item)) } : {}),
        ...(details.headers ? { headers: redactor.headers(details.headers) } : {}),
        ...(details.bodyExcerpt !== undefined ? { bodyExcerpt: redactor.text(details.bodyExcerpt) } : {}),
      };
    case 'tcp':
      return details.bannerExcerpt !== undefined ? { ...details, bannerExcerpt: redactor.text(details.bannerExcerpt) } : details;
    case 'tls':
      return details.verifyError !== undefined ? { ...details, verifyError: redactor.text(details.verifyError) } : details;
    default:
      return details;
  }
}
