/**
 * The `coretex` command. `start` runs Coretex in this process through the composition root; the other
 * commands (added with the API) are HTTP clients of it.
 */
import { Command, InvalidArgumentError } from 'commander';
import { registerApiKeyCommands } from './api-key.ts';
import { ConfigError } from '../app/config-error.ts';
import { ROLES, type Role, start } from '../main.ts';
import { addWorkerCommand } from '../worker/example-command.ts';
import { addProjectionsCommand } from './projections.ts';

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

const program = new Command('coretex').description('An event-sourced control plane for jobs and workflows');
registerApiKeyCommands(program);

program
  .command('start')
  .description('run Coretex: every role in this process, or the ones named by --roles')
  .option('--roles <roles>', `comma-separated roles (${ROLES.join(', ')})`, parseRoles, [...ROLES])
  .action(async (options: { roles: Role[] }) => {
    const running = await start({ roles: options.roles, log: (line) => console.log(line) });
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
addProjectionsCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`coretex: configuration error (${error.setting}): ${error.message}`);
    process.exit(2);
  }
  throw error;
}
