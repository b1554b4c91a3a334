/** The archive retention setting (README configuration table, docs/retention.md): default, parse, limits. */
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
