/**
 * The deterministic event id (ARCHITECTURE.md section 3): hash(stream id, expected position, type,
 * data). A retried publish of the same decision carries the same id and is deduplicated; a different
 * event, or the same one at another position, gets another id and meets the position check.
 */
import { createHash } from 'node:crypto';

export function eventId(streamId: string, expectedPosition: number, type: string, dataJson: string): string {
  return createHash('sha256')
    .update(streamId)
    .update('\n')
    .update(String(expectedPosition))
    .update('\n')
    .update(type)
    .update('\n')
    .update(dataJson)
    .digest('base64url')
    .slice(0, 32);
}
