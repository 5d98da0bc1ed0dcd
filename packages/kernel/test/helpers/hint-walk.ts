import { join } from 'node:path';
import { createKernel, inspectManifest, type AnyPlugin, type CreateKernelOptions, type ManifestIssue } from '../../src/index.js';
import { tempTree } from './tmp.js';

/** A bad manifest for the walk: its text (or object), package files beside it, host plugins. */
export interface HintCase {
  name: string;
  files?: Record<string, string>;
  text?: string;
  manifest?: unknown;
  plugins?: AnyPlugin[];
}

/** The problems `streamsuites validate` prints: the loader's, or once there are none, those of creating the kernel (not started). */
async function validate(file: string, options: Partial<CreateKernelOptions>): Promise<ManifestIssue[]> {
  const result = await inspectManifest(file, options);
  if (result.issues.length > 0) return result.issues;
  const error = await createKernel({ ...options, manifest: file, logLevel: 'silent' }).then(
    async (kernel) => void (await kernel.stop()),
    (e: unknown) => e as { details: { issues?: ManifestIssue[] } },
  );
  return error?.details.issues ?? [];
}

/**
 * Validates every case as a file and returns the codes seen and the problems
 * that came without a hint (`options` are the host's: defaults, catalog...).
 */
export async function walkHints(cases: readonly HintCase[], options: Partial<CreateKernelOptions> = {}): Promise<{ seen: string[]; missing: string[] }> {
  const seen = new Set<string>();
  const missing: string[] = [];
  for (const c of cases) {
    const dir = await tempTree({ ...c.files, 'streamsuites.json': c.text ?? JSON.stringify(c.manifest) });
    const plugins = [...(options.plugins ?? []), ...(c.plugins ?? [])];
    for (const issue of await validate(join(dir, 'streamsuites.json'), { env: {}, ...options, plugins })) {
      seen.add(issue.code);
      if (typeof issue.hint !== 'string' || issue.hint.trim() === '') missing.push(`${c.name}: ${issue.path} ${issue.message} [${issue.code}]`);
    }
  }
  return { seen: [...seen].sort(), missing };
}
