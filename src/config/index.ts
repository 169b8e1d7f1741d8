export { loadConfig, parseConfig, type Env } from './load.js';
export { ConfigError, formatProblem, type ConfigProblem } from './problems.js';
export { formatDuration, parseDuration } from './durations.js';
export { parseByteSize } from './sizes.js';
