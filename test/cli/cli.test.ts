// The `candor` command as a user runs it: real processes, loopback targets only.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CANDOR_BIN, runCandor, serveCandor } from '../support/candor-process.js';
import { startHttpServer, type RunningHttpServer } from '../support/loopback-servers.js';

const EXAMPLE = fileURLToPath(new URL('../../../examples/candor.yaml', import.meta.url));

describe('candor CLI', () => {
  let dir: string;
  let target: RunningHttpServer;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'candor-cli-'));
    target = await startHttpServer((request, response) => {
      response.writeHead(request.url === '/broken' ? 503 : 200, { 'content-type': 'text/plain' });
      response.end('hello');
    });
  });
  after(async () => {
    await target.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('--help lists the commands and exits 0', async () => {
    const run = await runCandor(['--help']);
    assert.equal(run.code, 0);
    for (const command of ['serve', 'validate', 'check']) assert.match(run.stdout, new RegExp(command));
  });

  it('an unknown command is a usage error (exit 2)', async () => {
    const run = await runCandor(['frobnicate']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /unknown command/);
  });

  it('validate accepts the bundled example', async () => {
    const run = await runCandor(['validate', '--config', EXAMPLE]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /ok, \d+ monitors/);
  });

  it('validate lists every problem as FILE:LINE:COL PATH: message and exits 2', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      [
        'monitors:',
        '  - id: Bad_Id',
        '    type: http',
        '    url: http://127.0.0.1/',
        '    interval: thirty',
        '  - id: two',
        '    type: tcp',
        '    host: 127.0.0.1',
        '    port: 22',
        '    intervall: 30s',
        '',
      ].join('\n'),
    );
    const run = await runCandor(['validate', '--config', file]);
    assert.equal(run.code, 2);
    const lines = run.stderr.trim().split('\n');
    assert.match(lines[0]!, new RegExp(`^${file.replace(/[/.]/g, '\\$&')}:2:9 monitors\\[0\\]\\.id: `));
    assert.ok(lines.some((l) => /:5:15 monitors\[0\]\.interval: expected a duration like "30s", got "thirty"/.test(l)), run.stderr);
    assert.ok(lines.some((l) => /:10:5 monitors\[1\]\.intervall: .*unknown key.*interval/.test(l)), run.stderr);
    assert.match(lines.at(-1)!, /3 problems/);
  });

  it('a missing config file is a clear usage error', async () => {
    const run = await runCandor(['validate', '--config', join(dir, 'nope.yaml')]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /cannot read the config file .*nope\.yaml/);
  });

  it('check: a passing HTTP target prints phases, UP, exit 0', async () => {
    const run = await runCandor(['check', `${target.url}/`]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /connect\s+[\d.]+ ms/);
    assert.match(run.stdout, /ttfb\s+[\d.]+ ms/);
    assert.match(run.stdout, /peer 127\.0\.0\.1/);
    assert.match(run.stdout, /status 200/);
    assert.match(run.stdout, /^UP$/m);
  });

  it('check: a failing target prints DOWN with the error kind, exit 1', async () => {
    const run = await runCandor(['check', `${target.url}/broken`]);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /^DOWN\s+http_status: .*503/m);
  });

  it('check --json prints the outcome as JSON', async () => {
    const run = await runCandor(['check', '--json', `${target.url}/`]);
    assert.equal(run.code, 0);
    const outcome = JSON.parse(run.stdout);
    assert.equal(outcome.ok, true);
    assert.equal(outcome.type, 'http');
    assert.equal(outcome.peerAddress, '127.0.0.1');
    assert.equal(typeof outcome.phases.total, 'number');
  });

  it('check HOST:PORT runs a TCP check', async () => {
    const run = await runCandor(['check', `127.0.0.1:${target.port}`]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /type tcp/);
  });

  const usageErrors = [
    { args: ['check', 'not a target'], message: /cannot tell what kind of check/ },
    { args: ['check', '127.0.0.1:99999'], message: /port must be 1-65535/ },
    { args: ['check', '--timeout', 'soon', 'http://127.0.0.1:1/'], message: /--timeout must be a duration/ },
    { args: ['check', '--type', 'ftp', 'x'], message: /Allowed choices are http, tcp, dns, tls/ },
    { args: ['check', '-X', 'GE T', 'http://127.0.0.1:1/'], message: /--method must be one of GET, HEAD/ },
    { args: ['check', '--type', 'dns', '--resolver', 'dns.example', 'example.test'], message: /--resolver must be an IP address/ },
  ];
  for (const { args, message } of usageErrors) {
    it(`check usage error exits 2: ${args.join(' ')}`, async () => {
      const run = await runCandor(args);
      assert.equal(run.code, 2, run.stdout);
      assert.match(run.stderr, message);
    });
  }

  it('serve refuses an invalid config: exit 2, every problem listed, nothing started', async () => {
    const file = join(dir, 'bad-serve.yaml');
    writeFileSync(file, 'monitors:\n  - id: x\n    type: smtp\n');
    const run = await runCandor(['serve', '--config', file, '--data', join(dir, 'unused'), '--port', '0']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /:3:11 monitors\[0\]\.type: /);
    assert.doesNotMatch(run.stderr, /listening/);
  });

  it('serve with an unusable data directory fails at start with a clear message', async () => {
    const config = join(dir, 'ok.yaml');
    writeFileSync(config, `monitors:\n  - { id: t, type: http, url: "${target.url}/" }\n`);
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, 'not a directory');
    const run = await runCandor(['serve', '--config', config, '--data', join(blocker, 'data'), '--port', '0']);
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /candor serve: .*data directory .*a-file\/data/);
    assert.doesNotMatch(run.stderr, /^\s+at /m, 'no stack trace');
  });

  it('serve on a port already in use says so (exit 2)', async () => {
    const config = join(dir, 'port.yaml');
    writeFileSync(config, `monitors:\n  - { id: t, type: http, url: "${target.url}/" }\n`);
    const run = await runCandor(['serve', '--config', config, '--data', join(dir, 'port-data'), '--port', String(target.port)]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /cannot listen on 127\.0\.0\.1:\d+/);
  });

  // Usage errors are found before anything is resolved or connected to: one line, exit 2, no stack trace.
  for (const [name, args, message] of [
    ['a malformed --host', ['--host', 'bad_host!'], /^candor serve: --host must be a host name or IP address like 127\.0\.0\.1, got "bad_host!"\n$/],
    ['a --database-url that is not a URL', ['--database-url', 'not a url'], /^candor serve: --database-url must be a URL like postgres:\/\/user@host:5432\/candor \(the one given is not a URL\)\n$/],
    ['a --database-url of another database', ['--database-url', 'mysql://root:hunter2@127.0.0.1/x'], /^candor serve: --database-url must be a postgres:\/\/ or postgresql:\/\/ URL, got the scheme "mysql:"\n$/],
  ] as const) {
    it(`serve with ${name} is a usage error (exit 2, one line)`, async () => {
      const config = join(dir, 'usage.yaml');
      writeFileSync(config, `monitors:\n  - { id: t, type: http, url: "${target.url}/" }\n`);
      const run = await runCandor(['serve', '--config', config, '--data', join(dir, 'usage-data'), '--port', '0', ...args]);
      assert.equal(run.code, 2);
      assert.match(run.stderr, message);
      assert.doesNotMatch(run.stderr, /hunter2/, 'a password in the URL is never echoed');
    });
  }

  for (const [args, message] of [
    [['ftp://127.0.0.1/'], 'unsupported URL scheme "ftp:" for an http check (use http:// or https://)'],
    [['--type', 'http', 'file:///etc/passwd'], 'unsupported URL scheme "file:" for an http check (use http:// or https://)'],
    [['--type', 'tls', 'http://127.0.0.1:443'], 'unsupported URL scheme "http:" for a tls check (use https://)'],
    [['--type', 'tcp', 'https://127.0.0.1:443'], 'unsupported URL scheme "https:" for a tcp check (give the target without a scheme)'],
  ] as const) {
    it(`check ${args.join(' ')} is a usage error (exit 2, one line)`, async () => {
      const run = await runCandor(['check', ...args]);
      assert.equal(run.code, 2);
      assert.equal(run.stderr, `candor check: ${message}\n`);
    });
  }

  it('check survives a full stdout: the verdict as exit code, one line on stderr', async () => {
    const full = openSync('/dev/full', 'w');
    try {
      const child = spawn(process.execPath, [CANDOR_BIN, 'check', `${target.url}/`], { stdio: ['ignore', full, 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const [code] = (await once(child, 'exit')) as [number | null];
      assert.equal(code, 0, stderr);
      assert.equal(stderr, 'candor check: could not print the result: ENOSPC\n');
    } finally {
      closeSync(full);
    }
  });

  it('check survives a closed stdout (a reader that went away): the verdict as exit code, nothing on stderr', async () => {
    const child = spawn(process.execPath, [CANDOR_BIN, 'check', `${target.url}/broken`], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 1, stderr);
    assert.equal(stderr, '');
  });

  it('kill -9 never corrupts the database: a restart serves the stored history', async () => {
    const config = join(dir, 'kill.yaml');
    writeFileSync(config, `monitors:\n  - { id: t, type: http, url: "${target.url}/", interval: 5s }\n`);
    const data = join(dir, 'kill-data');
    const first = await serveCandor(['--config', config, '--data', data, '--log-level', 'warn']);
    const stored = async () => ((await (await fetch(`${first.url}/api/v1/monitors/t/results`)).json()) as { results: unknown[] }).results.length;
    const deadline = Date.now() + 15_000;
    while ((await stored()) === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    const before = await stored();
    assert.ok(before > 0, 'a result was stored');
    await first.stop('SIGKILL');
    const second = await serveCandor(['--config', config, '--data', data, '--log-level', 'warn']);
    const response = (await (await fetch(`${second.url}/api/v1/monitors/t/results`)).json()) as { results: unknown[] };
    assert.ok(response.results.length >= before);
    assert.equal(await second.stop('SIGTERM'), 0);
  });
});
