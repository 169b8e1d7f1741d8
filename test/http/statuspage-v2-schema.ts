// The public Atlassian Statuspage v2 format (https://<page>.statuspage.io/api/v2), written down independently of
// src/http/schemas-v2.ts from Statuspage's public API docs, so the test catches drift on either side.
// Required fields, enums and types; extra fields are allowed, as Statuspage adds fields over time.

const dateTime = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$' };
const nullableDateTime = { anyOf: [dateTime, { type: 'null' }] };

export const pageShape = {
  type: 'object',
  required: ['id', 'name', 'url', 'time_zone', 'updated_at'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    url: { type: 'string', pattern: '^https?://' },
    time_zone: { type: 'string' },
    updated_at: dateTime,
  },
};

export const statusShape = {
  type: 'object',
  required: ['indicator', 'description'],
  properties: {
    indicator: { enum: ['none', 'minor', 'major', 'critical', 'maintenance'] },
    description: { type: 'string' },
  },
};

const componentStatus = { enum: ['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance'] };

export const componentShape = {
  type: 'object',
  required: ['id', 'name', 'status', 'created_at', 'updated_at', 'position', 'description', 'showcase', 'start_date', 'group_id', 'page_id', 'group', 'only_show_if_degraded'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    status: componentStatus,
    created_at: dateTime,
    updated_at: dateTime,
    position: { type: 'integer' },
    description: { type: ['string', 'null'] },
    showcase: { type: 'boolean' },
    start_date: { anyOf: [{ type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' }, { type: 'null' }] },
    group_id: { type: ['string', 'null'] },
    page_id: { type: 'string' },
    group: { type: 'boolean' },
    only_show_if_degraded: { type: 'boolean' },
  },
};

const incidentStatus = { enum: ['investigating', 'identified', 'monitoring', 'resolved', 'postmortem'] };

export const incidentUpdateShape = {
  type: 'object',
  required: ['id', 'status', 'body', 'incident_id', 'created_at', 'updated_at', 'display_at', 'affected_components', 'deliver_notifications', 'custom_tweet', 'tweet_id'],
  properties: {
    id: { type: 'string' },
    status: incidentStatus,
    body: { type: 'string' },
    incident_id: { type: 'string' },
    created_at: dateTime,
    updated_at: dateTime,
    display_at: dateTime,
    affected_components: {
      anyOf: [
        { type: 'null' },
        {
          type: 'array',
          items: { type: 'object', required: ['code', 'name', 'old_status', 'new_status'], properties: { code: { type: 'string' }, name: { type: 'string' }, old_status: componentStatus, new_status: componentStatus } },
        },
      ],
    },
    deliver_notifications: { type: 'boolean' },
    custom_tweet: { type: ['string', 'null'] },
    tweet_id: { type: ['string', 'null'] },
  },
};

export const incidentShape = {
  type: 'object',
  required: [
    'id', 'name', 'status', 'created_at', 'updated_at', 'monitoring_at', 'resolved_at', 'impact', 'shortlink', 'started_at', 'page_id',
    'incident_updates', 'components',
  ],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    status: incidentStatus,
    created_at: dateTime,
    updated_at: dateTime,
    monitoring_at: nullableDateTime,
    resolved_at: nullableDateTime,
    impact: { enum: ['none', 'minor', 'major', 'critical'] },
    shortlink: { type: 'string', pattern: '^https?://' },
    started_at: dateTime,
    page_id: { type: 'string' },
    incident_updates: { type: 'array', items: incidentUpdateShape },
    components: { type: 'array', items: componentShape },
  },
};

const maintenanceStatus = { enum: ['scheduled', 'in_progress', 'verifying', 'completed'] };

/** A scheduled maintenance as Statuspage documents it: an incident with impact "maintenance" and its window. */
export const scheduledMaintenanceShape = {
  type: 'object',
  required: [...incidentShape.required, 'scheduled_for', 'scheduled_until'],
  properties: {
    ...incidentShape.properties,
    status: maintenanceStatus,
    impact: { enum: ['maintenance'] },
    scheduled_for: dateTime,
    scheduled_until: dateTime,
    incident_updates: { type: 'array', items: { ...incidentUpdateShape, properties: { ...incidentUpdateShape.properties, status: maintenanceStatus } } },
  },
};

export const summaryShape = {
  type: 'object',
  required: ['page', 'status', 'components', 'incidents', 'scheduled_maintenances'],
  properties: {
    page: pageShape,
    status: statusShape,
    components: { type: 'array', items: componentShape },
    incidents: { type: 'array', items: incidentShape },
    scheduled_maintenances: { type: 'array', items: scheduledMaintenanceShape },
  },
};

export const statusResponseShape = { type: 'object', required: ['page', 'status'], properties: { page: pageShape, status: statusShape } };
export const componentsResponseShape = { type: 'object', required: ['page', 'components'], properties: { page: pageShape, components: { type: 'array', items: componentShape } } };
export const incidentsResponseShape = { type: 'object', required: ['page', 'incidents'], properties: { page: pageShape, incidents: { type: 'array', items: incidentShape } } };
export const scheduledMaintenancesResponseShape = {
  type: 'object',
  required: ['page', 'scheduled_maintenances'],
  properties: { page: pageShape, scheduled_maintenances: { type: 'array', items: scheduledMaintenanceShape } },
};
