// The `candor` command line.
import { Command, CommanderError, Option } from 'commander';
import { VERSION } from '../app.js';
import { checkCommand } from './check.js';
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
