import { defineProject, mergeConfig, type UserWorkspaceConfig } from 'vitest/config';

/**
 * Base for every package's vitest project. The `@streamsuites/source` export
 * condition makes cross-package imports resolve to `src/*.ts`, so tests never
 * need a build of the packages they import.
 */
export function createVitestProject(name: string, overrides: UserWorkspaceConfig = {}) {
  return mergeConfig(
    defineProject({
      resolve: { conditions: ['@streamsuites/source'] },
      ssr: { resolve: { conditions: ['@streamsuites/source'] } },
      test: {
        name,
        include: ['test/**/*.test.ts'],
        environment: 'node',
        testTimeout: 20_000,
        hookTimeout: 20_000,
        typecheck: {
          enabled: true,
          include: ['test/**/*.test-d.ts'],
          tsconfig: './tsconfig.json',
        },
      },
    }),
    overrides,
  );
}
