#!/usr/bin/env node
// Coretex runs its TypeScript sources directly (Node's type stripping, on by default from 22.18 and in
// 24), so there is no build step. Inside `npm run`/`npx` the pinned Node 24 devDependency is used.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(
    `coretex needs Node.js >= 22.18 (found ${process.version}). Run it through npm ("npm start", "npx coretex"), ` +
      'which uses the Node 24 pinned in package.json, or install Node 24 LTS.',
  );
  process.exit(1);
}
await import('../src/cli/main.ts');
