/** The full fault suite: the crash point `projector.before_commit`, 20 episodes under steady load. */
import { crashAt } from '../support/episodes.ts';
import { faultSuite } from '../support/suite.ts';

faultSuite('crash point projector.before_commit', {}, [
  { fault: 'projector.before_commit', inject: crashAt('projector.before_commit'), episodes: 20 },
]);
