// JSON Schemas of the Statuspage v2 compatible responses (/api/v2/*.json). They drive serialisation (so every
// field must be listed) and /openapi.json. docs/statuspage.md maps each field to its source.
const time = { type: 'string', format: 'date-time' } as const;
const nullableTime = { type: ['string', 'null'], format: 'date-time' } as const;

export const v2PageSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', description: 'The status page slug' },
    name: { type: 'string' },
    url: { type: 'string' },
    time_zone: { type: 'string' },
    updated_at: time,
  },
  required: ['id', 'name', 'url', 'time_zone', 'updated_at'],
} as const;

export const v2StatusSchema = {
  type: 'object',
  properties: {
    indicator: { type: 'string', enum: ['none', 'minor', 'major', 'critical', 'maintenance'] },
    description: { type: 'string' },
  },
  required: ['indicator', 'description'],
} as const;

export const v2ComponentSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    status: { type: 'string', enum: ['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance'] },
    created_at: time,
    updated_at: time,
    position: { type: 'integer' },
    description: { type: ['string', 'null'] },
    showcase: { type: 'boolean' },
    start_date: { type: ['string', 'null'] },
    group_id: { type: ['string', 'null'] },
    page_id: { type: 'string' },
    group: { type: 'boolean' },
    only_show_if_degraded: { type: 'boolean' },
  },
  required: ['id', 'name', 'status', 'created_at', 'updated_at', 'position', 'page_id', 'group', 'only_show_if_degraded'],
} as const;

const incidentStatus = { type: 'string', enum: ['investigating', 'identified', 'monitoring', 'resolved', 'postmortem'] } as const;

export const v2IncidentUpdateSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    status: incidentStatus,
    body: { type: 'string' },
    incident_id: { type: 'string' },
    created_at: time,
    updated_at: time,
    display_at: time,
    affected_components: {
      type: ['array', 'null'],
      items: {
        type: 'object',
        properties: { code: { type: 'string' }, name: { type: 'string' }, old_status: { type: 'string' }, new_status: { type: 'string' } },
      },
    },
    deliver_notifications: { type: 'boolean' },
    custom_tweet: { type: ['string', 'null'] },
    tweet_id: { type: ['string', 'null'] },
  },
  required: ['id', 'status', 'body', 'incident_id', 'created_at', 'updated_at', 'display_at'],
} as const;

export const v2IncidentSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    status: incidentStatus,
    created_at: time,
    updated_at: time,
    monitoring_at: nullableTime,
    resolved_at: nullableTime,
    impact: { type: 'string', enum: ['none', 'minor', 'major', 'critical'] },
    shortlink: { type: 'string' },
    started_at: time,
    page_id: { type: 'string' },
    incident_updates: { type: 'array', items: v2IncidentUpdateSchema },
    components: { type: 'array', items: v2ComponentSchema },
  },
  required: ['id', 'name', 'status', 'created_at', 'updated_at', 'impact', 'shortlink', 'page_id', 'incident_updates'],
} as const;

const maintenanceStatus = { type: 'string', enum: ['scheduled', 'in_progress', 'verifying', 'completed'] } as const;

/** A maintenance window of the page's monitors, as Statuspage publishes a scheduled maintenance (read/maintenance-v2.ts). */
export const v2ScheduledMaintenanceSchema = {
  type: 'object',
  properties: {
    ...v2IncidentSchema.properties,
    status: maintenanceStatus,
    impact: { type: 'string', enum: ['maintenance'] },
    scheduled_for: time,
    scheduled_until: time,
    incident_updates: { type: 'array', items: { ...v2IncidentUpdateSchema, properties: { ...v2IncidentUpdateSchema.properties, status: maintenanceStatus } } },
  },
  required: [...v2IncidentSchema.required, 'scheduled_for', 'scheduled_until'],
} as const;

export const v2ScheduledMaintenancesSchema = { type: 'array', items: v2ScheduledMaintenanceSchema } as const;

export const v2StatusResponse = {
  type: 'object',
  properties: { page: v2PageSchema, status: v2StatusSchema },
  required: ['page', 'status'],
} as const;

export const v2ComponentsResponse = {
  type: 'object',
  properties: { page: v2PageSchema, components: { type: 'array', items: v2ComponentSchema } },
  required: ['page', 'components'],
} as const;

export const v2IncidentsResponse = {
  type: 'object',
  properties: { page: v2PageSchema, incidents: { type: 'array', items: v2IncidentSchema } },
  required: ['page', 'incidents'],
} as const;

export const v2ScheduledMaintenancesResponse = {
  type: 'object',
  properties: { page: v2PageSchema, scheduled_maintenances: v2ScheduledMaintenancesSchema },
  required: ['page', 'scheduled_maintenances'],
} as const;

export const v2SummaryResponse = {
  type: 'object',
  properties: {
    page: v2PageSchema,
    components: { type: 'array', items: v2ComponentSchema },
    incidents: { type: 'array', items: v2IncidentSchema },
    scheduled_maintenances: v2ScheduledMaintenancesSchema,
    status: v2StatusSchema,
  },
  required: ['page', 'components', 'incidents', 'scheduled_maintenances', 'status'],
} as const;
