/**
 * The full fault suite: nats-server restarted on its store, gracefully (SIGTERM, waited for) and killed
 * (SIGKILL) — every acknowledged append must survive both (episodes.ts, natsStop) — and redis-server
 * restarted empty (read models rebuilt).
 */
import { killNats, restartNats, wipeRedis } from '../support/episodes.ts';
import { faultSuite } from '../support/suite.ts';

faultSuite('server restarts', {}, [
  { fault: 'restart-nats', inject: restartNats, episodes: 8 },
  { fault: 'kill-nats', inject: killNats, episodes: 8 },
  { fault: 'wipe-redis', inject: wipeRedis, episodes: 8 },
]);
