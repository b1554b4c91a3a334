/**
 * The `coretex` command. `start` (and an in-process `projections rebuild`) runs Coretex in this process
 * through the composition root, loaded only for them; the other commands are HTTP clients of a running
 * Coretex (commands/). Exit codes: 0 done, 1 the API or the connection refused, 2 a usage error,
 * 3 a waited-for job or run ended other than SUCCEEDED, 4 a wait timed out.
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { ConfigError } from '../app/config-error.ts';
import { ROLES, type Role } from '../roles.ts';
import { addWorkerCommand } from '../worker/example-command.ts';
import { CliError } from './api.ts';
import { registerApiKeyCommands } from './api-key.ts';
import { addApiCommands } from './commands/index.ts';

function parseRoles(value: string): Role[] {
  const roles = value
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (unknown.length > 0 || roles.length === 0) {
    throw new InvalidArgumentError(
      `unknown role(s) ${unknown.join(', ') || '(none)'}; choose from ${ROLES.join(', ')}`,
    );
  }
  return roles as Role[];
}

const program = new Command('coretex')
  .description('An event-sourced control plane for jobs and workflows')
  // Usage errors come back here (exit 2) instead of commander exiting with 1.
  .exitOverride()
  .showSuggestionAfterError();
registerApiKeyCommands(program);

program
  .command('start')
  .description('run Coretex: every role in this process, or the ones named by --roles')
  .option('--roles <roles>', `comma-separated roles (${ROLES.join(', ')})`, parseRoles, [...ROLES])
  .action(async (options: { roles: Role[] }) => {
    const { start } = await import('../main.ts');
    const running = await start({ roles: options.roles, log: (line) => console.log(line) });
    console.log(`coretex: running (${options.roles.join(', ')})`);
    // Runs until told to stop, even when no socket or timer of its own holds the event loop.
    const keepAlive = setInterval(() => {}, 1 << 30);
    const stop = async (signal: string) => {
      console.log(`coretex: ${signal}, shutting down`);
      clearInterval(keepAlive);
      await running.stop();
      process.exit(0);
    };
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
  });

addWorkerCommand(program);
addApiCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // commander has printed the message (or the help) already.
    const help = ['commander.helpDisplayed', 'commander.help', 'commander.version'].includes(error.code);
    process.exit(help ? 0 : error.code === 'commander.executeSubCommandAsync' ? error.exitCode : 2);
  }
  if (error instanceof CliError) {
    console.error(`coretex: ${error.message}`);
    process.exit(error.exitCode);
  }
  if (error instanceof ConfigError) {
    console.error(`coretex: configuration error (${error.setting}): ${error.message}`);
    process.exit(2);
  }
  throw error;
}
