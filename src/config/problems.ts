import { CandorError } from '../domain/errors.js';

/** One thing wrong with a config file, located at a YAML node. Lines and columns start at 1. */
export interface ConfigProblem {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  /** Where in the document, e.g. "monitors[2].interval"; "" for the document itself. */
  readonly path: string;
  /** What was expected, what was found. */
  readonly message: string;
}

/** More problems than this are counted, not listed: past a few dozen, the rest are mostly echoes. */
export const MAX_LISTED_PROBLEMS = 50;

export function formatProblem(problem: ConfigProblem): string {
  return `${problem.file}:${problem.line}:${problem.col} ${problem.path || '(document)'}: ${problem.message}`;
}

/** Every problem found in a config file, in document order. */
export class ConfigError extends CandorError {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    const sorted = [...problems].sort((a, b) => a.line - b.line || a.col - b.col);
    super('config_invalid', formatProblems(sorted));
    this.problems = Object.freeze(sorted.map((problem) => Object.freeze({ ...problem })));
  }

  /** One line per problem, `FILE:LINE:COL PATH: message`, at most MAX_LISTED_PROBLEMS, then how many more. */
  format(): string {
    return formatProblems(this.problems);
  }
}

function formatProblems(problems: readonly ConfigProblem[]): string {
  const listed = problems.slice(0, MAX_LISTED_PROBLEMS).map(formatProblem);
  const rest = problems.length - listed.length;
  if (rest > 0) listed.push(`... and ${rest} more problem${rest === 1 ? '' : 's'} (fix these first)`);
  return listed.join('\n');
}
