// Child-process entry for one scenario, so each one starts on a fresh heap and is measured alone.
import { answerParent } from './child-run.js';
import { runScenario } from './scenario.js';

answerParent(runScenario);
