/**
 * Job listing (SPEC 1.11) for the API: the `jobs` read model's active version, an optional bounded
 * wait for a position (read-your-writes), then one index range read.
 */
import type { PositionToken } from '../../domain/shared/events.ts';
import { jobsProjection } from '../../projections/jobs/projection.ts';
import {
  jobIndexFor,
  type JobListQuery,
  type JobSummary,
  listJobs,
  type Page,
} from '../../projections/jobs/queries.ts';
import type { ReadModelAccess } from '../projections/read-model-access.ts';

export interface MinPositionWait {
  readonly minPosition: PositionToken;
  readonly timeoutMs: number;
  /** The request parameter the position came from (named in a 400). */
  readonly field: string;
}

export class JobList {
  readonly #readModels: ReadModelAccess;

  constructor(readModels: ReadModelAccess) {
    this.#readModels = readModels;
  }

  async list(query: JobListQuery, wait?: MinPositionWait): Promise<Page<JobSummary>> {
    // Checked first, so a bad filter is a 400 whether or not the read model exists yet.
    jobIndexFor(query);
    if (wait !== undefined) {
      await this.#readModels.waitForPosition(jobsProjection.name, wait.minPosition, wait.timeoutMs, wait.field);
    }
    const ns = await this.#readModels.namespace(jobsProjection.name);
    if (ns === null) return { items: [], next_cursor: null };
    return listJobs(this.#readModels.reader, ns, query);
  }
}
