// JSON Schemas of the provenance responses (they drive serialisation and /openapi.json).
const isoTime = { type: 'string', format: 'date-time' } as const;
const strings = { type: 'array', items: { type: 'string' } } as const;

const networkSchema = { type: 'object', properties: { asn: { type: 'integer' }, org: { type: 'string' } } } as const;

const snapshotSchema = {
  type: 'object',
  description: 'The first snapshot of the stretch, as the vantage took it (TTLs and the address connected to may have varied since)',
  additionalProperties: true,
  properties: {
    host: { type: 'string' },
    port: { type: 'integer' },
    resolver: { type: 'string' },
    cnames: strings,
    addresses: { type: 'array', items: { type: 'object', properties: { address: { type: 'string' }, family: { type: 'integer' }, ttl: { type: 'integer' } } } },
    connectedAddress: { type: 'string' },
    networks: { type: 'array', items: { type: 'object', properties: { address: { type: 'string' }, asn: { type: 'integer' }, org: { type: 'string' }, country: { type: 'string' } } } },
    certificate: { type: 'object', additionalProperties: true, properties: { subject: { type: 'string' }, issuer: { type: 'string' }, fingerprint256: { type: 'string' } } },
    cdns: strings,
    error: { type: 'object', properties: { kind: { type: 'string' }, message: { type: 'string' } } },
  },
} as const;

export const ledgerEntrySchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    monitorId: { type: 'string' },
    vantage: { type: 'string' },
    firstSeen: isoTime,
    lastSeen: isoTime,
    observations: { type: 'integer', description: 'Snapshots this entry stands for' },
    view: {
      type: 'object',
      description: 'What was known after this snapshot (dimensions it could not see are carried over)',
      properties: {
        addresses: strings,
        cnameTarget: { type: ['string', 'null'] },
        networks: { type: 'array', items: networkSchema },
        countries: { ...strings, description: 'ISO 3166-1 alpha-2 countries the networks are registered in (not where the servers are)' },
        certificate: { anyOf: [{ type: 'object', properties: { issuer: { type: 'string' }, fingerprint256: { type: 'string' } } }, { type: 'null' }] },
        cdns: strings,
      },
    },
    snapshot: snapshotSchema,
  },
} as const;

export const changeSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    monitorId: { type: 'string' },
    vantage: { type: 'string' },
    at: isoTime,
    kind: { type: 'string', enum: ['addresses', 'network', 'country', 'cname', 'certificate_issuer', 'certificate', 'cdn'] },
    previous: strings,
    current: strings,
    message: { type: 'string' },
  },
} as const;

export const violationSchema = {
  type: 'object',
  properties: {
    policyId: { type: 'string' },
    monitorId: { type: 'string' },
    vantage: { type: 'string' },
    since: isoTime,
    incidentId: { type: 'string' },
    breaches: { type: 'array', items: { type: 'object', properties: { rule: { type: 'string' }, value: { type: 'string' } } } },
    ledgerEntryId: { type: 'string' },
  },
} as const;

const rulesSchema = {
  anyOf: [
    {
      type: 'object',
      properties: { countries: strings, asns: { type: 'array', items: { type: 'integer' } }, orgs: strings, certIssuers: strings, cdns: strings },
    },
    { type: 'null' },
  ],
} as const;

export const policySchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    appliesTo: { type: 'object', properties: { monitors: strings, components: strings, tags: strings } },
    allow: rulesSchema,
    deny: rulesSchema,
    monitorIds: strings,
    violations: { type: 'array', items: violationSchema },
  },
} as const;
