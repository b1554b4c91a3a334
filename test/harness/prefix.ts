import { randomBytes } from 'node:crypto';

/** A subject/key prefix no other test uses, so test files share servers without seeing each other. */
export function uniquePrefix(label = 't'): string {
  return `${label}${randomBytes(5).toString('hex')}`;
}
