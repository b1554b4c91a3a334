/**
 * The deterministic event id (ARCHITECTURE.md section 3): hash(stream id, expected position, type,
 * data). A retried publish of the same decision carries the same id and is deduplicated; a different
 * event, or the same one at another position, gets another id and meets the position check.
 */
import { hash } from 'node:crypto';

export function eventId(streamId: string, expectedPosition: number, type: string, dataJson: string): string {
  // One-shot hashing: no Hash object and four updates per append.
  return hash('sha256', `${streamId}\n${expectedPosition}\n${type}\n${dataJson}`, 'base64url').slice(0, 32);
}
