// Entry points: a YAML file (or text) in, a validated, deep-frozen CandorConfig out, or a ConfigError
// listing every problem with its line and column.

import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { LineCounter, parseDocument, type Node } from 'yaml';
import type { CandorConfig } from '../domain/monitor.js';
import { checkAliases, nestingProblem, sizeProblem } from './bounds.js';
import { deepFreeze } from './freeze.js';
import { ConfigError, type ConfigProblem } from './problems.js';
import { Reader } from './reader.js';
import { readConfig } from './schema.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** Reads and validates a config file. `path` is shown in problems as given; `sourcePath` is absolute. */
export function loadConfig(path: string, env: Env): CandorConfig {
  const tooBig = sizeProblem(statSync(path).size);
  if (tooBig) throw new ConfigError([{ file: path, line: 1, col: 1, path: '', message: tooBig }]);
  const text = readFileSync(path, 'utf8');
  return parseConfig(text, path, env, resolve(path));
}

/** Validates config text. `fileName` is what problems show; `sourcePath` defaults to its absolute form. */
export function parseConfig(text: string, fileName: string, env: Env, sourcePath = resolve(fileName)): CandorConfig {
  const documentProblem = (offset: number, message: string): ConfigError => {
    const { line, col } = lineCounter.linePos(offset);
    return new ConfigError([{ file: fileName, line, col, path: '', message }]);
  };
  const lineCounter = new LineCounter();
  const tooBig = sizeProblem(Buffer.byteLength(text, 'utf8'));
  if (tooBig) throw documentProblem(0, tooBig);
  // The line counter learns line starts while parsing; the nesting check runs before, so it counts them itself.
  const tooDeep = nestingProblem(text);
  if (tooDeep) {
    lineCounter.addNewLine(0);
    for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) lineCounter.addNewLine(index + 1);
    throw documentProblem(tooDeep.offset, tooDeep.message);
  }
  const doc = parseDocument(text, { lineCounter, keepSourceTokens: true, prettyErrors: false, uniqueKeys: true });
  const syntaxProblems = [...doc.errors, ...doc.warnings].map((error): ConfigProblem => {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    return { file: fileName, line, col, path: '', message: `invalid YAML: ${error.message}` };
  });
  // After a syntax error the parser's view of the rest is unreliable: later errors are mostly echoes.
  const firstSyntaxProblem = syntaxProblems.sort((a, b) => a.line - b.line || a.col - b.col)[0];
  if (firstSyntaxProblem) throw new ConfigError([firstSyntaxProblem]);

  const aliases = checkAliases(doc);
  if (aliases.problem) throw documentProblem(aliases.problem.offset, aliases.problem.message);

  const reader = new Reader(fileName, lineCounter, aliases.targets, env);
  const contents = (doc.contents ?? null) as Node | null;
  const config = readConfig(reader, { node: contents, offset: contents?.range?.[0] ?? 0, path: '' });
  if (reader.problems.length > 0 || !config) throw new ConfigError(reader.problems);
  return deepFreeze({ sourcePath, ...config });
}
