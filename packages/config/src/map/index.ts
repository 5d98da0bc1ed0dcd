import type { ManifestIssue } from '@streamsuites/kernel';
import type { ManifestBuilder } from '../builder.js';
import type { LoadedFile } from '../files.js';
import { createContext, type Unmapped } from './context.js';
import { mapCreators, mapTiers } from './creators.js';
import { mapKernelKeys, mapPlugins } from './plugins.js';
import { mapRateLimits } from './ratelimits.js';
import { mapCreatorFiles, mapIdentities } from './rules.js';

export type { Unmapped } from './context.js';

/**
 * Maps the parsed files to the manifest (see the README's mapping table).
 * Reads defensively: a file with schema problems (already reported) still
 * maps what it can, so the problems only plugins find are listed too. The
 * order matters: plugins are declared before the creators that use them,
 * creators before the files that configure them.
 */
export function mapFolder(
  files: ReadonlyMap<string, LoadedFile>,
  issues: ManifestIssue[],
  unmapped: Unmapped[],
  broken: ReadonlySet<string> = new Set(),
): ManifestBuilder {
  const ctx = createContext(files, broken, issues, unmapped);
  mapKernelKeys(ctx);
  mapPlugins(ctx);
  const tierNames = mapTiers(ctx);
  const mapped = mapCreators(ctx, tierNames);
  mapCreatorFiles(ctx, mapped);
  mapIdentities(ctx);
  mapRateLimits(ctx, mapped.creators);
  return ctx.builder;
}
