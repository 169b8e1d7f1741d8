// Runs one measurement in a child process (fresh heap, its own CPU and RSS) and returns its JSON answer.
// While it runs, the child may ask the parent for something (askParent): the parent's work then costs
// the child no CPU and no event-loop time.
import { fork } from 'node:child_process';
import { within } from './target-process.js';

type Answer<O> = { readonly kind: 'answer'; readonly ok: true; readonly value: O } | { readonly kind: 'answer'; readonly ok: false; readonly error: string };
interface Ask {
  readonly kind: 'ask';
  readonly id: number;
  readonly question: unknown;
}
interface Reply {
  readonly kind: 'reply';
  readonly id: number;
  readonly ok: boolean;
  readonly value?: unknown;
  readonly error?: string;
}
type ChildMessage = Answer<unknown> | Ask;

const EXIT_LIMIT_MS = 5_000;
const ASK_LIMIT_MS = 60_000;

export type ParentHelper = (question: unknown) => unknown;

const message = (error: unknown): string => (error instanceof Error ? (error.stack ?? error.message) : String(error));

/** Parent side: fork `entry`, send `input`, answer its questions with `helper`, wait at most limitMs for the answer. */
export async function runInChild<I, O>(entry: URL, input: I, limitMs: number, helper?: ParentHelper): Promise<O> {
  const child = fork(entry, [], { stdio: 'inherit' });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const answered = new Promise<Answer<O>>((resolve, reject) => {
    child.on('message', (received: ChildMessage) => {
      if (received.kind === 'answer') {
        resolve(received as Answer<O>);
        return;
      }
      let reply: Reply;
      try {
        if (!helper) throw new Error('this child has no helper to ask');
        reply = { kind: 'reply', id: received.id, ok: true, value: helper(received.question) };
      } catch (error) {
        reply = { kind: 'reply', id: received.id, ok: false, error: message(error) };
      }
      child.send(reply);
    });
    void exited.then((code) => reject(new Error(`${entry.pathname} exited (code ${code}) without an answer`)));
  });
  child.send(input as object);
  try {
    const answer = await within(answered, limitMs, `${entry.pathname} gave no answer`);
    if (!answer.ok) throw new Error(`${entry.pathname} failed: ${answer.error}`);
    await within(exited, EXIT_LIMIT_MS, `${entry.pathname} did not exit`).catch((error: unknown) => {
      console.warn(String(error));
      child.kill('SIGKILL');
    });
    return answer.value;
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

let nextAsk = 0;

/** Child side: asks the parent's helper and waits (bounded) for its reply. */
export function askParent<R>(question: unknown): Promise<R> {
  const id = ++nextAsk;
  const reply = new Promise<R>((resolve, reject) => {
    const onMessage = (received: Reply): void => {
      if (received.kind !== 'reply' || received.id !== id) return;
      process.off('message', onMessage);
      if (received.ok) resolve(received.value as R);
      else reject(new Error(`the parent could not answer: ${received.error}`));
    };
    process.on('message', onMessage);
  });
  process.send?.({ kind: 'ask', id, question } satisfies Ask);
  return within(reply, ASK_LIMIT_MS, 'the parent did not answer');
}

/** Child side: answer the first message with `handle`'s result, then let go of the IPC channel. */
export function answerParent<I, O>(handle: (input: I) => Promise<O>): void {
  process.once('message', (input: I) => {
    handle(input)
      .then((value): Answer<O> => ({ kind: 'answer', ok: true, value }))
      .catch((error: unknown): Answer<O> => ({ kind: 'answer', ok: false, error: message(error) }))
      .then((answer) => process.send?.(answer, () => process.disconnect()));
  });
}
