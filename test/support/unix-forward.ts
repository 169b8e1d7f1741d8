// Fixture process for namespace tests: `node unix-forward.js SOCKET HOST PORT`, run inside a lab host,
// accepts connections on a Unix socket (a file, reachable from every network namespace) and pipes each
// to HOST:PORT as seen from that host. This is how a test in the machine's own namespace talks to a
// server inside the lab without any address outside it. Prints "forwarding" once it listens.
import { rmSync } from 'node:fs';
import net from 'node:net';

const [socketPath, host, port] = process.argv.slice(2) as [string, string, string];
rmSync(socketPath, { force: true });
const server = net.createServer((client) => {
  const upstream = net.connect(Number(port), host);
  client.pipe(upstream).pipe(client);
  // Either side failing (the server is down: ECONNREFUSED) closes the other.
  upstream.on('error', () => client.destroy());
  client.on('error', () => upstream.destroy());
});
server.listen(socketPath, () => console.log(`forwarding ${socketPath} to ${host}:${port}`));
process.once('SIGTERM', () => process.exit(0));
