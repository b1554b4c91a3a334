/**
 * Runs the real `coretex` command as a user would (`node src/cli/main.ts ...`, a child process),
 * with only the CORETEX_* variables the test gives, and returns its exit code and output.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';

const CLI = join(import.meta.dirname, '..', '..', '..', 'src', 'cli', 'main.ts');

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function coretex(args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('CORETEX_')));
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { ...clean, ...env }, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** A CLI bound to one Coretex and key (through CORETEX_URL / CORETEX_API_KEY, as users set them). */
export function cliFor(url: string, apiKey: string) {
  return (args: readonly string[], env: Record<string, string> = {}) =>
    coretex(args, { CORETEX_URL: url, CORETEX_API_KEY: apiKey, ...env });
}

/** The rows of a cli-table3 table: the cells of each line that has them (the header first). */
export function tableRows(stdout: string): string[][] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('│'))
    .map((line) =>
      line
        .split('│')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
}
