import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Where snapshots are mirrored for a dashboard to read, in the reference
 * runtime's order: DASHBOARD_STATE_PUBLISH_ROOT, then
 * STREAMSUITES_STATE_PUBLISH_ROOT (first set wins), then the configured root,
 * then a sibling `../StreamSuites-Dashboard/docs` checkout if there is one.
 */
export function resolveMirrorRoot(options: {
  env: Readonly<Record<string, string | undefined>>;
  configured?: string;
  cwd: string;
}): { root: string; from: string } | undefined {
  const { env, configured, cwd } = options;
  for (const name of ['DASHBOARD_STATE_PUBLISH_ROOT', 'STREAMSUITES_STATE_PUBLISH_ROOT'] as const) {
    const value = env[name]?.trim();
    if (value) return { root: resolve(cwd, value), from: name };
  }
  if (configured !== undefined) return { root: resolve(cwd, configured), from: 'config.mirrorRoot' };
  const sibling = resolve(cwd, '../StreamSuites-Dashboard/docs');
  return existsSync(sibling) ? { root: sibling, from: '../StreamSuites-Dashboard/docs' } : undefined;
}
