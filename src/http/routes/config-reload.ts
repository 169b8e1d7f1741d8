// POST /api/v1/config/reload: the same as SIGHUP (src/management/reload.ts).
import type { FastifyInstance } from 'fastify';
import { reloadConfig, type ReloadDeps } from '../../management/reload.js';

const ids = { type: 'array', items: { type: 'string' } } as const;

export function configReloadRoutes(app: FastifyInstance, deps: ReloadDeps): void {
  app.post('/api/v1/config/reload', {
    config: { scope: 'admin' },
    schema: {
      summary: 'Read and validate the config file again; apply it if valid (unchanged monitors keep running)',
      tags: ['config'],
      response: {
        200: {
          type: 'object',
          properties: {
            added: ids,
            changed: ids,
            removed: ids,
            unchanged: { type: 'integer' },
            restartNeeded: { ...ids, description: 'Settings that changed but take effect only after a restart' },
          },
        },
        400: { $ref: 'Problem#', description: '`config_invalid`: `problems` lists each with its file, line and column; the running config stays' },
        409: { $ref: 'Problem#', description: '`config_conflict`: the file names a monitor made through the API' },
      },
    },
    handler: async () => reloadConfig(deps),
  });
}
