// Runs one measurement in a child process (fresh heap, its own CPU and RSS) and returns its JSON answer.
import { fork } from 'node:child_process';
import { within } from './target-process.js';

type Answer<O> = { readonly ok: true; readonly value: O } | { readonly ok: false; readonly error: string };

const EXIT_LIMIT_MS = 5_000;

/** Parent side: fork `entry`, send `input`, wait at most limitMs for the answer, then for the exit. */
export async function runInChild<I, O>(entry: URL, input: I, limitMs: number): Promise<O> {
  const child = fork(entry, [], { stdio: 'inherit' });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const answered = new Promise<Answer<O>>((resolve, reject) => {
    child.once('message', (answer: Answer<O>) => resolve(answer));
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

/** Child side: answer the first message with `handle`'s result, then let go of the IPC channel. */
export function answerParent<I, O>(handle: (input: I) => Promise<O>): void {
  process.once('message', (input: I) => {
    handle(input)
      .then((value): Answer<O> => ({ ok: true, value }))
      .catch((error: unknown): Answer<O> => ({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }))
      .then((answer) => process.send?.(answer, () => process.disconnect()));
  });
}
