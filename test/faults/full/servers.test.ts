/** The full fault suite: nats-server restarted on its store, redis-server restarted empty (read models rebuilt). */
import { restartNats, wipeRedis } from '../support/episodes.ts';
import { faultSuite } from '../support/suite.ts';

faultSuite('server restarts', {}, [
  { fault: 'restart-nats', inject: restartNats, episodes: 8 },
  { fault: 'wipe-redis', inject: wipeRedis, episodes: 8 },
]);
