import { join } from 'node:path';
import { createKernel, inspectManifest, type AnyPlugin, type CreateKernelOptions, type ManifestIssue } from '../../src/index.js';
import { fakePluginPackage, tempTree } from './tmp.js';

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

/**
 * The bad manifest every walk starts from: duplicates, env, unknown keys,
 * schema, creator ids, quotas and triggers (unclaimed without the defaults),
 * and `extraInC` added to creator "c".
 */
export function loaderCase(name: string, extraInC = ''): HintCase {
  return {
    name,
    text: `{
  "kernel": "not a range",
  "colour": "blue",
  "logLevel": 5,
  "onBootFailure": "sometimes",
  "timeouts": { "initMs": -1 },
  "dataDir": "\${env:SS_TEST_UNSET}",
  "plugins": { "hello": { "package": "@fixture/plugin-hello", "config": { "greeting": 5, "extra": 1 } }, "odd": 5 },
  "creators": {
    "a": { "enable": "all" },
    "a": { "enable": ["hello", "hello"], "config": { "hello": { "channel": 42, "token": "\${env:1BAD}" } }, "quotas": { "youtube": { "daily": 0 } } },
    "Bad Id": { "enable": ["hello"], "config": { "hello": { "channel": "x" } }, "triggers": [{ "type": "command" }] },
    "b": { "enable": ["hello"], "config": { "hello": { "channel": "x" } }, "quotas": { "youtube": { "daily": 100, "buffer": 100, "timeZone": "Mars/Base" } }, "displayName": "" },
    "c": { "enable": ["helo", "ghost", "hello"], "config": { "hello": {}, "ghost2": {} }, "dup": 1, "dup": 2${extraInC} }
  }
}`,
    files: fakePluginPackage('@fixture/plugin-hello', 'hello'),
  };
}

