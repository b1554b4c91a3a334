/** The full fault suite: the crash point `workflows.after_decision_before_job_create`, until it has crashed the engine 20 times, under steady load. */
import { crashAt } from '../support/episodes.ts';
import { faultSuite } from '../support/suite.ts';

faultSuite('crash point workflows.after_decision_before_job_create', {}, [
  {
    fault: 'workflows.after_decision_before_job_create',
    inject: crashAt('workflows.after_decision_before_job_create'),
    crashes: 20,
  },
]);
