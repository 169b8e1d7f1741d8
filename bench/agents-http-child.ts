// Child-process entry of the agents-over-HTTP bench (one engine): the hub runs here, on a fresh heap.
import { answerParent } from './child-run.js';
import { runAgentsHttpBench } from './agents-http.js';

answerParent(runAgentsHttpBench);
