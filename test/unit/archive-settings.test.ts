/** Retention settings (README configuration table, docs/retention.md): archive retention, the capture stream's age. */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/app/config-error.ts';
import { loadSettings } from '../../src/settings.ts';

describe('CORETEX_ARCHIVE_RETENTION', () => {
  it('keeps the archive forever by default', () => {
    expect(loadSettings({}).archiveRetentionMs).toBe(0);
    expect(loadSettings({ CORETEX_ARCHIVE_RETENTION: '0' }).archiveRetentionMs).toBe(0);
  });

  it('reads a duration of at least a day and at least the hot window', () => {
    expect(loadSettings({ CORETEX_ARCHIVE_RETENTION: '30d' }).archiveRetentionMs).toBe(30 * 86_400_000);
    for (const value of ['12h', '2d']) {
      expect(() => loadSettings({ CORETEX_ARCHIVE_RETENTION: value }), value).toThrow(ConfigError);
    }
    expect(() => loadSettings({ CORETEX_ARCHIVE_RETENTION: 'soon' })).toThrow(/CORETEX_ARCHIVE_RETENTION/);
    expect(loadSettings({ CORETEX_HOT_WINDOW: '0', CORETEX_ARCHIVE_RETENTION: '1d' }).archiveRetentionMs).toBe(
      86_400_000,
    );
  });
});

describe('the capture stream of worker reports and bus submissions', () => {
  it('keeps them as long as the hot window (at least its 2-minute dedupe window), a week without one', () => {
    expect(loadSettings({}).captureMaxAgeMs).toBe(72 * 3_600_000);
    expect(
      loadSettings({ CORETEX_HOT_WINDOW: '5m', CORETEX_IDEMPOTENCY_TTL: '2m', CORETEX_DUPLICATE_WINDOW: '30s' })
        .captureMaxAgeMs,
    ).toBe(300_000);
    expect(
      loadSettings({ CORETEX_HOT_WINDOW: '1m', CORETEX_IDEMPOTENCY_TTL: '1m', CORETEX_DUPLICATE_WINDOW: '30s' })
        .captureMaxAgeMs,
    ).toBe(120_000);
    expect(loadSettings({ CORETEX_HOT_WINDOW: '0' }).captureMaxAgeMs).toBe(7 * 86_400_000);
  });
});
