// Child-process entry for the IP database bench: a fresh process, so loading is measured cold.
import { answerParent } from './child-run.js';
import { runIpDbBench, type IpDbBenchInput } from './ipdb.js';

answerParent(async (input: IpDbBenchInput) => runIpDbBench(input));
