import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DISPATCH_BACKOFF, dispatchBackoffMs } from '../../../../src/domain/dispatch/backoff.ts';

const settings = DEFAULT_DISPATCH_BACKOFF;

describe('dispatch backoff', () => {
  it('doubles from the base and stops at the cap', () => {
    expect([1, 2, 3, 4].map((failures) => dispatchBackoffMs(failures, settings, 1))).toEqual([500, 1000, 2000, 4000]);
    expect(dispatchBackoffMs(30, settings, 1)).toBe(30_000);
    expect(dispatchBackoffMs(10_000, settings, 1)).toBe(30_000);
  });

  it('jitters within the upper half of the delay', () => {
    expect(dispatchBackoffMs(2, settings, 0)).toBe(500);
    expect(dispatchBackoffMs(2, settings, 0.5)).toBe(750);
  });

  it('property: stays within [delay/2, delay] and never exceeds the cap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), fc.double({ min: 0, max: 1, noNaN: true }), (failures, random) => {
        const delay = Math.min(settings.backoff_cap_ms, settings.backoff_base_ms * 2 ** (failures - 1));
        const value = dispatchBackoffMs(failures, settings, random);
        expect(value).toBeGreaterThanOrEqual(Math.floor(delay / 2));
        expect(value).toBeLessThanOrEqual(Math.min(delay, settings.backoff_cap_ms));
      }),
    );
  });
});
