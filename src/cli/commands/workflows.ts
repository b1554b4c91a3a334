/**
 * `coretex workflows apply|list|get|run` (SPEC 2, 8): workflow definitions through `/api/v1/workflows`.
 * `apply -f <file>` is declarative, as `kubectl apply`: it creates the workflow the file names, or saves
 * the file as its next version when it exists (runs already started stay on theirs). `run` starts a
 * run of the latest version and, with `--wait`, follows it to its end (see runs.ts).
 */
import { extname } from 'node:path';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import type { paths } from '../../api/client/index.ts';
import {
  call,
  CliError,
  type Connection,
  connect,
  defined,
  type GlobalOptions,
  integer,
  jsonInput,
  type PageOptions,
  pageQuery,
  parseJson,
  readInput,
  usageError,
  withGlobals,
  withPaging,
} from '../api.ts';
import { brief, emit, printFields, printJson, printPage, printTable, time } from '../output.ts';
import { printStarted, type StartedOptions, withWait } from './runs.ts';

type Definition = paths['/api/v1/workflows']['post']['requestBody']['content']['application/json'];

export function addWorkflowsCommand(program: Command): void {
  const workflows = program
    .command('workflows')
    .description('workflow definitions: apply from a file, list, inspect, and start runs');

  withGlobals(
    workflows
      .command('apply')
      .description('create the workflow a definition file names, or save the file as its new version')
      .requiredOption(
        '-f, --file <path>',
        'the definition: JSON, or YAML when it ends .yaml/.yml; - reads JSON on stdin',
      ),
  ).action(async (options: GlobalOptions & { file: string }) => {
    const definition = readDefinition(options.file);
    const connection = connect(options);
    const applied = await apply(connection, definition);
    emit(options.json, applied, `workflow ${applied.workflow_id} ${applied.action} (version ${applied.version})`);
  });

  withGlobals(
    withPaging(
      workflows
        .command('list')
        .description('workflows, newest first')
        .option('--include-deleted', 'list deleted workflows too'),
    ),
  ).action(async (options: GlobalOptions & PageOptions & { includeDeleted?: boolean }) => {
    const connection = connect(options);
    const page = await call(
      connection,
      connection.client.GET('/api/v1/workflows', {
        params: {
          query: {
            ...connection.tenantQuery,
            ...(options.includeDeleted === true ? { include_deleted: true } : {}),
            ...pageQuery(options),
          },
        },
      }),
    );
    if (options.json === true) return printJson(page);
    printPage(page, ['WORKFLOW ID', 'NAME', 'VERSION', 'STEPS', 'UPDATED', 'UPDATED BY', 'DELETED'], (w) => [
      w.workflow_id,
      w.name,
      w.version,
      w.steps,
      time(w.updated_at),
      w.updated_by,
      w.deleted ? 'yes' : 'no',
    ]);
  });

  withGlobals(
    workflows
      .command('get')
      .description('show a workflow’s latest version (or --version) and its steps')
      .argument('<workflow-id>')
      .option('--version <n>', 'this version (runs are pinned to the one they started with)', integer(1)),
  ).action(async (workflowId: string, options: GlobalOptions & { version?: number }) => {
    const connection = connect(options);
    const found = await call(
      connection,
      connection.client.GET('/api/v1/workflows/{id}', {
        params: {
          path: { id: workflowId },
          query: { ...connection.tenantQuery, ...defined({ version: options.version }) },
        },
      }),
    );
    if (options.json === true) return printJson(found);
    const definition = found.definition;
    printFields([
      ['workflow_id', found.workflow_id],
      ['version', found.version],
      ['name', definition.name],
      ['description', definition.description],
      ['team', definition.team_id],
      ['timeout_ms', definition.timeout_ms],
      ['input_schema', definition.input_schema === null ? null : brief(definition.input_schema)],
      ['defined', `${time(found.defined_at)} by ${found.defined_by}`],
      ['deleted', found.deleted ? 'yes' : 'no'],
    ]);
    printTable(
      ['STEP', 'TYPE', 'TOPIC', 'DEPENDS ON', 'CONDITION', 'FOR EACH', 'RETRIES', 'TIMEOUT MS'],
      Object.entries(definition.steps).map(([id, step]) => [
        id,
        step.type,
        step.topic,
        step.depends_on.join(' '),
        step.condition,
        step.for_each,
        step.retry.max_retries,
        step.timeout_ms,
      ]),
    );
  });

  withGlobals(
    withWait(
      workflows
        .command('run')
        .description('start a run of the workflow’s latest version; prints the run id')
        .argument('<workflow-id>')
        .option('--input <json>', 'the run’s input, as JSON (default {})')
        .option('--input-file <path>', 'read the input (JSON) from a file, - for stdin')
        .option('--team <team>', 'the team within the org the run is for')
        .option('--idempotency-key <key>', 'start at most once per key'),
    ),
  ).action(
    async (
      workflowId: string,
      options: StartedOptions & { input?: string; inputFile?: string; team?: string; idempotencyKey?: string },
    ) => {
      const input = jsonInput(
        { inline: options.input, file: options.inputFile },
        { inline: '--input', file: '--input-file' },
      );
      const connection = connect(options);
      const answer = await call(
        connection,
        connection.client.POST('/api/v1/workflows/{id}/runs', {
          params: {
            path: { id: workflowId },
            query: connection.tenantQuery,
            header: defined({ 'idempotency-key': options.idempotencyKey }),
          },
          body: defined({ input, team_id: options.team }),
        }),
      );
      await printStarted(connection, answer, options);
    },
  );
}

/** The definition in a file: an object naming its `id` (apply needs it to know whether it exists). */
function readDefinition(file: string): Definition & { id: string } {
  const text = readInput(file, '--file');
  const yaml = ['.yaml', '.yml'].includes(extname(file).toLowerCase());
  const definition = yaml ? parseYamlFile(text, file) : parseJson(text, `--file ${file}`);
  if (typeof definition !== 'object' || definition === null || Array.isArray(definition)) {
    throw usageError(`${file}: a workflow definition is an object (with id and steps)`);
  }
  const id = (definition as { id?: unknown }).id;
  if (typeof id !== 'string' || id === '') {
    throw usageError(`${file}: the definition names no "id" (apply needs it to find the workflow)`);
  }
  return definition as Definition & { id: string };
}

function parseYamlFile(text: string, file: string): unknown {
  try {
    return parseYaml(text) as unknown;
  } catch (error) {
    throw usageError(`--file ${file} is not valid YAML: ${(error as Error).message.split('\n')[0] ?? ''}`);
  }
}

/**
 * Creates the workflow, or — when its id is taken — saves the definition as its new version. Creating
 * first keeps a new workflow to one call and leaves no window between a look-up and the write.
 */
async function apply(connection: Connection, definition: Definition & { id: string }) {
  try {
    const created = await call(
      connection,
      connection.client.POST('/api/v1/workflows', { params: { query: connection.tenantQuery }, body: definition }),
    );
    return { ...created, action: 'created' as const };
  } catch (error) {
    if (!(error instanceof CliError) || error.code !== 'workflow_exists') throw error;
  }
  const saved = await call(
    connection,
    connection.client.PUT('/api/v1/workflows/{id}', {
      params: { path: { id: definition.id }, query: connection.tenantQuery },
      body: definition,
    }),
  );
  return { ...saved, action: saved.changed ? ('updated' as const) : ('unchanged' as const) };
}
