// The `candor` command line.
import { Command, CommanderError, Option } from 'commander';
import { VERSION } from '../app.js';
import { agentsAddCommand, agentsListCommand, agentsRevokeCommand } from './agents.js';
import { agentCommand } from './agent.js';
import { checkCommand } from './check.js';
import { notifyTestCommand } from './notify.js';
import { EXIT } from './exit.js';
import { serveCommand } from './serve.js';
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

program
  .command('agent')
  .description("check from here for a hub: pull the assignment, run the checks, push signed observations (buffered on disk while the hub is unreachable)")
  .requiredOption('--hub <url>', "the hub's base URL, like https://candor.example.org")
  .addOption(new Option('--token <token>', 'the token from candor agents add (better from the environment: CANDOR_AGENT_TOKEN)').env('CANDOR_AGENT_TOKEN').makeOptionMandatory())
  .requiredOption('--name <name>', 'the agent name given to candor agents add')
  .option('--region <label>', 'the region this agent says it is in (the hub records the claim next to the region given at candor agents add)')
  .option('-d, --data <dir>', 'directory for the key pair, the last assignment and the buffer', '.candor-agent')
  .option('--buffer-size <bytes>', 'most bytes of observations buffered on disk while the hub is unreachable', String(64 * 1024 * 1024))
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
