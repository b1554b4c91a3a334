/** The full fault suite: the crash point `projector.after_commit_before_next_fetch`, until it has crashed the engine 20 times, under steady load. */
import { crashAt } from '../support/episodes.ts';
import { faultSuite } from '../support/suite.ts';

faultSuite('crash point projector.after_commit_before_next_fetch', {}, [
  {
    fault: 'projector.after_commit_before_next_fetch',
    inject: crashAt('projector.after_commit_before_next_fetch'),
    crashes: 20,
  },
]);
