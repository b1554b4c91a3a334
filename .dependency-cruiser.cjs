/**
 * The architecture check: arrows point inward only (ARCHITECTURE.md section 1).
 *   cli -> main.ts -> (api, adapters) -> app -> (projections, domain);  projections -> domain
 * worker/ is the client library users import: it may use the domain's message schemas, nothing else of ours.
 */
const layer = (name) => `^src/${name}/`;
const outer = ['adapters', 'api', 'app', 'cli', 'worker', 'projections', 'ui'];

module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'src/domain imports nothing outside itself and no Node built-ins or I/O libraries.',
      severity: 'error',
      from: { path: layer('domain') },
      to: {
        pathNot: [layer('domain'), '^node_modules/(immer|@marcbachmann/cel-js|ajv|ajv-formats)/'],
      },
    },
    {
      name: 'projections-depend-on-domain-only',
      severity: 'error',
      from: { path: layer('projections') },
      to: { path: [...outer.filter((l) => l !== 'projections').map(layer), '^src/main\\.ts$'] },
    },
    {
      name: 'app-depends-on-ports-not-adapters',
      comment: 'app/ talks to the outside through the ports in app/ports.ts; only main.ts picks adapters.',
      severity: 'error',
      from: { path: layer('app') },
      to: { path: [layer('adapters'), layer('api'), layer('cli'), layer('ui'), '^src/main\\.ts$'] },
    },
    {
      name: 'api-never-imports-adapters',
      severity: 'error',
      from: { path: layer('api') },
      to: { path: [layer('adapters'), layer('cli'), '^src/main\\.ts$'] },
    },
    {
      name: 'adapters-point-inward',
      severity: 'error',
      from: { path: layer('adapters') },
      to: { path: [layer('api'), layer('cli'), layer('ui'), '^src/main\\.ts$'] },
    },
    {
      name: 'worker-is-a-standalone-client',
      comment: 'the worker runtime shares message schemas with the domain, nothing else',
      severity: 'error',
      from: { path: layer('worker') },
      to: {
        path: [layer('adapters'), layer('api'), layer('app'), layer('cli'), layer('projections'), '^src/main\\.ts$'],
      },
    },
    {
      name: 'nats-helpers-are-a-leaf',
      comment: 'src/nats/ holds NATS client helpers that adapters and the worker runtime share: @nats-io only',
      severity: 'error',
      from: { path: '^src/nats/' },
      to: { path: '^src/', pathNot: '^src/nats/' },
    },
    {
      name: 'main-is-below-cli',
      severity: 'error',
      from: { path: '^src/main\\.ts$' },
      to: { path: layer('cli') },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
