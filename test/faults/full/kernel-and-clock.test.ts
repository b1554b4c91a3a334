/**
 * The full fault suite: the remote safety kernel hanging or failing (the breaker defers jobs, nothing is
 * lost), and clock jumps of the reconciler (its own process, its clock moved by CORETEX_CLOCK_OFFSET_FILE).
 */
import { clockJump, kernelOutage } from '../support/episodes.ts';
import { faultSuite } from '../support/suite.ts';

faultSuite('kernel outages and clock jumps', { separateReconciler: true, remoteKernel: true }, [
  { fault: 'kernel', inject: kernelOutage, episodes: 8 },
  { fault: 'clock', inject: clockJump, episodes: 8 },
]);
