/** The full fault suite: the crash point `scheduler.after_accept_before_append`, until it has crashed the engine 20 times, under steady load. */
import { crashAt } from '../support/episodes.ts';
import { faultSuite } from '../support/suite.ts';

faultSuite('crash point scheduler.after_accept_before_append', {}, [
  {
    fault: 'scheduler.after_accept_before_append',
    inject: crashAt('scheduler.after_accept_before_append'),
    crashes: 20,
  },
]);
