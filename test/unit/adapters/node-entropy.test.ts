/** The production entropy: ids and tokens drawn from a pooled CSPRNG stay well-formed and distinct across pool refills. */
import { describe, expect, it } from 'vitest';
import { nodeEntropy } from '../../../src/adapters/node/entropy.ts';

describe('nodeEntropy', () => {
  it('makes distinct 16-character base64url tokens, across many pool refills', () => {
    // 12 bytes each: 50,000 tokens draw the 8 KiB pool ~73 times.
    const tokens = Array.from({ length: 50_000 }, () => nodeEntropy.token());
    expect(new Set(tokens).size).toBe(tokens.length);
    for (const token of tokens.slice(0, 1000)) expect(token).toMatch(/^[A-Za-z0-9_-]{16}$/);
  });

  it('spreads token bytes (no pool slice handed out twice or left zeroed)', () => {
    const counts = new Array<number>(256).fill(0);
    for (let i = 0; i < 20_000; i++) {
      for (const byte of Buffer.from(nodeEntropy.token(), 'base64url')) counts[byte] = (counts[byte] ?? 0) + 1;
    }
    // 240,000 bytes over 256 values: ~937 each; a zeroed or repeated pool would skew this far.
    expect(Math.min(...counts)).toBeGreaterThan(700);
    expect(Math.max(...counts)).toBeLessThan(1200);
  });

  it('makes ULIDs that are distinct, sortable by time and increasing within one millisecond', () => {
    const now = Date.UTC(2026, 0, 1);
    const same = Array.from({ length: 1000 }, () => nodeEntropy.ulid(now));
    expect(new Set(same).size).toBe(1000);
    expect([...same].sort()).toEqual(same);
    for (const id of same.slice(0, 50)) expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    const later = nodeEntropy.ulid(now + 1);
    expect(later > (same.at(-1) as string)).toBe(true);
    // The random part varies from one millisecond to the next.
    const randomParts = new Set(Array.from({ length: 200 }, (_, i) => nodeEntropy.ulid(now + 10 + i).slice(10)));
    expect(randomParts.size).toBe(200);
  });
});
