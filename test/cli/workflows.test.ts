/**
 * `coretex workflows ...` and `coretex runs ...` as a user runs them: the real command (a child
 * process) against `coretex start` and example workers as processes on NATS + Redis with API keys.
 * Output (tables, --json), exit codes (0; 1 the API refused; 2 usage; 3 a followed run did not
 * succeed; 4 a --timeout ran out) and the one-line error messages.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../harness/wait-for.ts';
import { type E2E, startInstallation } from '../e2e/support/installation.ts';
import { KEYS, killAll, startWorker } from '../e2e/support/processes.ts';
import { cliFor, coretex, tableRows } from './support/cli.ts';

const SYSTEM = {
  routing: {
    topics: { 'job.wf': 'wf', 'job.wfbad': 'wfbad' },
    pools: { wf: { requires: [] }, wfbad: { requires: [] } },
  },
  timeouts: { dispatch_ms: 10_000, running_ms: 20_000 },
};

const ECHO = {
  id: 'cli-echo',
  name: 'Echo',
  input_schema: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } },
  steps: {
    build: { topic: 'job.wf', input: { n: '${input.n}' }, output_path: 'build' },
    ship: { topic: 'job.wf', depends_on: ['build'], input: { built: '${steps.build.output}' }, output_path: 'ship' },
  },
};

/** Its step's first job fails (the worker fails each `example_fail` payload once); the retry succeeds. */
const FLAKY = {
  id: 'cli-flaky',
  steps: { flaky: { topic: 'job.wf', input: { example_fail: true }, retry: { max_retries: 1 } } },
};

const DOOMED = { id: 'cli-doomed', steps: { boom: { topic: 'job.wfbad', input: {} } } };

/** YAML, as people write definitions by hand: an approval, then a job. */
const GATE_YAML = `
id: cli-gate
description: asks before it ships
steps:
  gate:
    type: approval
    input:
      ask: ship?
  after:
    topic: job.wf
    depends_on: [gate]
    input: {}
`;

const ULID = /^[0-9A-Z]{26}$/;

let e: E2E;
let cli: ReturnType<typeof cliFor>;
let dir: string;
beforeAll(async () => {
  e = await startInstallation(SYSTEM);
  cli = cliFor(e.coretex.url, KEYS.acme);
  dir = mkdtempSync(join(tmpdir(), 'coretex-cli-'));
  await startWorker(e.installation, { id: 'wf-1', pool: 'wf', failMarked: 1 });
  await startWorker(e.installation, { id: 'wfbad-1', pool: 'wfbad', failRate: 1 });
  for (const definition of [FLAKY, DOOMED]) expect((await apply(definition)).code).toBe(0);
  expect((await cli(['workflows', 'apply', '-f', file('gate.yaml', GATE_YAML)])).code).toBe(0);
}, 90_000);
afterAll(async () => {
  await killAll();
});

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}

const apply = (definition: { id: string; [field: string]: unknown }, ...args: string[]) =>
  cli(['workflows', 'apply', '-f', file(`${definition.id}.json`, definition), ...args]);

interface RunView {
  status: string;
  steps: Record<string, { status: string; attempts: number; job_ids: string[] }>;
}

/** Starts a run (no --wait) and returns its id. */
async function started(workflowId: string, ...args: string[]): Promise<string> {
  const run = await cli(['workflows', 'run', workflowId, ...args]);
  expect(run.code, run.stderr).toBe(0);
  const id = run.stdout.trim();
  expect(id).toMatch(ULID);
  return id;
}

function waiting(runId: string): Promise<RunView> {
  return waitFor(
    `run ${runId} waiting for approval`,
    async () => {
      const run = await e.api.get<RunView>(`/api/v1/workflow-runs/${runId}`);
      return run.body.steps.gate?.status === 'WAITING' ? run.body : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 100 },
  );
}

describe('coretex workflows', () => {
  it('apply -f creates the workflow, then saves the file as its next version; --json says which', async () => {
    const created = await apply(ECHO);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toBe('workflow cli-echo created (version 1)\n');
    const updated = await apply({ ...ECHO, description: 'echoes twice' }, '--json');
    expect(updated.code).toBe(0);
    expect(JSON.parse(updated.stdout)).toMatchObject({ workflow_id: 'cli-echo', version: 2, action: 'updated' });

    const got = await cli(['workflows', 'get', 'cli-echo']);
    expect(got.code).toBe(0);
    const rows = tableRows(got.stdout);
    expect(rows).toContainEqual(['version', '2']);
    expect(rows).toContainEqual(['description', 'echoes twice']);
    expect(rows).toContainEqual([
      'STEP',
      'TYPE',
      'TOPIC',
      'DEPENDS ON',
      'CONDITION',
      'FOR EACH',
      'RETRIES',
      'TIMEOUT MS',
    ]);
    expect(rows).toContainEqual(['ship', 'job', 'job.wf', 'build', '-', '-', '0', expect.any(String)]);
    const first = await cli(['workflows', 'get', 'cli-echo', '--version', '1', '--json']);
    expect(JSON.parse(first.stdout)).toMatchObject({
      workflow_id: 'cli-echo',
      version: 1,
      definition: { description: null },
    });

    const list = await cli(['workflows', 'list']);
    expect(list.code).toBe(0);
    const listed = tableRows(list.stdout);
    expect(listed[0]).toEqual(['WORKFLOW ID', 'NAME', 'VERSION', 'STEPS', 'UPDATED', 'UPDATED BY', 'DELETED']);
    expect(listed).toContainEqual(['cli-echo', 'Echo', '2', '2', expect.stringMatching(/Z$/), 'api:acme', 'no']);
    // The YAML file of beforeAll made its workflow too.
    expect(listed.map((row) => row[0])).toContain('cli-gate');
    const json = await cli(['workflows', 'list', '--json', '--limit', '1']);
    const page = JSON.parse(json.stdout) as { items: unknown[]; next_cursor: string | null };
    expect(page.items).toHaveLength(1);
    expect(page.next_cursor).not.toBeNull();
  });

  it('a definition the API refuses exits 1 naming the step and the field; a bad file is a usage error (exit 2)', async () => {
    const unknownDependency = await apply({ id: 'cli-bad', steps: { a: { depends_on: ['nope'] } } });
    expect(unknownDependency.code).toBe(1);
    expect(unknownDependency.stdout).toBe('');
    expect(unknownDependency.stderr).toMatch(
      /^coretex: 400 invalid_workflow: [^\n]*unknown step "nope"[^\n]*\(field: steps\.a\.depends_on\)\n$/,
    );
    const unknownField = await apply({ id: 'cli-bad', steps: { a: { topik: 'job.wf' } } });
    expect(unknownField.code).toBe(1);
    expect(unknownField.stderr).toMatch(/^coretex: 400 \w+: [^\n]*\(field: steps\.a\.topik\)\n$/);
    expect((await cli(['workflows', 'get', 'cli-bad'])).code).toBe(1); // nothing was written

    const usage = [
      ['workflows', 'apply'],
      ['workflows', 'apply', '-f', join(dir, 'missing.json')],
      ['workflows', 'apply', '-f', file('broken.json', '{"id": "x",')],
      ['workflows', 'apply', '-f', file('no-id.json', { steps: {} })],
      ['workflows', 'apply', '-f', file('list.json', [])],
      ['workflows', 'apply', '-f', file('broken.yaml', 'id: [x\nsteps: {')],
    ];
    for (const args of usage) {
      const run = await cli(args);
      expect({ args, code: run.code }).toEqual({ args, code: 2 });
      expect(run.stderr).toMatch(/^(coretex: |error: )/);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect((await cli(usage[1] as string[])).stderr).toContain('missing.json');
    expect((await cli(usage[3] as string[])).stderr).toContain('names no "id"');
  });

  it('run --wait prints the run id, each change on stderr, and ends SUCCEEDED with the output (exit 0)', async () => {
    const run = await cli(['workflows', 'run', 'cli-echo', '--input', '{"n":3}', '--wait']);
    expect(run.stderr).toMatch(/SUCCEEDED/);
    expect(run.code).toBe(0);
    const [id, final] = run.stdout.trim().split('\n');
    expect(id).toMatch(ULID);
    expect(final).toMatch(new RegExp(`^${id} SUCCEEDED \\{"build":\\{.*"n":3`));
    const changes = run.stderr.trim().split('\n');
    expect(changes.some((line) => line.endsWith(`${id} build SUCCEEDED`))).toBe(true);
    expect(changes.at(-1)).toMatch(new RegExp(`${id} (ship )?SUCCEEDED$`));

    const shown = await cli(['runs', 'get', id as string]);
    expect(shown.code).toBe(0);
    const rows = tableRows(shown.stdout);
    expect(rows).toContainEqual(['status', 'SUCCEEDED']);
    expect(rows).toContainEqual(['workflow', 'cli-echo (version 2)']);
    expect(rows).toContainEqual(['STEP', 'TYPE', 'STATE', 'ATTEMPTS', 'JOB IDS', 'STARTED', 'ENDED', 'DETAIL']);
    expect(rows).toContainEqual([
      'build',
      'job',
      'SUCCEEDED',
      '1',
      `${id}.build.1`,
      expect.stringMatching(/Z$/),
      expect.stringMatching(/Z$/),
      '-',
    ]);
    const json = JSON.parse((await cli(['runs', 'get', id as string, '--json'])).stdout) as RunView;
    expect(json).toMatchObject({ status: 'SUCCEEDED', steps: { ship: { attempts: 1, job_ids: [`${id}.ship.1`] } } });

    const list = await waitFor('the run in the list', async () => {
      const table = await cli(['runs', 'list', '--workflow', 'cli-echo']);
      return tableRows(table.stdout).find((row) => row[0] === id) === undefined ? undefined : table;
    });
    expect(list.code).toBe(0);
    const listed = tableRows(list.stdout);
    expect(listed[0]).toEqual(['RUN ID', 'WORKFLOW', 'VERSION', 'STATUS', 'STEPS', 'CREATED', 'ENDED']);
    expect(listed.find((row) => row[0] === id)).toEqual([
      id,
      'cli-echo',
      '2',
      'SUCCEEDED',
      '2 SUCCEEDED',
      expect.stringMatching(/Z$/),
      expect.stringMatching(/Z$/),
    ]);
    const byStatus = JSON.parse((await cli(['runs', 'list', '--status', 'SUCCEEDED', '--json'])).stdout) as {
      items: { run_id: string }[];
    };
    expect(byStatus.items.map((item) => item.run_id)).toContain(id);

    const history = tableRows((await cli(['runs', 'events', id as string])).stdout);
    expect(history[0]).toEqual(['TIME', 'TYPE', 'ACTOR', 'POSITION', 'DATA']);
    expect(history[1]?.slice(1, 3)).toEqual(['RunStarted', 'api:acme']);
  });

  it('a retried step shows its attempts and its latest job in runs get', async () => {
    const run = await cli(['workflows', 'run', 'cli-flaky', '--wait']);
    expect(run.code, run.stderr).toBe(0);
    const id = run.stdout.split('\n')[0] as string;
    const rows = tableRows((await cli(['runs', 'get', id])).stdout);
    expect(rows.find((row) => row[0] === 'flaky')?.slice(0, 5)).toEqual([
      'flaky',
      'job',
      'SUCCEEDED',
      '2',
      `${id}.flaky.2`,
    ]);
  });

  it('run --wait exits 3 when the run fails, with its error; input from a file; an idempotency key', async () => {
    const failed = await cli(['workflows', 'run', 'cli-doomed', '--wait']);
    expect(failed.code).toBe(3);
    const [id, final] = failed.stdout.trim().split('\n');
    expect(final).toMatch(new RegExp(`^${id} FAILED \\S+: .*\\(step boom\\)$`));
    expect(failed.stderr).toContain(`${id} boom FAILED`);
    expect(failed.stderr.trim().split('\n').at(-1)).toBe(`coretex: run ${id} ended FAILED`);

    const input = file('input.json', { n: 5 });
    const once = await started('cli-echo', '--input-file', input, '--idempotency-key', 'cli-run-once');
    expect(await started('cli-echo', '--input-file', input, '--idempotency-key', 'cli-run-once')).toBe(once);
    const other = await cli([
      'workflows',
      'run',
      'cli-echo',
      '--input',
      '{"n":6}',
      '--idempotency-key',
      'cli-run-once',
    ]);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/^coretex: 409 idempotency_key_reused: /);

    const badInput = await cli(['workflows', 'run', 'cli-echo', '--input', '{"n":"three"}']);
    expect(badInput.code).toBe(1);
    expect(badInput.stderr).toMatch(/^coretex: 400 \w+: .*\(field: input\.n\)\n$/);
  });

  it('an unknown workflow or run exits 1 with the problem code on one line', async () => {
    const run = await cli(['workflows', 'run', 'no-such-workflow']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^coretex: 404 workflow_not_found: [^\n]*no-such-workflow[^\n]*\n$/);
    expect((await cli(['workflows', 'get', 'no-such-workflow'])).stderr).toMatch(/^coretex: 404 workflow_not_found: /);
    const noRun = await cli(['runs', 'get', 'no-such-run']);
    expect(noRun.code).toBe(1);
    expect(noRun.stderr).toMatch(/^coretex: 404 run_not_found: /);
  });
});

describe('coretex runs', () => {
  it('approve lets a waiting run go on; --reject fails the step and the run; answering again is 409', async () => {
    const id = await started('cli-gate');
    await waiting(id);
    const shown = tableRows((await cli(['runs', 'get', id])).stdout);
    expect(shown.find((row) => row[0] === 'gate')?.slice(0, 3)).toEqual(['gate', 'approval', 'WAITING']);
    expect(shown.find((row) => row[0] === 'gate')?.[7]).toMatch(/^approval until \S+Z$/);

    const approved = await cli(['runs', 'approve', id, 'gate', '--reason', 'ship it']);
    expect(approved.code).toBe(0);
    expect(approved.stdout).toMatch(new RegExp(`^${id} gate SUCCEEDED \\(run [A-Z]+\\)\\n$`));
    expect((await cli(['runs', 'wait', id])).code).toBe(0);
    const again = await cli(['runs', 'approve', id, 'gate']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^coretex: 409 step_not_waiting: /);
    const events = JSON.parse((await cli(['runs', 'events', id, '--json'])).stdout) as {
      items: { actor: string; data: { reason?: string } }[];
    };
    expect(events.items.find((event) => event.data.reason === 'ship it')?.actor).toBe('api:acme');

    const rejectedRun = await started('cli-gate');
    await waiting(rejectedRun);
    const rejected = await cli(['runs', 'approve', rejectedRun, 'gate', '--reject', '--reason', 'not today', '--json']);
    expect(rejected.code).toBe(0);
    expect(JSON.parse(rejected.stdout)).toMatchObject({ run_id: rejectedRun, step_id: 'gate', step_status: 'FAILED' });
    const followed = await cli(['runs', 'wait', rejectedRun]);
    expect(followed.code).toBe(3);
    expect(followed.stderr).toContain(`coretex: run ${rejectedRun} ended FAILED`);
  });

  it('cancel ends a waiting run; cancelling it again changes nothing; wait --timeout gives up with exit 4', async () => {
    const id = await started('cli-gate');
    await waiting(id);
    const timedOut = await cli(['runs', 'wait', id, '--timeout', '300ms']);
    expect(timedOut.code).toBe(4);
    expect(timedOut.stderr.trim().split('\n').at(-1)).toBe(`coretex: run ${id} is still WAITING after the --timeout`);

    const cancelled = await cli(['runs', 'cancel', id, '--reason', 'not needed']);
    expect(cancelled.code).toBe(0);
    expect(cancelled.stdout).toBe(`${id} CANCELLED\n`);
    expect((await cli(['runs', 'cancel', id])).stdout).toBe(`${id} CANCELLED (unchanged)\n`);
    expect(JSON.parse((await cli(['runs', 'cancel', id, '--json'])).stdout)).toMatchObject({
      run_id: id,
      status: 'CANCELLED',
      changed: false,
    });
  });

  it('rerun --from-step runs the rest again as a new run, reusing the earlier outputs; a live run is 409', async () => {
    const first = (await cli(['workflows', 'run', 'cli-echo', '--input', '{"n":9}', '--wait'])).stdout.split('\n')[0];
    const rerun = await cli(['runs', 'rerun', first as string, '--from-step', 'ship', '--wait']);
    expect(rerun.code, rerun.stderr).toBe(0);
    const [second, final] = rerun.stdout.trim().split('\n');
    expect(second).toMatch(ULID);
    expect(second).not.toBe(first);
    expect(final).toMatch(new RegExp(`^${second} SUCCEEDED `));
    const rows = tableRows((await cli(['runs', 'get', second as string])).stdout);
    expect(rows).toContainEqual(['rerun_of', `${first} from ship`]);
    expect(rows.find((row) => row[0] === 'build')?.[7]).toBe(`reused from ${first}`);
    expect(rows.find((row) => row[0] === 'ship')?.[4]).toBe(`${second}.ship.1`);

    const live = await started('cli-gate');
    const refused = await cli(['runs', 'rerun', live]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^coretex: 409 run_not_finished: /);
    expect((await cli(['runs', 'cancel', live])).code).toBe(0);
  });

  it('usage errors exit 2 without calling the API; --help works on every command (exit 0)', async () => {
    const usage = [
      ['workflows', 'run', 'x', '--input', '{bad'],
      ['workflows', 'run', 'x', '--input', '{}', '--input-file', 'f.json'],
      ['workflows', 'get', 'x', '--version', '0'],
      ['runs', 'approve', 'x'],
      ['runs', 'list', '--status', 'DONE'],
      ['runs', 'get'],
      ['runs', 'wait', 'x', '--timeout', 'soon'],
    ];
    for (const args of usage) {
      const run = await coretex(args, { CORETEX_URL: 'http://127.0.0.1:9' });
      expect({ args, code: run.code }).toEqual({ args, code: 2 });
      expect(run.stderr).not.toContain('cannot reach');
    }
    const help: [string[], string[]][] = [
      [
        ['workflows', '--help'],
        ['apply', 'list', 'get', 'run'],
      ],
      [
        ['workflows', 'apply', '--help'],
        ['-f, --file', '--json', '--api-key'],
      ],
      [
        ['workflows', 'run', '--help'],
        ['--input', '--input-file', '--idempotency-key', '--wait', '--timeout'],
      ],
      [
        ['runs', '--help'],
        ['list', 'get', 'events', 'wait', 'cancel', 'approve', 'rerun'],
      ],
      [
        ['runs', 'approve', '--help'],
        ['--reject', '--reason', '<run-id>', '<step-id>'],
      ],
      [
        ['runs', 'rerun', '--help'],
        ['--from-step', '--wait'],
      ],
      [
        ['runs', 'list', '--help'],
        ['--status', '--workflow', '--team', '--limit', '--cursor'],
      ],
    ];
    for (const [args, mentions] of help) {
      const run = await coretex(args);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('Usage: coretex');
      for (const mention of mentions) expect(run.stdout).toContain(mention);
    }
  });
});
