// Writes to incidents: manual incidents, updates (manual and automatic incidents alike), postmortems.
import type { FastifyInstance } from 'fastify';
import { INCIDENT_IMPACTS, INCIDENT_STATUSES, type IncidentImpact, type IncidentStatus } from '../../domain/state.js';
import type { ManagementDeps } from '../../management/deps.js';
import { addPostmortem, addUpdate, createIncident } from '../../management/incidents.js';
import { incidentJson } from '../../read/serialise.js';
import { recordIdSchema } from '../input.js';
import { incidentSchema } from '../schemas.js';

const MAX_MESSAGE = 20_000;
const message = { type: 'string', minLength: 1, maxLength: MAX_MESSAGE, description: 'Markdown; raw HTML is shown as text' } as const;
const status = { type: 'string', enum: [...INCIDENT_STATUSES] } as const;
const impact = { type: 'string', enum: [...INCIDENT_IMPACTS] } as const;
const idParams = { type: 'object', properties: { id: recordIdSchema }, required: ['id'] } as const;

const problems = {
  400: { $ref: 'Problem#' },
  404: { $ref: 'Problem#' },
  409: { $ref: 'Problem#', description: '`incident_resolved`, `incident_open` (postmortem before resolving) or `incident_follows_checks`' },
} as const;

interface CreateBody {
  title: string;
  status: IncidentStatus;
  impact: IncidentImpact;
  components: string[];
  message: string;
}

export function manageIncidentRoutes(app: FastifyInstance, deps: ManagementDeps): void {
  app.post<{ Body: CreateBody }>('/api/v1/incidents', {
    config: { scope: 'write' },
    schema: {
      summary: 'Open an incident by hand (status-page vocabulary); it shows on the pages, feeds and /api/v2 at once',
      tags: ['incidents'],
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['title', 'components', 'message'],
        properties: {
          title: { type: 'string', minLength: 1, maxLength: 200 },
          status: { ...status, default: 'investigating' },
          impact: { ...impact, default: 'minor' },
          components: { type: 'array', minItems: 1, maxItems: 200, uniqueItems: true, items: { type: 'string', minLength: 1, maxLength: 200 }, description: 'Component names as on the status page; the incident covers their monitors' },
          message,
        },
      },
      response: { 201: incidentSchema, ...problems },
    },
    handler: async (request, reply) => {
      const incident = await createIncident(deps, request.body);
      return reply.code(201).header('location', `/api/v1/incidents/${incident.id}`).send(incidentJson(incident, deps.clock.now()));
    },
  });

  app.post<{ Params: { id: string }; Body: { status?: IncidentStatus; impact?: IncidentImpact; message: string } }>('/api/v1/incidents/:id/updates', {
    config: { scope: 'write' },
    schema: {
      summary: 'Post an update; status "resolved" resolves a manual incident',
      tags: ['incidents'],
      params: idParams,
      body: { type: 'object', additionalProperties: false, required: ['message'], properties: { status, impact, message } },
      response: { 201: incidentSchema, ...problems },
    },
    handler: async (request, reply) => {
      const { status: given, impact: newImpact, message: text } = request.body;
      const incident = await addUpdate(deps, request.params.id, { message: text, ...(given ? { status: given } : {}), ...(newImpact ? { impact: newImpact } : {}) });
      return reply.code(201).send(incidentJson(incident, deps.clock.now()));
    },
  });

  app.post<{ Params: { id: string }; Body: { message: string } }>('/api/v1/incidents/:id/postmortem', {
    config: { scope: 'write' },
    schema: {
      summary: 'Publish the postmortem of a resolved incident (a later one supersedes it)',
      tags: ['incidents'],
      params: idParams,
      body: { type: 'object', additionalProperties: false, required: ['message'], properties: { message } },
      response: { 201: incidentSchema, ...problems },
    },
    handler: async (request, reply) => reply.code(201).send(incidentJson(await addPostmortem(deps, request.params.id, request.body.message), deps.clock.now())),
  });
}
