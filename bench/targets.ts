// Child process: loopback HTTP targets answering 200 "ok" at once. Run apart from Candor so Candor's
// CPU and memory are measured alone. Talks to its parent over IPC (see target-process.ts).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type TargetRequest = { readonly kind: 'usage' } | { readonly kind: 'stop' };
export type TargetReply =
  | { readonly kind: 'ready'; readonly ports: readonly number[] }
  | { readonly kind: 'usage'; readonly cpu: NodeJS.CpuUsage; readonly rssBytes: number; readonly requests: number };

const LOOPBACK = '127.0.0.1';
const BODY = Buffer.from('ok\n');

let requests = 0;

function answer(_request: http.IncomingMessage, response: http.ServerResponse): void {
  requests += 1;
  response.writeHead(200, { 'content-type': 'text/plain', 'content-length': BODY.length });
  response.end(BODY);
}

async function listen(): Promise<http.Server> {
  const server = http.createServer(answer);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // A deep backlog: every check opens a fresh connection.
    server.listen({ host: LOOPBACK, port: 0, backlog: 4096 }, () => resolve());
  });
  return server;
}

function send(reply: TargetReply): void {
  process.send?.(reply);
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? '8');
  const servers = await Promise.all(Array.from({ length: count }, listen));
  const stop = (): void => {
    for (const server of servers) {
      server.closeAllConnections();
      server.close();
    }
    if (process.connected) process.disconnect();
  };
  process.on('message', (request: TargetRequest) => {
    if (request.kind === 'usage') send({ kind: 'usage', cpu: process.cpuUsage(), rssBytes: process.memoryUsage().rss, requests });
    else stop();
  });
  // The parent went away (crash, Ctrl-C): do not outlive it.
  process.once('disconnect', stop);
  send({ kind: 'ready', ports: servers.map((server) => (server.address() as AddressInfo).port) });
}

void main();
