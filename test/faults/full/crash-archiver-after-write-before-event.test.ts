/**
 * The full fault suite: the crash point `archiver.after_write_before_event` (histories written to the
 * archive, `JobArchived` not yet appended), until it has crashed the engine 20 times, under steady load
 * on an installation that archives finished jobs a second after they end (ARCHIVING in bed.ts). The
 * checker also wants every finished job archived exactly once and gone from the job lists.
 */
import { crashAt } from '../support/episodes.ts';
import { faultSuite } from '../support/suite.ts';

faultSuite('crash point archiver.after_write_before_event', { archive: true }, [
  {
    fault: 'archiver.after_write_before_event',
    inject: crashAt('archiver.after_write_before_event'),
    crashes: 20,
  },
]);
