import { defineConfig } from 'vitest/config';

const browserApp = 'test/browser/app/**/*.test.ts';

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
          exclude: ['node_modules/**', 'data/**', 'dist/**', browserApp],
        },
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
