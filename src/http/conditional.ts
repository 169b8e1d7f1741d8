import type { FastifyInstance } from 'fastify';
import etag from '@fastify/etag';

/**
 * ETags with 304 answers for successful responses only: @fastify/etag would also answer 304 to a
 * repeated request for a 404 page, which HTTP reserves for 2xx. Registered before the plugin, this
 * hook hides If-None-Match from it when the response is not a success.
 */
export async function registerEtags(app: FastifyInstance, options: { weak?: boolean } = {}): Promise<void> {
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode < 200 || reply.statusCode >= 300) delete request.headers['if-none-match'];
    return payload;
  });
  await app.register(etag, options);
}
