import { describe, expect, it } from 'vitest';
import {
  type CreateWorkflow,
  decideWorkflow,
  type DeleteWorkflow,
  type UpdateWorkflow,
  type WorkflowCommand,
} from '../../../../src/domain/workflow/workflow-decide.ts';
import {
  evolveWorkflow,
  initialWorkflowState,
  type WorkflowEvent,
  type WorkflowState,
} from '../../../../src/domain/workflow/workflow-events.ts';

const base = { workflow_id: 'deploy', org_id: 'acme', by: 'api:key1' };
const body = (name: string) => ({ name, team_id: 'ops', steps: { build: {} } });
const create = (now: number, name = 'v1'): CreateWorkflow => ({
  ...base,
  type: 'CreateWorkflow',
  now,
  definition: body(name),
});
const update = (now: number, expected: number | null, name = 'next'): UpdateWorkflow => ({
  ...base,
  type: 'UpdateWorkflow',
  now,
  definition: body(name),
  expected_version: expected,
});
const remove = (now: number, expected: number | null = null): DeleteWorkflow => ({
  ...base,
  type: 'DeleteWorkflow',
  now,
  expected_version: expected,
});

function history(...commands: WorkflowCommand[]): WorkflowEvent[] {
  const events: WorkflowEvent[] = [];
  for (const command of commands) {
    const result = decideWorkflow(command, events.reduce(evolveWorkflow, initialWorkflowState));
    if (result instanceof Error) throw result;
    events.push(...result);
  }
  return events;
}

function given(events: WorkflowEvent[]) {
  const state: WorkflowState = events.reduce(evolveWorkflow, initialWorkflowState);
  return { when: (command: WorkflowCommand) => decideWorkflow(command, state) };
}

describe('workflow definition decider', () => {
  it('creates version 1 with its index keys', () => {
    expect(given([]).when(create(100))).toMatchObject([
      {
        type: 'WorkflowDefined',
        data: {
          keys: { workflow_id: 'deploy', org_id: 'acme', team_id: 'ops', name: 'v1', created_at: 100 },
          status_before: null,
          status_after: 'ACTIVE',
          version: 1,
          at: 100,
          by: 'api:key1',
          definition: { id: 'deploy', steps: { build: { type: 'job' } } },
        },
      },
    ]);
  });

  it('refuses a second create (409) and an invalid body (400 naming the field)', () => {
    expect(given(history(create(100))).when(create(200))).toMatchObject({
      name: 'ConflictError',
      code: 'workflow_exists',
    });
    const invalid = given([]).when({ ...create(100), definition: { steps: { build: { depends_on: ['x'] } } } });
    expect(invalid).toMatchObject({ name: 'ValidationError', field: 'steps.build.depends_on' });
  });

  it('appends a version on each update, keeping the creation time', () => {
    const events = history(create(100), update(200, 1), update(300, null, 'third'));
    expect(events.map((event) => event.data.version)).toEqual([1, 2, 3]);
    expect(events.reduce(evolveWorkflow, initialWorkflowState)).toMatchObject({
      status: 'ACTIVE',
      version: 3,
      keys: { created_at: 100, name: 'third' },
      definition: { name: 'third' },
    });
  });

  it('answers an If-Match mismatch with version_mismatch (412), on update and on delete', () => {
    const events = history(create(100), update(200, 1));
    expect(given(events).when(update(300, 1))).toMatchObject({ name: 'ConflictError', code: 'version_mismatch' });
    expect(given(events).when(remove(300, 1))).toMatchObject({ name: 'ConflictError', code: 'version_mismatch' });
  });

  it('deletes once (a second delete changes nothing), and updates of a missing or deleted workflow are 404', () => {
    const events = history(create(100));
    expect(given(events).when(remove(200, 1))).toMatchObject([
      { type: 'WorkflowDeleted', data: { status_before: 'ACTIVE', status_after: 'DELETED', version: 1 } },
    ]);
    const deleted = history(create(100), remove(200));
    expect(given(deleted).when(remove(300))).toEqual([]);
    expect(given(deleted).when(update(300, null))).toMatchObject({ name: 'NotFoundError', code: 'workflow_not_found' });
    expect(given([]).when(update(300, null))).toMatchObject({ name: 'NotFoundError' });
    expect(given([]).when(remove(300))).toMatchObject({ name: 'NotFoundError' });
  });

  it('continues the version count when a deleted workflow is created again, so no version names two definitions', () => {
    const events = history(create(100), update(150, 1), remove(200));
    expect(given(events).when(create(300, 'again'))).toMatchObject([
      { type: 'WorkflowDefined', data: { version: 3, status_before: 'DELETED', keys: { created_at: 300 } } },
    ]);
  });
});
