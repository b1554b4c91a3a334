/**
 * `coretex api-key new --id <id> --tenant <tenant|*> --role <viewer|operator|admin>`: makes a key and
 * prints it once with the CORETEX_API_KEYS entry holding only its hash. `coretex api-key hash` hashes
 * a key read from stdin (so it stays out of the shell history).
 */
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { generateApiKey, hashApiKey, ROLES } from '../api/auth/api-keys.ts';

export function registerApiKeyCommands(program: Command): void {
  const command = program.command('api-key').description('make and hash API keys (for CORETEX_API_KEYS)');
  command
    .command('new')
    .description('make a key; prints it once, and the CORETEX_API_KEYS entry with its hash')
    .requiredOption('--id <id>', 'the key id (recorded as the actor api:<id>)')
    .requiredOption('--tenant <tenant>', 'the tenant it acts for, or * for every tenant')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`, (value: string) => {
      if (!(ROLES as readonly string[]).includes(value))
        throw new InvalidArgumentError(`choose from ${ROLES.join(', ')}`);
      return value;
    })
    .action((options: { id: string; tenant: string; role: string }) => {
      const key = generateApiKey();
      console.log(`key (shown once; give it to the client): ${key}`);
      console.log('entry for CORETEX_API_KEYS (a JSON list):');
      console.log(
        JSON.stringify({ id: options.id, hash: hashApiKey(key), tenant: options.tenant, role: options.role }),
      );
    });
  command
    .command('hash')
    .description('print the SHA-256 of a key read from stdin')
    .action(async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      const key = Buffer.concat(chunks).toString('utf8').trim();
      if (key === '') throw new InvalidArgumentError('no key on stdin');
      console.log(hashApiKey(key));
    });
}
