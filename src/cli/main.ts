// The `candor` command line.
import { Command, CommanderError, Option } from 'commander';
import { VERSION } from '../app.js';
import { agentsAddCommand, agentsListCommand, agentsRevokeCommand } from './agents.js';
import { agentCommand } from './agent.js';
import { checkCommand } from './check.js';
import { ipdbInfoCommand, ipdbLookupCommand } from './ipdb.js';
import { notifyTestCommand } from './notify.js';
import { EXIT } from './exit.js';
import { serveCommand } from './serve.js';
import { tokensCreateCommand, tokensListCommand, tokensRevokeCommand } from './tokens.js';
import { traceCommand } from './trace.js';
import { validateCommand } from './validate.js';

const program = new Command()
  .name('candor')
  .description('An independent observatory for the online platforms people depend on')
  .version(VERSION)
  .exitOverride()
  .showHelpAfterError('(run "candor --help" for usage)');

program
  .command('serve')
  .description('run the monitors of a config file and serve the API and status pages')
  .requiredOption('-c, --config <file>', 'config file (candor.yaml)')
  .option('-d, --data <dir>', 'data directory for the embedded SQLite database', '.candor-data')
  .option('--host <host>', 'address to listen on (default: server.host from the config, else 127.0.0.1)')
  .option('-p, --port <port>', 'port to listen on; 0 picks a free one (default: server.port from the config, else 8080)')
  .option('--database-url <url>', 'PostgreSQL URL, instead of the embedded SQLite database')
  .option('--ipdb <dir>', 'a folder of newer IP database files, for provenance (default: the installed @ip-location-db packages)')
  .addOption(new Option('--log-level <level>', 'log level').choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'))
  .action(async (options) => finish(await serveCommand(options, process.stderr)));

program
  .command('validate')
  .description('check a config file and list every problem in it')
  .requiredOption('-c, --config <file>', 'config file (candor.yaml)')
  .action((options) => finish(validateCommand(options, process.stdout, process.stderr)));

program
  .command('check')
  .description('run one check now and print its phases and verdict (exit 0 up, 1 down)')
  .argument('<target>', 'https://example.org/, HOST:PORT (tcp), or a name with --type dns / tls')
  .addOption(new Option('-t, --type <type>', 'probe type (default: from the target)').choices(['http', 'tcp', 'dns', 'tls']))
  .option('--timeout <duration>', 'give up after this long', '10s')
  .option('-X, --method <method>', 'HTTP method', 'GET')
  .option('-k, --insecure', 'HTTP: do not verify the TLS certificate')
  .option('--record <type>', 'DNS: record type (A, AAAA, CNAME, MX, NS, TXT)', 'A')
  .option('--resolver <ip[:port]>', 'DNS: resolver to ask (default: the system resolver)')
  .option('--json', 'print the outcome as JSON')
  .action(async (target, options) => finish(await checkCommand(target, options, process.stdout, process.stderr)));

const agents = program.command('agents').description("manage the agents that check from elsewhere (run with the hub's --config and --data or --database-url)");
const storeOptions = (command: Command) =>
  command
    .option('-c, --config <file>', "the hub's config file (checks the name against the hub's own vantage)")
    .option('-d, --data <dir>', "the hub's data directory (embedded SQLite database)", '.candor-data')
    .option('--database-url <url>', "the hub's PostgreSQL URL, instead of the embedded SQLite database");
const io = { out: process.stdout, err: process.stderr };
storeOptions(agents.command('add').description('add an agent and print its token (shown once, never stored)').argument('<name>', 'agent name, like eu-west-1'))
  .option('--region <label>', 'the region the agent is in, as you describe it')
  .action(async (name, options) => finish(await agentsAddCommand(name, options, io)));
storeOptions(agents.command('list').description('list agents: region, status, last contact, address, key fingerprint (never tokens)'))
  .action(async (options) => finish(await agentsListCommand(options, io)));
storeOptions(agents.command('revoke').description("revoke an agent's token; what it sent before stays").argument('<name>', 'agent name'))
  .action(async (name, options) => finish(await agentsRevokeCommand(name, options, io)));

const tokens = program.command('tokens').description("manage API tokens (run with the server's --config and --data or --database-url)");
storeOptions(tokens.command('create').description('create an API token and print it (shown once, never stored)'))
  .requiredOption('--name <name>', 'token name, shown in the audit log, like deploy-bot')
  .addOption(new Option('--scope <scope>', 'what the token may do: read, write (and read), admin (everything)').choices(['read', 'write', 'admin']).makeOptionMandatory())
  .action(async (options) => finish(await tokensCreateCommand(options, io)));
storeOptions(tokens.command('list').description('list API tokens: name, scope, created, status (never the tokens)'))
  .action(async (options) => finish(await tokensListCommand(options, io)));
storeOptions(tokens.command('revoke').description('revoke an API token: refused from now on').argument('<name>', 'token name'))
  .action(async (name, options) => finish(await tokensRevokeCommand(name, options, io)));

program
  .command('trace')
  .description('where a host is served from, now: resolution chain, addresses, ASN/organisation/country, certificate, CDN (exit 0 answered, 1 did not resolve or nothing answered)')
  .argument('<host>', 'a host name, an IP address, or a URL')
  .option('-p, --port <port>', 'port to connect to (default 443, or the URL\'s)')
  .option('--resolver <ip[:port]>', 'resolver to ask (default: the system resolver, from /etc/resolv.conf)')
  .option('--timeout <duration>', 'give up after this long', '10s')
  .option('--no-tls', 'plain TCP: no TLS handshake, no certificate (the default on port 80)')
  .option('--no-http', 'send no HEAD request (no CDN hints from response headers)')
  .option('--ipdb <dir>', 'a folder of newer IP database files (default: the installed @ip-location-db packages)')
  .option('--json', 'print the snapshot as JSON')
  // --no-tls is given or not; unset, the port decides (plain on 80).
  .action(async (host, options, command: Command) =>
    finish(await traceCommand(host, { ...options, tls: command.getOptionValueSource('tls') === 'default' ? undefined : options.tls }, io)),
  );

const ipdb = program.command('ipdb').description('the offline IP database: network (ASN), organisation and registered country of an address');
ipdb
  .command('info')
  .description("print the database's date, its range counts, where it was read from and its attribution")
  .option('--ipdb <dir>', 'a folder of newer files of the same format (default: the installed @ip-location-db packages)')
  .option('--json', 'print as JSON')
  .action(async (options) => finish(await ipdbInfoCommand(options, io)));
ipdb
  .command('lookup')
  .description('print the ASN, organisation and registered country of an address (exit 1 when not in the database, 2 on bad input)')
  .argument('<ip>', 'an IPv4 or IPv6 address')
  .option('--ipdb <dir>', 'a folder of newer files of the same format (default: the installed @ip-location-db packages)')
  .option('--json', 'print as JSON')
  .action(async (address, options) => finish(await ipdbLookupCommand(address, options, io)));

program
  .command('agent')
  .description("check from here for a hub: pull the assignment, run the checks and provenance snapshots, push them signed (buffered on disk while the hub is unreachable)")
  .requiredOption('--hub <url>', "the hub's base URL, like https://candor.example.org")
  .addOption(new Option('--token <token>', 'the token from candor agents add (better from the environment: CANDOR_AGENT_TOKEN)').env('CANDOR_AGENT_TOKEN').makeOptionMandatory())
  .requiredOption('--name <name>', 'the agent name given to candor agents add')
  .option('--region <label>', 'the region this agent says it is in (the hub records the claim next to the region given at candor agents add)')
  .option('-d, --data <dir>', 'directory for the key pair, the last assignment and the buffer', '.candor-agent')
  .option('--buffer-size <bytes>', 'most bytes of observations buffered on disk while the hub is unreachable', String(64 * 1024 * 1024))
  .option('--ipdb <dir>', 'a folder of newer IP database files, for provenance snapshots (default: the installed @ip-location-db packages)')
  .addOption(new Option('--log-level <level>', 'log level').choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'))
  .action(async (options) => finish(await agentCommand(options, process.stderr)));

const notify = program.command('notify').description('notification channels');
notify
  .command('test')
  .description("send a test message through a channel and print the receiver's answer")
  .argument('<channel>', 'channel id from the config')
  .requiredOption('-c, --config <file>', 'config file (candor.yaml)')
  .action(async (channel, options) => finish(await notifyTestCommand(channel, options, io)));

function finish(code: number): void {
  process.exitCode = code;
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } else {
    console.error(error);
    process.exitCode = EXIT.checkFailed;
  }
}
