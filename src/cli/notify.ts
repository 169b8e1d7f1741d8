// `candor notify test CHANNEL_ID --config FILE`: sends a test message through one channel and prints
// what the receiver answered (exit 0 accepted, 1 refused or unreachable, 2 usage or config error).
import { DEFAULT_ALERTING, type Notice } from '../domain/alerting.js';
import { createRedactor } from '../domain/redaction.js';
import { secretsOf } from '../config/secrets.js';
import { buildMessage } from '../notify/channels/index.js';
import { createSender } from '../notify/send.js';
import { ulid } from 'ulid';
import { EXIT } from './exit.js';
import { loadConfigOrReport } from './validate.js';

export async function notifyTestCommand(channelId: string, options: { config: string }, io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream }): Promise<number> {
  const config = loadConfigOrReport(options.config, io.err);
  if (typeof config === 'number') return config;
  const channels = config.channels ?? [];
  const channel = channels.find((candidate) => candidate.id === channelId);
  if (!channel) {
    const known = channels.length === 0 ? `${options.config} has no channels` : `the channels of ${options.config} are: ${channels.map((c) => c.id).join(', ')}`;
    io.err.write(`no channel "${channelId}": ${known}\n`);
    return EXIT.usage;
  }
  const now = Date.now();
  const first = config.monitors[0];
  const notice: Notice = {
    kind: 'went_down',
    at: now,
    test: true,
    monitors: first ? [{ id: first.id, name: first.name, component: first.component, errorKind: 'connect_refused', errorMessage: 'an example failure' }] : [],
  };
  const idempotencyKey = ulid(now);
  const message = buildMessage(channel, notice, { idempotencyKey, now, siteTitle: config.title, ...(config.server.publicUrl ? { siteUrl: config.server.publicUrl } : {}) });
  const sender = createSender();
  const timeoutMs = (config.alerting ?? DEFAULT_ALERTING).timeoutMs;
  try {
    const outcome = await sender.send(channel, message, timeoutMs);
    const redact = createRedactor(secretsOf(config)).text;
    if (outcome.ok) {
      io.out.write(`${channel.id} (${channel.type}): accepted${outcome.status !== undefined ? `, HTTP ${outcome.status}` : ''}; idempotency key ${idempotencyKey}\n`);
      if (outcome.answer) io.out.write(`answer: ${redact(outcome.answer)}\n`);
      return EXIT.ok;
    }
    io.err.write(`${channel.id} (${channel.type}): not delivered: ${redact(outcome.error)}${outcome.permanent ? ' (the receiver refused it: check the channel settings)' : ''}\n`);
    return EXIT.checkFailed;
  } finally {
    sender.close();
  }
}
