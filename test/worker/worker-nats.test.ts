/** The worker runtime on NATS: the hand-off and lifecycle contracts against a real nats-server. */
import { inject } from 'vitest';
import { handOffContract } from './worker-handoff.contract.ts';
import { lifecycleContract } from './worker-lifecycle.contract.ts';
import { natsControlPlane } from './support.ts';

const natsUrl = inject('natsUrl');

handOffContract(() => natsControlPlane(natsUrl));
lifecycleContract(() => natsControlPlane(natsUrl));
