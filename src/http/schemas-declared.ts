// JSON Schemas of the declared-vs-observed API (/api/v1/declared, .../declared/history, /api/v1/transparency).
const isoTime = { type: 'string', format: 'date-time' } as const;
const nullableTime = { type: ['string', 'null'], format: 'date-time' } as const;
const declaredStatus = {
  type: 'string',
  enum: ['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance', 'unavailable', 'unknown'],
  description: '"unavailable": the last poll failed (reason says why); "unknown": never polled yet. Neither is ever "operational".',
} as const;

const statusRow = {
  type: 'object',
  properties: {
    status: declaredStatus,
    reason: { type: ['string', 'null'] },
    declaredAt: { ...nullableTime, description: 'When the platform says the status began, if it says' },
    firstSeen: nullableTime,
    lastSeen: nullableTime,
  },
} as const;

const failure = { anyOf: [{ type: 'object', properties: { kind: { type: 'string' }, message: { type: 'string' } } }, { type: 'null' }] } as const;

export const declaredOverviewSchema = {
  type: 'object',
  properties: {
    sources: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          type: { type: 'string', enum: ['statuspage', 'feed'] },
          url: { type: 'string' },
          intervalSeconds: { type: 'number' },
          monitors: { type: 'array', items: { type: 'object', properties: { monitorId: { type: 'string' }, component: { type: ['string', 'null'] } } } },
          overall: statusRow,
          components: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, ...statusRow.properties } } },
          lastPoll: { anyOf: [{ type: 'object', properties: { at: isoTime, ok: { type: 'boolean' }, failure } }, { type: 'null' }] },
          lastSuccessAt: nullableTime,
        },
      },
    },
  },
} as const;

const declaredIncident = {
  type: 'object',
  properties: {
    id: { type: 'string', description: "The platform's own incident id" },
    title: { type: 'string' },
    impact: { type: 'string' },
    declaredAt: isoTime,
    startedAt: isoTime,
    resolvedAt: nullableTime,
    components: { type: 'array', items: { type: 'string' } },
    url: { type: ['string', 'null'] },
    firstSeen: isoTime,
    lastSeen: isoTime,
    updates: { type: 'array', items: { type: 'object', properties: { at: isoTime, status: { type: 'string' }, body: { type: 'string' } } } },
  },
} as const;

export const declaredHistorySchema = {
  type: 'object',
  properties: {
    monitorId: { type: 'string' },
    sourceId: { type: 'string' },
    type: { type: 'string' },
    url: { type: 'string' },
    component: { type: ['string', 'null'] },
    from: isoTime,
    to: isoTime,
    statuses: { type: 'array', items: statusRow, description: 'Changes only: each status held from firstSeen until the next row' },
    incidents: { type: 'array', items: declaredIncident },
  },
} as const;

export const acknowledgementSchema = {
  anyOf: [
    {
      type: 'object',
      properties: {
        kind: { type: 'string', enum: ['status', 'incident'] },
        at: isoTime,
        firstSeen: isoTime,
        status: { type: ['string', 'null'] },
        declaredIncidentId: { type: ['string', 'null'] },
        title: { type: ['string', 'null'] },
      },
    },
    { type: 'null' },
  ],
} as const;

export const comparisonSchema = {
  type: 'object',
  properties: {
    incidentId: { type: 'string' },
    monitorId: { type: 'string' },
    firstFailureResultId: { type: ['string', 'null'] },
    startedAt: isoTime,
    endedAt: nullableTime,
    scope: { type: 'string', enum: ['global', 'partial'] },
    verdict: { type: 'string', enum: ['acknowledged', 'unacknowledged', 'pending'] },
    lagMs: { type: ['number', 'null'] },
    acknowledgement: acknowledgementSchema,
  },
} as const;

const figures = {
  type: 'object',
  properties: {
    windowDays: { type: 'integer' },
    from: isoTime,
    to: isoTime,
    outages: { type: 'integer' },
    acknowledged: { type: 'integer' },
    unacknowledged: { type: 'integer' },
    pending: { type: 'integer' },
    medianLagMs: { type: ['number', 'null'] },
    p90LagMs: { type: ['number', 'null'] },
    shareUnacknowledged: { type: ['number', 'null'] },
    declaredOperationalWhileDownMs: { type: 'number' },
    declaredOperationalWhilePartialMs: { type: 'number' },
    declaredDownWhileUpMs: { type: 'number' },
    evidence: {
      type: 'object',
      properties: {
        outages: { type: 'array', items: comparisonSchema },
        disagreements: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              kind: { type: 'string', enum: ['declared_operational_while_down', 'declared_down_while_up', 'declared_operational_while_partial'] },
              monitorId: { type: 'string' },
              from: isoTime,
              to: isoTime,
              durationMs: { type: 'number' },
              declaredStatusFirstSeen: isoTime,
              incidentId: { type: ['string', 'null'] },
            },
          },
        },
      },
    },
  },
} as const;

export const transparencySchema = {
  type: 'object',
  properties: {
    method: { type: 'object', properties: { version: { type: 'string' }, document: { type: 'string' } } },
    generatedAt: isoTime,
    platforms: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          sourceId: { type: 'string' },
          name: { type: 'string' },
          type: { type: 'string' },
          url: { type: 'string' },
          monitors: { type: 'array', items: { type: 'object', properties: { monitorId: { type: 'string' }, name: { type: 'string' }, component: { type: ['string', 'null'] } } } },
          windows: { type: 'array', items: figures },
        },
      },
    },
  },
} as const;
