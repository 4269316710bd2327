import { configDefaults, defineConfig } from 'vitest/config';
import { filesNeedingShared } from './vitest.shared';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    // Without ../shared beside the checkout, the tests that read it are left out with one line saying so.
    exclude: [...configDefaults.exclude, ...filesNeedingShared(import.meta.dirname)],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // The JSON report feeds scripts/test-summary.mjs, which prints the plain "N passed, N failed" line CI reads.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
  },
});
