/**
 * Starting a run (SPEC 2.2): `POST /api/v1/workflows/{id}/runs` (201, a replay 200) and
 * `POST /api/v1/workflow-runs/{id}/rerun` (201). A run is pinned to the workflow's latest version when
 * it starts (it carries that definition); its input is checked against the version's `input_schema`
 * (a `ValidationError` naming the field); every step without a `timeout_ms` gets its default from its
 * own effective config (system → org → team → workflow → step), so every step has a timeout.
 *
 * `Idempotency-Key` works as it does for jobs (SPEC 1.3): the key is claimed per tenant in the same
 * durable claims bucket, under the prefix `run.` (no job claim key has one), naming the run id and a
 * hash of the request; the run is then started with expected position 0, so a retry after a crash
 * between claim and append starts that same run, and a replay answers with it. The same key with
 * another request is a conflict.
 */
import { canonicalJson } from '../../domain/shared/canonical-json.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/shared/errors.ts';
import { type StreamId, streamId } from '../../domain/shared/stream.ts';
import type { Settings } from '../../domain/config/settings.ts';
import { hasTimeout, type WorkflowDefinition } from '../../domain/workflow/definition.ts';
import { validateRunInput } from '../../domain/workflow/input-schema.ts';
import type { StartRun } from '../../domain/workflow/run-commands.ts';
import { rerunCommand, resolveStepTimeouts } from '../../domain/workflow/run-start.ts';
import { loadCurrent } from './execute-current.ts';
import { executeRun } from './run-repository.ts';
import { type RunAnswer, runAnswer } from './run-answer.ts';
import type { WorkflowRuntime } from './runtime.ts';

export interface StartRunRequest {
  readonly tenant: string;
  readonly workflow_id: string;
  readonly input: unknown;
  /** The caller's team; null runs under the workflow's team. */
  readonly team_id: string | null;
  /** From the `Idempotency-Key` header (or the body). */
  readonly idempotency_key: string | null;
  /** The caller's trace (`traceparent`); null for a fresh one. */
  readonly trace_id: string | null;
  /** Who starts it (`api:<key id>`): the step jobs' principal. */
  readonly started_by: string;
}

export interface RerunRequest {
  readonly tenant: string;
  /** The ended run to run again. */
  readonly run_id: string;
  /** Steps this one depends on keep their outcome; null runs every step again. */
  readonly from_step: string | null;
  readonly idempotency_key: string | null;
  readonly trace_id: string | null;
  readonly started_by: string;
}

const MAX_KEY_LENGTH = 255;

export async function startRun(wrt: WorkflowRuntime, request: StartRunRequest): Promise<RunAnswer> {
  const { tenant, workflow_id: workflowId } = request;
  checkKey(request.idempotency_key);
  const workflow = await loadCurrent(wrt.workflows, wrt.rt.events, streamId('workflow', tenant, workflowId));
  if (workflow.state.status !== 'ACTIVE') {
    throw new NotFoundError(`workflow ${workflowId} not found`, 'workflow_not_found');
  }
  const { definition, version } = workflow.state;
  // Before the claim: a request that can never start a run must not use up its key.
  const invalid = validateRunInput(definition.input_schema, request.input);
  if (invalid !== null) throw invalid;

  const teamId = request.team_id ?? definition.team_id;
  const hash = wrt.rt.hasher.sha256(canonicalJson({ workflow_id: workflowId, input: request.input, team_id: teamId }));
  const claim = await claimRunId(wrt, tenant, request.idempotency_key, hash);
  const stream = streamId('run', tenant, claim.run_id);
  if (claim.replay) {
    const replayed = await existingRun(wrt, stream);
    if (replayed !== null) return replayed;
  }
  const defaults = await defaultTimeouts(wrt, tenant, teamId, definition);
  return start(wrt, stream, claim.replay, request.started_by, (now) => ({
    type: 'StartRun',
    now,
    run_id: claim.run_id,
    workflow: { version, definition },
    team_id: teamId,
    input: request.input,
    trace_id: request.trace_id ?? wrt.rt.entropy.token(),
    started_by: request.started_by,
    default_timeouts: defaults,
    rerun: null,
  }));
}

/** A new run of an ended run's version, input and timeouts, recording `rerun_of`. */
export async function rerunRun(wrt: WorkflowRuntime, request: RerunRequest): Promise<RunAnswer> {
  checkKey(request.idempotency_key);
  const previous = await loadCurrent(wrt.runs, wrt.rt.events, streamId('run', request.tenant, request.run_id));
  // Built (and so checked) before the claim, for the same reason as a start's input; the run id and
  // the time are filled in once known.
  const command = rerunCommand(previous.state, {
    now: wrt.rt.clock.now(),
    run_id: '',
    from_step: request.from_step,
    trace_id: request.trace_id ?? wrt.rt.entropy.token(),
    started_by: request.started_by,
  });
  if (command instanceof Error) throw command;
  const hash = wrt.rt.hasher.sha256(canonicalJson({ rerun_of: request.run_id, from_step: request.from_step }));
  const claim = await claimRunId(wrt, request.tenant, request.idempotency_key, hash);
  const stream = streamId('run', request.tenant, claim.run_id);
  if (claim.replay) {
    const replayed = await existingRun(wrt, stream);
    if (replayed !== null) return replayed;
  }
  return start(wrt, stream, claim.replay, request.started_by, (now) => ({ ...command, now, run_id: claim.run_id }));
}

function checkKey(key: string | null): void {
  if (key !== null && (key.length === 0 || key.length > MAX_KEY_LENGTH)) {
    throw new ValidationError('idempotency_key', `idempotency_key must be 1 to ${MAX_KEY_LENGTH} characters`);
  }
}

/**
 * The run id for this request: fresh without a key; with one, the id its claim names (claimed now if
 * the key is new). `replay` says the claim existed: the run may exist already.
 */
async function claimRunId(
  wrt: WorkflowRuntime,
  tenant: string,
  key: string | null,
  requestHash: string,
): Promise<{ readonly run_id: string; readonly replay: boolean }> {
  const fresh = wrt.rt.entropy.ulid(wrt.rt.clock.now());
  if (key === null) return { run_id: fresh, replay: false };
  const claimKey = `run.${tenant}.${wrt.rt.hasher.sha256(key)}`;
  for (;;) {
    const existing = await wrt.rt.claims.get(claimKey);
    if (existing !== null) {
      if (existing.value.request_hash !== requestHash) {
        throw new ConflictError('this idempotency key was used with a different request', 'idempotency_key_reused');
      }
      // The bucket's one value shape names the id `job_id`; under the `run.` prefix it is a run id.
      return { run_id: existing.value.job_id, replay: true };
    }
    if ((await wrt.rt.claims.create(claimKey, { job_id: fresh, request_hash: requestHash })) !== null) {
      return { run_id: fresh, replay: false };
    }
  }
}

async function existingRun(wrt: WorkflowRuntime, stream: StreamId): Promise<RunAnswer | null> {
  const run = await loadCurrent(wrt.runs, wrt.rt.events, stream);
  if (run.state.status === 'NONE') return null;
  return runAnswer(stream.id, run.state, run.position, { changed: false, replayed: true });
}

async function start(
  wrt: WorkflowRuntime,
  stream: StreamId,
  replay: boolean,
  by: string,
  command: (now: number) => StartRun,
): Promise<RunAnswer> {
  const executed = await executeRun(wrt.runs, wrt.rt.events, stream, () => command(wrt.rt.clock.now()), {
    actor: by,
  });
  if (executed instanceof ConflictError && executed.code === 'run_exists' && replay) {
    // Another request with the same key started it between our check and our append.
    const run = await existingRun(wrt, stream);
    if (run !== null) return run;
  }
  if (executed instanceof Error) throw executed;
  return runAnswer(stream.id, executed.after.state, executed.after.position, {
    changed: executed.appended !== null,
    replayed: false,
  });
}

/** Each step's default timeout from its own effective config (for the steps that set none). */
async function defaultTimeouts(
  wrt: WorkflowRuntime,
  tenant: string,
  teamId: string | null,
  definition: WorkflowDefinition,
): Promise<Readonly<Record<string, number>>> {
  const needed = Object.entries(definition.steps).filter(
    ([, step]) => hasTimeout(step.type) && step.timeout_ms === null,
  );
  const settings = new Map<string, Settings>();
  await Promise.all(
    needed.map(async ([stepId]) => {
      const resolved = await wrt.rt.config.resolve({
        org_id: tenant,
        team_id: teamId,
        workflow_id: definition.id,
        step_id: stepId,
      });
      settings.set(stepId, resolved.settings);
    }),
  );
  return resolveStepTimeouts(definition, (stepId) => {
    const found = settings.get(stepId);
    if (found === undefined) throw new Error(`no settings resolved for step ${stepId}`);
    return found;
  });
}
