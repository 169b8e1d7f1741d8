// Entry point of the HTTP property tests in a child process (inside a network namespace, see
// test/http/fuzz.test.ts): runs them and prints one line, "FUZZ-REPORT {json}".
import { runHttpFuzz } from './http-fuzz.js';

const [runs, parallel, timeLimitMs, privileged] = process.argv.slice(2);
const report = await runHttpFuzz({ runs: Number(runs), parallel: Number(parallel), timeLimitMs: Number(timeLimitMs), privileged: privileged === 'privileged' });
process.stdout.write(`FUZZ-REPORT ${JSON.stringify(report)}\n`);
