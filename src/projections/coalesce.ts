/**
 * A batch's writes with the ones that cannot change the outcome left out (ARCHITECTURE.md section 4).
 * The projector commits the writes of many events at once, and consecutive events of one job mostly
 * redo each other's index work: every state change moves the job out of one state's indexes and into
 * the next, every event moves it in the `updated` index and rewrites fields of its document. Applying
 * the coalesced list in order leaves the read model exactly as applying the whole list would
 * (`test/unit/projections/coalesce.test.ts` checks it against the in-memory store):
 *
 *   - sorted sets: nothing in the vocabulary reads a member, so of all the `zadd`/`zrem` of one member
 *     of one set only the last decides whether and where it is, and the others are dropped; when the
 *     first was a `zadd` of a member the set did not hold (`newMember`) and the last is a `zrem`, the
 *     member is absent before and after, and nothing is written at all;
 *   - hashes: an `hset` joins the key's previous `hset` (its fields win) unless something in between
 *     deleted the key or its fields, wrote the key otherwise, or read one of the joining fields (a
 *     guard of an `hincrIf`) — the one read that would see the fields arrive early.
 */
import type { StoredEvent } from '../domain/shared/events.ts';
import type { Projection } from './projection.ts';
import type { Write } from './write.ts';

type SortedSetWrite = Extract<Write, { op: 'zadd' | 'zrem' }>;

/** What committing a batch of events writes: each event's writes, in order, coalesced. */
export function writesOfBatch(projection: Projection, events: readonly StoredEvent[]): Write[] {
  return coalesceWrites(events.flatMap((event) => projection.evolve(event)));
}

export function coalesceWrites(writes: readonly Write[]): Write[] {
  const lastOfMember = new Map<string, SortedSetWrite>();
  const absentBefore = new Set<string>();
  for (const write of writes) {
    if (write.op !== 'zadd' && write.op !== 'zrem') continue;
    const member = memberKey(write);
    if (!lastOfMember.has(member) && write.op === 'zadd' && write.newMember === true) absentBefore.add(member);
    lastOfMember.set(member, write);
  }

  const out: Write[] = [];
  const openHashes = new Map<string, { fields: Record<string, string>; read: Set<string> }>();
  for (const write of writes) {
    switch (write.op) {
      case 'zadd':
      case 'zrem': {
        const member = memberKey(write);
        if (lastOfMember.get(member) !== write) break;
        if (write.op === 'zrem' && absentBefore.has(member)) break;
        out.push(write);
        break;
      }
      case 'hset': {
        const open = openHashes.get(write.key);
        if (open !== undefined && !Object.keys(write.fields).some((field) => open.read.has(field))) {
          Object.assign(open.fields, write.fields);
          break;
        }
        const fields = { ...write.fields };
        openHashes.set(write.key, { fields, read: new Set() });
        out.push({ op: 'hset', key: write.key, fields });
        break;
      }
      case 'hincrIf':
        openHashes.get(write.guard.key)?.read.add(write.guard.field);
        openHashes.delete(write.key);
        out.push(write);
        break;
      default:
        openHashes.delete(write.key);
        out.push(write);
    }
  }
  return out;
}

function memberKey(write: SortedSetWrite): string {
  return `${write.key}\u0000${write.member}`;
}
