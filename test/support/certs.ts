// Test certificates made at test time with node-forge: a test CA and leaves in every state a probe
// must recognise. Keys come from node:crypto (fast) and are shared; results are cached per process.
import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';

export interface KeyAndCert {
  readonly keyPem: string;
  readonly certPem: string;
}

export interface TestCertificates {
  /** The test CA; not in the system trust store, so anything it issued is "untrusted" there. */
  readonly ca: KeyAndCert;
  /** Issued by the CA for 127.0.0.1 and "localhost", valid now for 90 days. */
  readonly valid: KeyAndCert;
  /** Same names, valid now but expiring in 3 days. */
  readonly expiringSoon: KeyAndCert;
  /** Same names, expired yesterday. */
  readonly expired: KeyAndCert;
  /** Same names, valid only from tomorrow. */
  readonly notYetValid: KeyAndCert;
  /** Valid now, but for "wrong.example.test" only. */
  readonly wrongHost: KeyAndCert;
  /** Self-signed (no CA) for 127.0.0.1 and "localhost". */
  readonly selfSigned: KeyAndCert;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const LOOPBACK_NAMES = { dns: ['localhost'], ips: ['127.0.0.1'] };

let cached: TestCertificates | undefined;
let serial = 1;

function newKeyPair(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; pem: string } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey;
  return { privateKey: forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e), pem };
}

interface CertificateOrder {
  readonly commonName: string;
  readonly names?: { dns: string[]; ips: string[] };
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly isCa?: boolean;
  readonly publicKey: forge.pki.rsa.PublicKey;
  readonly issuer?: { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey };
  readonly selfKey: forge.pki.rsa.PrivateKey;
}

function issue(order: CertificateOrder): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = order.publicKey;
  cert.serialNumber = (0x1000 + serial++).toString(16).padStart(4, '0');
  cert.validity.notBefore = order.notBefore;
  cert.validity.notAfter = order.notAfter;
  const subject = [
    { name: 'commonName', value: order.commonName },
    { name: 'organizationName', value: 'Candor Test' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(order.issuer ? order.issuer.cert.subject.attributes : subject);
  const extensions: object[] = [
    { name: 'basicConstraints', cA: order.isCa === true, critical: true },
    order.isCa
      ? { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true }
      : { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
  ];
  if (!order.isCa) extensions.push({ name: 'extKeyUsage', serverAuth: true });
  if (order.names) {
    extensions.push({
      name: 'subjectAltName',
      altNames: [
        ...order.names.dns.map((value) => ({ type: 2, value })),
        ...order.names.ips.map((ip) => ({ type: 7, ip })),
      ],
    });
  }
  extensions.push({ name: 'subjectKeyIdentifier' });
  cert.setExtensions(extensions);
  cert.sign(order.issuer?.key ?? order.selfKey, forge.md.sha256.create());
  return cert;
}

export function testCertificates(): TestCertificates {
  if (cached) return cached;
  const now = Date.now();
  const caKey = newKeyPair();
  const leafKey = newKeyPair();
  const caCert = issue({
    commonName: 'Candor Test CA',
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + 365 * DAY_MS),
    isCa: true,
    publicKey: caKey.publicKey,
    selfKey: caKey.privateKey,
  });
  const issuer = { cert: caCert, key: caKey.privateKey };
  const leaf = (commonName: string, names: { dns: string[]; ips: string[] }, fromMs: number, toMs: number, selfSigned = false): KeyAndCert => ({
    keyPem: leafKey.pem,
    certPem: forge.pki.certificateToPem(
      issue({
        commonName,
        names,
        notBefore: new Date(now + fromMs),
        notAfter: new Date(now + toMs),
        publicKey: leafKey.publicKey,
        selfKey: leafKey.privateKey,
        ...(selfSigned ? {} : { issuer }),
      }),
    ),
  });
  cached = {
    ca: { keyPem: caKey.pem, certPem: forge.pki.certificateToPem(caCert) },
    valid: leaf('localhost', LOOPBACK_NAMES, -DAY_MS, 90 * DAY_MS),
    expiringSoon: leaf('localhost', LOOPBACK_NAMES, -DAY_MS, 3 * DAY_MS + 60 * 60 * 1000),
    expired: leaf('localhost', LOOPBACK_NAMES, -30 * DAY_MS, -DAY_MS),
    notYetValid: leaf('localhost', LOOPBACK_NAMES, DAY_MS, 30 * DAY_MS),
    wrongHost: leaf('wrong.example.test', { dns: ['wrong.example.test'], ips: [] }, -DAY_MS, 90 * DAY_MS),
    selfSigned: leaf('localhost', LOOPBACK_NAMES, -DAY_MS, 90 * DAY_MS, true),
  };
  return cached;
}

/** A CA of its own and a leaf it issued for `names`, valid now: for tests that need two unrelated issuers. */
export function certificateFromNewCa(caCommonName: string, names: { dns: string[]; ips: string[] }): { ca: KeyAndCert; leaf: KeyAndCert } {
  const now = Date.now();
  const caKey = newKeyPair();
  const leafKey = newKeyPair();
  const caCert = issue({
    commonName: caCommonName,
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + 365 * DAY_MS),
    isCa: true,
    publicKey: caKey.publicKey,
    selfKey: caKey.privateKey,
  });
  const leafCert = issue({
    commonName: names.dns[0] ?? names.ips[0] ?? 'localhost',
    names,
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + 90 * DAY_MS),
    publicKey: leafKey.publicKey,
    selfKey: leafKey.privateKey,
    issuer: { cert: caCert, key: caKey.privateKey },
  });
  return {
    ca: { keyPem: caKey.pem, certPem: forge.pki.certificateToPem(caCert) },
    leaf: { keyPem: leafKey.pem, certPem: forge.pki.certificateToPem(leafCert) },
  };
}
