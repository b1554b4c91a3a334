/** The full fault suite: the crash point `projector.before_commit`, until it has crashed the engine 20 times, under steady load. */
import { crashAt } from '../support/episodes.ts';
import { faultSuite } from '../support/suite.ts';

faultSuite('crash point projector.before_commit', {}, [
  { fault: 'projector.before_commit', inject: crashAt('projector.before_commit'), crashes: 20 },
]);
