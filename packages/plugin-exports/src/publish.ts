import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { Type, schemaProblems } from '@streamsuites/kernel';
import { writeFileAtomic } from './atomic.js';
import { SS_ERR_EXPORTS_CHANGELOG_INVALID, SS_ERR_EXPORTS_SOURCE_MISSING } from './errors.js';

export interface PublishResult {
  /** Files copied, relative paths, sorted. */
  published: string[];
  /** Internal-only files left out. */
  skipped: string[];
  /** Where the changelog went, when one was given. */
  changelog?: string;
}

/** The runtime changelog as the dashboard reads it (`changelog/changelog.runtime.json`). */
export const ChangelogSchema = Type.Object(
  {
    entries: Type.Array(
      Type.Object(
        {
          version: Type.String({ minLength: 1 }),
          date: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
          title: Type.Optional(Type.String()),
          changes: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
        },
        { additionalProperties: true },
      ),
    ),
  },
  { additionalProperties: true },
);

export const CHANGELOG_TARGET = 'runtime/exports/changelog.runtime.json';

/**
 * One-shot publish (for cron or CI while the runtime is not running): copies
 * every snapshot under `from` to `target` atomically, except internal-only
 * files, and optionally a validated runtime changelog. The runtime itself
 * never emits the changelog.
 */
export async function publishState(options: {
  from: string;
  target: string;
  changelog?: string;
  /** Called after each file is handled (copied or left out), with how many of how many: for progress displays. */
  onFile?: (file: string, done: number, total: number) => void;
}): Promise<PublishResult> {
  const files = await listJson(options.from).catch((error: unknown) => {
    throw new SS_ERR_EXPORTS_SOURCE_MISSING(options.from, { cause: error });
  });
  const published: string[] = [];
  const skipped: string[] = [];
  for (const file of files) {
    const text = await readFile(join(options.from, file), 'utf8');
    let visibility: unknown;
    try {
      visibility = (JSON.parse(text) as { meta?: { visibility?: unknown } }).meta?.visibility;
    } catch {
      skipped.push(file); // not ours: never publish what we cannot classify
      options.onFile?.(file, published.length + skipped.length, files.length);
      continue;
    }
    if (visibility !== 'public' && visibility !== 'dashboard-only') {
      skipped.push(file);
      options.onFile?.(file, published.length + skipped.length, files.length);
      continue;
    }
    await writeFileAtomic(join(options.target, file), text);
    published.push(file);
    options.onFile?.(file, published.length + skipped.length, files.length);
  }
  const result: PublishResult = { published, skipped };
  if (options.changelog !== undefined) {
    const text = await readFile(options.changelog, 'utf8').catch((error: unknown) => {
      throw new SS_ERR_EXPORTS_CHANGELOG_INVALID(options.changelog!, 'cannot be read', { cause: error });
    });
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new SS_ERR_EXPORTS_CHANGELOG_INVALID(options.changelog, `not JSON (${(error as Error).message})`);
    }
    const [problem] = schemaProblems(ChangelogSchema, json);
    if (problem !== undefined) throw new SS_ERR_EXPORTS_CHANGELOG_INVALID(options.changelog, `${problem.path}: ${problem.message}`);
    await writeFileAtomic(join(options.target, CHANGELOG_TARGET), text);
    result.changelog = CHANGELOG_TARGET;
  }
  return result;
}

async function listJson(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && entry.name.endsWith('.json') && !entry.name.startsWith('.')) out.push(relative(root, path).split('\\').join('/'));
    }
  };
  await walk(root);
  return out.sort();
}
