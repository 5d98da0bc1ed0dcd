import { defineConfig, type Options } from 'tsup';

/**
 * One tsup configuration for every package (discord.js pattern): ESM only,
 * Node 20 target, declaration files, source maps. A package's own
 * tsup.config.ts only names its entries.
 */
export function createTsupConfig(options: Options = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    dts: true,
    sourcemap: true,
    clean: true,
    splitting: true,
    treeshake: true,
    ...options,
  });
}
