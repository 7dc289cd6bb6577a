import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/oracles/**', 'test/installed/**'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'oracles',
          include: ['test/oracles/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        // The packed and installed package, used as a user would (after npm run build).
        test: {
          name: 'installed',
          include: ['test/installed/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
