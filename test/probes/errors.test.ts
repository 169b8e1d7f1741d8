import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Deadline, certificateErrorKind, networkErrorKind, toProbeFailure, type ProbeStage } from '../../src/probes/errors.js';

describe('networkErrorKind', () => {
  const table: [code: string | undefined, stage: ProbeStage, kind: string][] = [
    ['ENOTFOUND', 'dns', 'dns_nxdomain'],
    ['EAI_AGAIN', 'dns', 'dns_timeout'],
    ['ENODATA', 'dns', 'dns_no_answer'],
    ['ESERVFAIL', 'dns', 'dns_servfail'],
    ['EREFUSED', 'dns', 'dns_refused'],
    ['ECONNREFUSED', 'connect', 'connect_refused'],
    ['ECONNRESET', 'request', 'connect_reset'],
    ['ECONNRESET', 'response', 'connect_reset'],
    ['ECONNRESET', 'tls', 'tls_handshake'],
    ['EPIPE', 'request', 'connect_reset'],
    ['EHOSTUNREACH', 'connect', 'connect_unreachable'],
    ['ENETUNREACH', 'connect', 'connect_unreachable'],
    ['ETIMEDOUT', 'connect', 'connect_timeout'],
    ['ETIMEDOUT', 'response', 'timeout'],
    ['HPE_INVALID_CONSTANT', 'request', 'http_protocol'],
    ['HPE_INVALID_HEADER_TOKEN', 'response', 'http_protocol'],
    ['CERT_HAS_EXPIRED', 'tls', 'tls_cert_expired'],
    ['CERT_NOT_YET_VALID', 'tls', 'tls_cert_not_yet_valid'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls', 'tls_cert_untrusted'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'tls', 'tls_cert_untrusted'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'tls', 'tls_cert_untrusted'],
    ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'tls', 'tls_cert_untrusted'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls', 'tls_hostname_mismatch'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'tls', 'tls_handshake'],
    ['EPROTO', 'tls', 'tls_handshake'],
    ['SOMETHING_NEW', 'tls', 'tls_handshake'],
    ['SOMETHING_NEW', 'dns', 'dns_error'],
    [undefined, 'request', 'internal'],
  ];
  for (const [code, stage, kind] of table) {
    it(`${code ?? '(no code)'} at ${stage} -> ${kind}`, () => assert.equal(networkErrorKind(code, stage), kind));
  }
});

describe('certificateErrorKind', () => {
  const table: [string, string][] = [
    ['CERT_HAS_EXPIRED', 'tls_cert_expired'],
    ['CERT_NOT_YET_VALID', 'tls_cert_not_yet_valid'],
    ['CERT_UNTRUSTED', 'tls_cert_untrusted'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls_hostname_mismatch'],
    ['CERT_SIGNATURE_FAILURE', 'tls_cert_untrusted'],
    ['CERT_REVOKED', 'tls_cert_untrusted'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'tls_handshake'],
  ];
  for (const [code, kind] of table) it(`${code} -> ${kind}`, () => assert.equal(certificateErrorKind(code), kind));
});

describe('Deadline', () => {
  const table: [ProbeStage, string][] = [
    ['dns', 'dns_timeout'],
    ['connect', 'connect_timeout'],
    ['tls', 'timeout'],
    ['request', 'timeout'],
    ['response', 'timeout'],
  ];
  for (const [stage, kind] of table) {
    it(`expiring while ${stage} is ${kind}`, async () => {
      const deadline = new Deadline({ timeoutMs: 5 });
      const never = new Promise<never>(() => undefined);
      await assert.rejects(deadline.race(never, stage), (error: { kind?: string; message?: string }) => {
        assert.equal(error.kind, kind);
        assert.match(error.message ?? '', /timed out after 5 ms/);
        return true;
      });
      deadline.dispose();
    });
  }

  it('an aborted signal is a timeout that says so', async () => {
    const controller = new AbortController();
    const deadline = new Deadline({ timeoutMs: 10_000, signal: controller.signal });
    controller.abort();
    assert.ok(deadline.expired);
    const failure = deadline.failureAt('connect');
    assert.equal(failure.kind, 'timeout');
    assert.match(failure.message, /aborted/);
    deadline.dispose();
  });

  it('an expired deadline wins over the error it caused', () => {
    const controller = new AbortController();
    controller.abort();
    const deadline = new Deadline({ timeoutMs: 10_000, signal: controller.signal });
    const failure = toProbeFailure(Object.assign(new Error('aborted'), { code: 'ABORT_ERR' }), 'response', deadline);
    assert.equal(failure.kind, 'timeout');
    deadline.dispose();
  });
});
