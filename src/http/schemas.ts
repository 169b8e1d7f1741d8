// JSON Schemas of API v1 responses: they validate nothing at run time but drive serialisation and /openapi.json.
const isoTime = { type: 'string', format: 'date-time' } as const;
const nullable = <T extends object>(schema: T) => ({ anyOf: [schema, { type: 'null' }] });

export const phasesSchema = {
  type: 'object',
  description: 'Phase timings in milliseconds; absent phases did not happen',
  properties: { dns: { type: 'number' }, connect: { type: 'number' }, tls: { type: 'number' }, ttfb: { type: 'number' }, total: { type: 'number' } },
} as const;

export const evidenceSchema = {
  type: 'object',
  properties: {
    resultId: { type: 'string' },
    vantage: { type: 'string' },
    at: isoTime,
    errorKind: { type: 'string' },
    errorMessage: { type: 'string' },
    phases: phasesSchema,
    peerAddress: { type: 'string' },
  },
} as const;

export const resultSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    monitorId: { type: 'string' },
    vantage: { type: 'string' },
    plannedAt: isoTime,
    startedAt: isoTime,
    ok: { type: 'boolean' },
    degraded: { type: 'boolean' },
    maintenance: { type: 'boolean' },
    inconclusive: { type: 'boolean', description: "Failed before reaching the target while this vantage's own network was down; not counted in uptime" },
    latencyMs: { type: 'number' },
    phases: phasesSchema,
    peerAddress: { type: ['string', 'null'] },
    error: nullable({ type: 'object', properties: { kind: { type: 'string' }, message: { type: 'string' } } }),
    details: { type: 'object', additionalProperties: true, description: 'Probe-specific evidence (status, headers, DNS answers, certificate...)' },
  },
} as const;

export const monitorSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    type: { type: 'string', enum: ['http', 'tcp', 'dns', 'tls'] },
    target: { type: 'string' },
    component: { type: 'string' },
    tags: { type: 'array', items: { type: 'string' } },
    intervalSeconds: { type: 'number' },
    state: { type: 'string', enum: ['pending', 'up', 'degraded', 'down', 'paused', 'maintenance'] },
    since: { type: ['string', 'null'], format: 'date-time' },
    openIncidentId: { type: ['string', 'null'] },
    lastResult: nullable(resultSchema),
  },
} as const;

export const timelineEntrySchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    at: isoTime,
    kind: { type: 'string' },
    message: { type: 'string' },
    monitorId: { type: ['string', 'null'] },
    evidence: nullable(evidenceSchema),
  },
} as const;

export const incidentSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    kind: { type: 'string', enum: ['outage', 'policy_violation'], description: 'policy_violation: a sovereignty policy broken (see /api/v1/policies), not an outage' },
    title: { type: 'string' },
    state: { type: 'string', enum: ['open', 'resolved'] },
    monitorIds: { type: 'array', items: { type: 'string' } },
    startedAt: isoTime,
    resolvedAt: { type: ['string', 'null'], format: 'date-time' },
    durationSeconds: { type: 'number' },
    timeline: { type: 'array', items: timelineEntrySchema },
  },
} as const;

export const uptimeSchema = {
  type: 'object',
  properties: {
    window: { type: 'string' },
    from: isoTime,
    to: isoTime,
    uptime: { type: ['number', 'null'], description: 'Fraction 0..1 of counted checks that passed; null when none ran' },
    checks: { type: 'integer' },
    okChecks: { type: 'integer' },
    downtimeSeconds: { type: 'integer', description: 'Seconds of the window inside incidents, leaving out when this Candor was not running' },
    notRunningSeconds: { type: 'integer', description: 'Seconds of the window when this Candor itself was not running (no data)' },
  },
} as const;

export const errorResponses = {
  400: { $ref: 'Problem#' },
  404: { $ref: 'Problem#' },
} as const;
