import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fullBucket,
  nextTokenAt,
  refill,
  type TokenBucket,
  takeTokens,
} from '../../../../src/domain/safety/token-bucket.ts';

const settings = { per_second: 10, burst: 5 };

describe('token bucket (deferred-queue drain)', () => {
  it('grants the burst at once, then nothing until it refills', () => {
    const first = takeTokens(fullBucket(0, settings), 0, settings, 100);
    expect(first.granted).toBe(5);
    expect(takeTokens(first.bucket, 0, settings, 100).granted).toBe(0);
    // 10 per second: one token per 100 ms
    expect(takeTokens(first.bucket, 250, settings, 100).granted).toBe(2);
  });

  it('never holds more than the burst', () => {
    expect(refill({ tokens: 0, updated_at: 0 }, 60_000, settings).tokens).toBe(5);
  });

  it('grants no more than asked', () => {
    expect(takeTokens(fullBucket(0, settings), 0, settings, 2)).toMatchObject({ granted: 2, bucket: { tokens: 3 } });
  });

  it('says when the next token is due', () => {
    const empty: TokenBucket = { tokens: 0, updated_at: 1000 };
    expect(nextTokenAt(empty, 1000, settings)).toBe(1100);
    expect(nextTokenAt({ tokens: 0.5, updated_at: 1000 }, 1000, settings)).toBe(1050);
    expect(nextTokenAt(fullBucket(0, settings), 7, settings)).toBe(7);
  });

  it('refills nothing when the clock steps back', () => {
    const bucket = refill({ tokens: 1, updated_at: 1000 }, 500, settings);
    expect(bucket).toEqual({ tokens: 1, updated_at: 1000 });
  });

  const steps = fc.array(fc.tuple(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 0, max: 8 })), {
    maxLength: 60,
  });
  const anySettings = fc.record({
    per_second: fc.double({ min: 0.5, max: 200, noNaN: true }),
    burst: fc.integer({ min: 1, max: 20 }),
  });

  it('property: never grants more than the burst plus the rate over the elapsed time', () => {
    fc.assert(
      fc.property(anySettings, steps, (drain, takes) => {
        let bucket = fullBucket(0, drain);
        let now = 0;
        let granted = 0;
        for (const [elapsed, wanted] of takes) {
          now += elapsed;
          const result = takeTokens(bucket, now, drain, wanted);
          expect(result.granted).toBeLessThanOrEqual(wanted);
          granted += result.granted;
          bucket = result.bucket;
        }
        expect(granted).toBeLessThanOrEqual(drain.burst + (drain.per_second * now) / 1000 + 1e-9);
      }),
    );
  });

  it('property: at nextTokenAt at least one token is granted', () => {
    fc.assert(
      fc.property(anySettings, fc.double({ min: 0, max: 1, noNaN: true }), fc.nat(10_000), (drain, tokens, now) => {
        const bucket: TokenBucket = { tokens, updated_at: now };
        const at = nextTokenAt(bucket, now, drain);
        expect(at).toBeGreaterThanOrEqual(now);
        expect(takeTokens(bucket, at, drain, 1).granted).toBe(1);
      }),
    );
  });
});
