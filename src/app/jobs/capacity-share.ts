/**
 * A worker's spare capacity, shared out among this process's partition schedulers. Each partition
 * keeps the jobs it just put in a wait queue in memory and wakes them when a worker has room; told of
 * the room separately, every partition woke up to that many of its own jobs, so with P partitions a
 * freed slot sent P jobs after one place and P - 1 of them back to wait, each after a scheduling
 * decision. Under saturation a slot frees with every result, so the scheduler's work per job grew with
 * the partitions just when it had the least time for it (bench/e2e at 1,000 jobs/s past its limit:
 * throughput fell from ~700 to ~250 jobs/s as the backlog grew). Here the room goes round: partitions
 * take turns at being asked first, and each takes only what is left.
 */
import type { WorkerHeartbeat } from '../../domain/dispatch/registry.ts';

export interface CapacityWaker {
  /** Wakes up to `room` of its jobs waiting for capacity in memory that the worker could take; how many. */
  wakeForCapacity(worker: WorkerHeartbeat, room: number): number;
  /** Looks at its capacity queues in the read model soon (at most once a second). */
  wakeStoredForCapacity(): void;
}

export class CapacityShare {
  readonly #members: CapacityWaker[] = [];
  #first = 0;

  join(member: CapacityWaker): () => void {
    this.#members.push(member);
    return () => {
      const at = this.#members.indexOf(member);
      if (at >= 0) this.#members.splice(at, 1);
    };
  }

  /**
   * `room` more jobs fit on `worker`: wakes up to that many jobs waiting in memory in all, partitions in
   * turn. Every partition also looks at the jobs that have waited longer than memory keeps them, in
   * the read model (the head of each queue): a job woken from memory may not take the room after all
   * (another job of its tenant took the tenant's last slot), and the queues' heads are where the room
   * goes next.
   */
  share(worker: WorkerHeartbeat, room: number): number {
    const count = this.#members.length;
    let left = room;
    for (let i = 0; i < count && left > 0; i++) {
      left -= this.#members[(this.#first + i) % count]?.wakeForCapacity(worker, left) ?? 0;
    }
    this.#first = count === 0 ? 0 : (this.#first + 1) % count;
    for (const member of this.#members) member.wakeStoredForCapacity();
    return room - left;
  }
}
