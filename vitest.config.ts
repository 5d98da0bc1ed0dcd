import { defineConfig } from 'vitest/config';

// The workspace: one vitest project per package and example.
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', 'examples/*/vitest.config.ts', 'test/vitest.config.ts'],
  },
});
