/** The worker runtime on the embedded default: the same contracts over the in-process bus and KV. */
import { handOffContract } from './worker-handoff.contract.ts';
import { lifecycleContract } from './worker-lifecycle.contract.ts';
import { embeddedControlPlane } from './support.ts';

handOffContract(() => embeddedControlPlane());
lifecycleContract(() => embeddedControlPlane());
