/**
 * `coretex config get|set|effective` (SPEC 4): config documents per scope, written whole, and the
 * effective config a job of (org, team, workflow, step) runs with.
 */
import { Argument, type Command } from 'commander';
import { call, connect, defined, type GlobalOptions, integer, jsonInput, usageError, withGlobals } from '../api.ts';
import { emit, printJson } from '../output.ts';

const SCOPES = ['system', 'org', 'team', 'workflow', 'step'] as const;
type Scope = (typeof SCOPES)[number];

export function addConfigCommand(program: Command): void {
  const config = program.command('config').description('config documents: get, set, and the effective config');

  withGlobals(
    config
      .command('get')
      .description('show a config document')
      .addArgument(scopeArg())
      .argument('[scope-id]', 'default for system; <org>, <org>:<team>, <org>:<workflow>, <org>:<workflow>:<step>'),
    { tenant: false },
  ).action(async (scope: Scope, scopeId: string | undefined, options: GlobalOptions) => {
    const connection = connect(options);
    const document = await call(
      connection,
      connection.client.GET('/api/v1/config/{scope}/{scope_id}', {
        params: { path: { scope, scope_id: idOf(scope, scopeId) } },
      }),
    );
    if (options.json === true) return printJson(document);
    process.stdout.write(
      `# ${document.scope}/${document.scope_id} revision ${document.revision}, ` +
        `updated ${document.updated_at} by ${document.updated_by}\n${JSON.stringify(document.data, null, 2)}\n`,
    );
  });

  withGlobals(
    config
      .command('set')
      .description('replace a config document (the whole document)')
      .addArgument(scopeArg())
      .argument('[scope-id]', 'default for system; <org>, <org>:<team>, <org>:<workflow>, <org>:<workflow>:<step>')
      .option('--data <json>', 'the document, a JSON object')
      .option('--file <path>', 'read the document (JSON) from a file, - for stdin')
      .option('--if-revision <n>', 'only if the document is at this revision (else 412)', integer(0)),
    { tenant: false },
  ).action(
    async (
      scope: Scope,
      scopeId: string | undefined,
      options: GlobalOptions & { data?: string; file?: string; ifRevision?: number },
    ) => {
      const data = jsonInput({ inline: options.data, file: options.file }, { inline: '--data', file: '--file' });
      if (data === undefined) throw usageError('give --data or --file');
      if (typeof data !== 'object' || data === null || Array.isArray(data)) {
        throw usageError('the config document must be a JSON object');
      }
      const connection = connect(options);
      const answer = await call(
        connection,
        connection.client.PUT('/api/v1/config/{scope}/{scope_id}', {
          params: {
            path: { scope, scope_id: idOf(scope, scopeId) },
            header: options.ifRevision === undefined ? {} : { 'if-match': `"${options.ifRevision}"` },
          },
          body: { data: data as Record<string, unknown> },
        }),
      );
      emit(
        options.json,
        answer,
        `${answer.scope}/${answer.scope_id} revision ${answer.revision}${answer.changed ? '' : ' (unchanged)'}`,
      );
    },
  );

  withGlobals(
    config
      .command('effective')
      .description('the merged config (system → org → team → workflow → step)')
      .requiredOption('--org <org>', 'org (tenant) id')
      .option('--team <team>', 'team id')
      .option('--workflow <id>', 'workflow id')
      .option('--step <id>', 'step id'),
    { tenant: false },
  ).action(async (options: GlobalOptions & { org: string; team?: string; workflow?: string; step?: string }) => {
    const connection = connect(options);
    const effective = await call(
      connection,
      connection.client.GET('/api/v1/config/effective', {
        params: {
          query: {
            org_id: options.org,
            ...defined({ team_id: options.team, workflow_id: options.workflow, step_id: options.step }),
          },
        },
      }),
    );
    if (options.json === true) return printJson(effective);
    process.stdout.write(
      `# version ${effective.version}\n# hash ${effective.hash}\n${JSON.stringify(effective.data, null, 2)}\n`,
    );
  });
}

function scopeArg() {
  return new Argument('<scope>', 'system, org, team, workflow or step').choices(SCOPES);
}

function idOf(scope: Scope, scopeId: string | undefined): string {
  if (scopeId !== undefined) return scopeId;
  if (scope === 'system') return 'default';
  throw usageError(`a ${scope} document needs its scope id`);
}
