/**
 * The small vocabulary of read-model writes (ARCHITECTURE.md section 4). A projection turns each event
 * into a list of these; the read-model store applies a batch of them with the checkpoint atomically.
 * Keys are relative to the projection version's namespace.
 */

export type Write =
  | { readonly op: 'hset'; readonly key: string; readonly fields: Readonly<Record<string, string>> }
  | { readonly op: 'hdel'; readonly key: string; readonly fields: readonly string[] }
  | { readonly op: 'del'; readonly key: string }
  | {
      readonly op: 'zadd';
      readonly key: string;
      readonly score: number;
      readonly member: string;
      /** The projection knows the set does not hold the member yet (lets a batch drop an add undone later in it). */
      readonly newMember?: boolean;
    }
  | { readonly op: 'zrem'; readonly key: string; readonly member: string }
  | { readonly op: 'set'; readonly key: string; readonly value: string }
  | { readonly op: 'incr'; readonly key: string; readonly by: number }
  | { readonly op: 'hincr'; readonly key: string; readonly field: string; readonly by: number }
  | {
      readonly op: 'hincrIf';
      readonly key: string;
      readonly field: string;
      readonly by: number;
      /** Applied only if the hash `guard.key` has (`present`) or lacks the field `guard.field`, then. */
      readonly guard: HashFieldGuard;
    };

export interface HashFieldGuard {
  readonly key: string;
  readonly field: string;
  readonly present: boolean;
}

export const hset = (key: string, fields: Record<string, string>): Write => ({ op: 'hset', key, fields });
export const hdel = (key: string, fields: readonly string[]): Write => ({ op: 'hdel', key, fields });
export const del = (key: string): Write => ({ op: 'del', key });
export const zadd = (key: string, score: number, member: string, newMember = false): Write =>
  newMember ? { op: 'zadd', key, score, member, newMember } : { op: 'zadd', key, score, member };
export const zrem = (key: string, member: string): Write => ({ op: 'zrem', key, member });
export const set = (key: string, value: string): Write => ({ op: 'set', key, value });
export const incr = (key: string, by = 1): Write => ({ op: 'incr', key, by });
export const hincr = (key: string, field: string, by = 1): Write => ({ op: 'hincr', key, field, by });
export const hincrIf = (key: string, field: string, by: number, guard: HashFieldGuard): Write => ({
  op: 'hincrIf',
  key,
  field,
  by,
  guard,
});
