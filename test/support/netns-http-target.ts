// Fixture process for namespace tests: `node netns-http-target.js HOST PORT` answers every request with
// 200 "ok" until SIGTERM. Prints "listening" once it does.
import http from 'node:http';

const [host, port] = process.argv.slice(2);
const server = http.createServer((request, response) => {
  request.resume();
  response.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
});
server.listen(Number(port), host, () => console.log(`listening on ${host}:${port}`));
process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
