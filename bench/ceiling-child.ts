// Child-process entry for one ceiling loop, measured apart from Candor and the targets.
import { runCeiling } from './ceiling.js';
import { answerParent } from './child-run.js';

answerParent(runCeiling);
