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

export const scopeSchema = {
  type: 'object',
  properties: {
    vantages: { type: 'array', items: { type: 'string' }, description: 'The failing vantages' },
    regions: { type: 'array', items: { type: 'string' }, description: 'Their regions' },
  },
  required: ['vantages', 'regions'],
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
    state: {
      type: 'string',
      enum: ['pending', 'up', 'degraded', 'down', 'partial', 'paused', 'maintenance'],
      description: 'Judged across the healthy vantages: down from at least the quorum, partial from fewer (see docs/agents.md)',
    },
    since: { type: ['string', 'null'], format: 'date-time' },
    scope: nullable({ ...scopeSchema, description: 'While partial or down across several vantages: the failing vantages and their regions' }),
    openIncidentId: { type: ['string', 'null'] },
    lastResult: nullable(resultSchema),
    source: { type: 'string', enum: ['config', 'api'], description: '"config": from the config file, read-only through the API; "api": made through the API' },
    paused: { type: 'boolean' },
    vantages: {
      type: 'array',
      description: 'Each vantage checking this monitor, side by side',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          region: { type: ['string', 'null'] },
          state: { type: 'string', enum: ['pending', 'up', 'degraded', 'down', 'paused', 'maintenance'], description: "This vantage's own verdict on the monitor" },
          vantageState: { type: 'string', enum: ['ok', 'impaired', 'offline'], description: 'The vantage itself: impaired and offline vantages count neither for nor against the monitor' },
          lastResultId: { type: ['string', 'null'] },
          lastCheckedAt: isoTime,
          lastResult: { ...nullable(resultSchema), description: 'Whole on GET /api/v1/monitors/{id}; left out of the list' },
        },
      },
    },
  },
} as const;

const evidenceListSchema = { type: 'array', items: evidenceSchema } as const;

export const incidentScopeSchema = {
  type: 'object',
  properties: {
    kind: { type: 'string', enum: ['global', 'partial'], description: 'global: down from at least the quorum of healthy vantages; partial: from fewer' },
    ...scopeSchema.properties,
  },
  required: ['kind', 'vantages', 'regions'],
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
    status: { type: ['string', 'null'], enum: ['investigating', 'identified', 'monitoring', 'resolved', null], description: 'On an operator\'s update: the status as of it' },
    html: { type: ['string', 'null'], description: 'Updates and postmortems: the Markdown message rendered as safe HTML' },
    scope: nullable({
      type: 'object',
      description: 'On partial and scope_changed entries: the scope from then on, with the latest result of each vantage counted',
      properties: { ...incidentScopeSchema.properties, evidence: evidenceListSchema },
    }),
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
    scope: { ...incidentScopeSchema, description: 'Where the incident is seen from; incidents from before consensus read as global with no vantages named' },
    timeline: { type: 'array', items: timelineEntrySchema },
    source: { type: 'string', enum: ['automatic', 'manual'], description: '"manual": opened by an operator through the API' },
    status: { type: 'string', enum: ['investigating', 'identified', 'monitoring', 'resolved'] },
    impact: { type: ['string', 'null'], enum: ['none', 'minor', 'major', 'critical', null], description: 'As an operator set it; null: derived from what is down' },
    components: { type: ['array', 'null'], items: { type: 'string' }, description: 'Components an operator named' },
    postmortem: nullable({ type: 'object', properties: { at: isoTime, markdown: { type: 'string' }, html: { type: 'string' } } }),
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
