import { defineConfig } from 'vitest/config';

const browserApp = 'test/browser/app/**/*.test.ts';
// Its only job is to mock k6's modules, which exist only inside the k6 binary: Vite's module runner does that.
const mocksModules = 'loadtest/k6-scripts.test.ts';
// A region registers OpenTelemetry's global tracer provider once per process: these need a process of their own.
const ownProcess = [
  'regions/ops/tracing.test.ts',
  'test/tracing/traces.test.ts',
  'test/runtime/workerd-tracing.test.ts',
];

/**
 * The suites load our TypeScript through tsx (as `npm start` does) with Node's own `import`, and the files of a
 * worker share its modules (`isolate: false`): a fresh worker per file, importing most of the app each time through
 * Vite's module runner, was 635 s of a CI run's 1,349 (docs/performance.md, Findings › Tests). What a file sets in
 * `process.env` is undone after it (test/support/restore-env.ts).
 */
const sharedModules = {
  execArgv: ['--import', 'tsx'],
  experimental: { viteModuleRunner: false, nodeLoader: false },
  isolate: false,
  setupFiles: ['test/support/restore-env.ts'],
};

export default defineConfig({
  // The web app's TSX (routes/, islands/, web/) is Preact's automatic JSX runtime, as tsconfig.json says.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  test: {
    exclude: ['node_modules/**', 'data/**', 'dist/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration suites start regions and databases; two cores run two files at a time well.
    maxWorkers: 2,
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'suites',
          include: ['**/*.test.ts'],
          exclude: ['node_modules/**', 'data/**', 'dist/**', browserApp, mocksModules, ...ownProcess],
          ...sharedModules,
        },
      },
      {
        extends: true,
        test: { name: 'own-process', include: ownProcess, ...sharedModules, isolate: true },
      },
      {
        extends: true,
        test: { name: 'mocked-modules', include: [mocksModules] },
      },
      {
        extends: true,
        test: {
          name: 'web-app',
          include: [browserApp],
          globalSetup: ['test/browser/app/global-setup.ts'],
          hookTimeout: 660_000,
        },
      },
    ],
  },
});
