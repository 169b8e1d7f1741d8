// Child-process entry for the bare client, measured apart from Candor and the targets.
import { runBareClient } from './bare-client.js';
import { answerParent } from './child-run.js';

answerParent(runBareClient);
