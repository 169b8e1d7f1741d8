// What the HTTP property tests send (fast-check arbitraries): for each operation of /openapi.json, its
// method or another, path parameters, query strings, headers and bodies both plausible and malformed;
// and random paths besides.
import fc from 'fast-check';
import type { Operation } from './openapi-operations.js';
import type { Sent } from './raw-http.js';

export type Tokens = Record<'admin' | 'write' | 'read' | 'revoked' | 'agent', string>;

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const WEIRD = [
  '', '.', '..', '%00', '%E0%A4%A', '%2F', '%252F', '%2e%2e', 'a%20b', '%C3%A9', '%F0%9F%98%80', '%FF', 'x'.repeat(300), 'null', '-1', '0', '1e309',
  'NaN', '__proto__', 'constructor', '01KB3Q4T0M2YB8K6X1Z7N9P5QR', 'web', 'ssh', 'main', 'fuzz-agent', 'app.css', '%3Cscript%3E', '%22', "'", '%27%20OR%201=1',
];
const printable = (max: number) => fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: max });
const segment = fc.oneof(
  fc.constantFrom(...WEIRD),
  fc.stringMatching(/^[a-z0-9-]{1,64}$/),
  fc.string({ maxLength: 40 }).map(encodeURIComponent),
  fc.string({ unit: 'grapheme', maxLength: 12 }).map(encodeURIComponent),
);

export function requestArbitrary(operations: readonly Operation[], tokens: Tokens, privileged: boolean): fc.Arbitrary<{ sent: Sent; operation: Operation | undefined }> {
  const usable = privileged ? Object.values(tokens) : [tokens.read, tokens.revoked];
  const authorization = fc.oneof(
    { arbitrary: fc.constantFrom(...usable.map((token) => `Bearer ${token}`)), weight: 3 },
    fc.constantFrom('Bearer', 'Bearer ', 'bearer x', 'Basic Zm9vOmJhcg==', `Bearer ${'a'.repeat(300)}`, 'Bearer candor_api_', 'Token abc'),
    printable(80),
  );
  const headers = fc.record(
    {
      authorization,
      'content-type': fc.oneof(
        fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/octet-stream', 'application/json; charset=latin1', 'application/json;;;', ''),
        printable(40),
      ),
      accept: fc.oneof(fc.constantFrom('text/html', 'application/json', '*/*', 'image/svg+xml', 'application/problem+json', 'text/html;q=0', 'application/atom+xml'), printable(40)),
      'accept-encoding': fc.oneof(fc.constantFrom('gzip', 'br', 'deflate', 'identity', '*;q=0', 'identity;q=0', 'gzip;q=0, identity;q=0', 'zstd', 'gzip, br;q=1.5'), printable(30)),
      'if-none-match': fc.oneof(fc.constantFrom('*', '"abc"', 'W/"x"', ''), printable(60)),
      origin: fc.oneof(fc.constantFrom('https://evil.example', 'null', 'http://127.0.0.1'), printable(40)),
      host: fc.oneof(fc.constantFrom('localhost', 'evil.example:99999', '[::1', 'a b', '127.0.0.1:1'), printable(40)),
      'x-forwarded-for': printable(40),
      'x-forwarded-proto': fc.constantFrom('https', 'gopher', ''),
      'candor-agent-buffered': fc.oneof(fc.constantFrom('-1', '1e400', '99999999999999999999', '5'), printable(20)),
      'candor-agent-region': printable(120),
      cookie: printable(60),
      'content-encoding': fc.constantFrom('gzip', 'br', 'deflate', 'x-unknown', 'identity'),
      range: fc.constantFrom('bytes=0-10', 'bytes=-1', 'lines=1'),
    },
    { requiredKeys: [] },
  );
  const jsonBody = fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value));
  const body = fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 3 },
    { arbitrary: jsonBody, weight: 3 },
    { arbitrary: fc.record({ observations: fc.array(fc.dictionary(fc.constantFrom('monitorId', 'vantage', 'startedAt', 'plannedAt', 'ok', 'phases', 'error', 'details', 'x'), fc.jsonValue({ maxDepth: 2 })), { maxLength: 4 }), agent: fc.jsonValue({ maxDepth: 1 }), sentAt: fc.jsonValue({ maxDepth: 1 }), signature: fc.string({ maxLength: 90 }) }, { requiredKeys: [] }).map((value) => JSON.stringify(value)), weight: 2 },
    { arbitrary: fc.string({ maxLength: 200 }), weight: 1 },
    { arbitrary: fc.uint8Array({ maxLength: 200 }), weight: 1 },
    { arbitrary: fc.constantFrom('{"a":', '[[[[[[[[[[', '{"__proto__":{"polluted":1}}', 'null', '"x"', '1e999', '{"publicKey":"' + 'A'.repeat(43) + '"}', '[' .repeat(5000)), weight: 1 },
    { arbitrary: fc.constant('x'.repeat(70 * 1024)), weight: 1 },
  );
  const queryValue = fc.oneof(fc.constantFrom(...WEIRD), fc.integer({ min: -5, max: 2000 }).map(String), fc.string({ maxLength: 30 }), fc.date({ noInvalidDate: true }).map((d) => d.toISOString()));

  const forOperation = (operation: Operation) =>
    fc.record({
      method: fc.oneof({ arbitrary: fc.constant(operation.method), weight: 8 }, { arbitrary: fc.constantFrom(...METHODS), weight: 2 }),
      params: fc.tuple(...operation.pathParams.map(() => segment)),
      query: fc.dictionary(fc.oneof({ arbitrary: fc.constantFrom(...operation.queryParams, 'limit', 'before'), weight: 4 }, { arbitrary: fc.string({ maxLength: 10 }), weight: 1 }), fc.oneof(queryValue, fc.constantFrom(...operation.queryEnums)), { maxKeys: 4 }),
      headers,
      body,
      raw: fc.oneof({ arbitrary: fc.constant(false), weight: 9 }, { arbitrary: fc.constant(true), weight: 1 }),
      rawQuery: fc.option(fc.constantFrom('%zz', 'a=%', '&&&', 'limit=1&limit=2', 'a[b]=c', '=', '?'), { freq: 8 }),
    }).map(({ method, params, query, headers, body, raw, rawQuery }) => {
      let index = 0;
      const path = operation.template.replace(/\{[^}]+\}/g, () => params[index++] ?? 'x');
      const search = Object.entries(query).map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`);
      if (rawQuery !== null) search.push(rawQuery);
      const sent: Sent = { method, path: search.length > 0 ? `${path}?${search.join('&')}` : path, headers, ...(body !== undefined ? { body } : {}), raw };
      return { sent, operation };
    });

  const randomPath = fc
    .record({
      method: fc.constantFrom(...METHODS),
      segments: fc.array(segment, { minLength: 0, maxLength: 5 }),
      prefix: fc.constantFrom('/', '/api/v1/', '/api/v2/', '/s/', '/s/main/', '/badge/', '/assets/', '/monitors/', '/incidents/', '//', '/api/v1/agent/'),
      headers,
      body,
      raw: fc.boolean(),
      garbage: fc.option(fc.string({ unit: 'binary', maxLength: 30 }), { freq: 4 }),
    })
    .map(({ method, segments, prefix, headers, body, raw, garbage }) => {
      const path = `${prefix}${segments.join('/')}${garbage ?? ''}`;
      // Unescaped bytes in a path can only be sent raw: node:http refuses to send them.
      const sent: Sent = { method, path, headers, ...(body !== undefined ? { body } : {}), raw: raw || garbage !== null };
      return { sent, operation: undefined as Operation | undefined };
    });

  return fc.oneof({ arbitrary: fc.constantFrom(...operations).chain(forOperation), weight: 8 }, { arbitrary: randomPath, weight: 2 });
}
