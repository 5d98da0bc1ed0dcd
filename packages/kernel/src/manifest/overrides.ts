import { resolve as resolvePath } from 'node:path';
import { isObject } from './object.js';

/** What a host may change in a manifest without editing the file. */
export interface ManifestOverrides {
  /** Replaces `dataDir` (absolute, or relative to the working directory). */
  dataDir?: string;
  /** Replaces top-level sections claimed by plugins (`{ dryRun: true }`). */
  sections?: Readonly<Record<string, unknown>>;
  /** Shallow-merged over `plugins.<id>.config` for the plugins the manifest lists. */
  pluginConfig?: Readonly<Record<string, Record<string, unknown>>>;
}

/** The manifest with the host's overrides applied (a copy; the input is not changed). */
export function applyOverrides(manifest: unknown, overrides: ManifestOverrides | undefined): unknown {
  if (overrides === undefined || !isObject(manifest)) return manifest;
  const out: Record<string, unknown> = { ...manifest };
  if (overrides.dataDir !== undefined) out.dataDir = resolvePath(overrides.dataDir);
  Object.assign(out, overrides.sections);
  if (overrides.pluginConfig !== undefined && isObject(out.plugins)) {
    const plugins: Record<string, unknown> = { ...out.plugins };
    for (const [id, patch] of Object.entries(overrides.pluginConfig)) {
      const entry = plugins[id];
      if (!isObject(entry)) continue;
      plugins[id] = { ...entry, config: { ...(isObject(entry.config) ? entry.config : {}), ...patch } };
    }
    out.plugins = plugins;
  }
  return out;
}
