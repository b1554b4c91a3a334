/**
 * Debian's Chromium for the browser tests (Playwright drives it; it never downloads a browser). When
 * /usr/bin/chromium is missing, root with apt-get installs the `chromium` package, as servers.ts does
 * for nats-server and redis-server; anyone else gets a message naming the package.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

export const CHROMIUM = '/usr/bin/chromium';

/** What every test launches Chromium with: headless, no sandbox (containers), nothing phoning home. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function present(): boolean {
  try {
    accessSync(CHROMIUM, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function ensureChromium(): string {
  if (present()) return CHROMIUM;
  const isRoot = process.getuid?.() === 0;
  let hasApt = true;
  try {
    execFileSync('apt-get', ['--version'], { stdio: 'ignore' });
  } catch {
    hasApt = false;
  }
  if (!isRoot || !hasApt) {
    throw new Error(
      `The browser tests need ${CHROMIUM} (Debian package: chromium). ` +
        'Install it with: sudo apt-get update && sudo apt-get install -y chromium',
    );
  }
  execFileSync('apt-get', ['update'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', 'chromium'], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (!present()) throw new Error(`apt-get did not provide ${CHROMIUM} (Debian package: chromium)`);
  return CHROMIUM;
}
