/**
 * The full fault suite: SIGKILL of Coretex processes at random moments (the API, or one of two engine
 * processes sharing the partitions), and of a worker mid-job.
 */
import { killCoretex, killWorker } from '../support/episodes.ts';
import { faultSuite } from '../support/suite.ts';

faultSuite('process kills', { secondEngine: true }, [
  { fault: 'kill-coretex', inject: killCoretex, episodes: 10 },
  { fault: 'kill-worker', inject: killWorker, episodes: 10 },
]);
