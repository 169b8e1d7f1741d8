// Child-process entry for one ingest bench (one engine), on a fresh heap, its CPU its own.
import { answerParent } from './child-run.js';
import { runIngestBench } from './ingest.js';

answerParent(runIngestBench);
