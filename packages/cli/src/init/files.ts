import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@streamsuites/plugin-exports';
import { SS_ERR_CLI_INIT_EXISTS } from '../errors.js';
import type { EnvVar } from './templates.js';

export const MANIFEST_FILE = 'streamsuites.json';
export const ENV_EXAMPLE_FILE = '.env.example';
export const GITIGNORE_FILE = '.gitignore';

/** What .gitignore must keep out of git: the secrets and the runtime's data. */
const IGNORED = ['.env', '/data/'];

export function renderEnvExample(env: readonly [string, EnvVar][]): string {
  const lines = [
    '# The environment streamsuites.json reads (${env:NAME}), written by `streamsuites init`.',
    '# Copy it to .env and replace every value; .gitignore keeps .env out of git.',
    '# streamsuites reads ./.env (or --env-file <file>); variables already set in the',
    '# environment win, so a service manager may set them instead (docs/operations.md).',
    '# The example values pass `streamsuites validate` but work nowhere.',
  ];
  if (env.length === 0) lines.push('#', '# streamsuites.json references no variables: Twitch tokens come from `streamsuites auth twitch`', '# (which reads TWITCH_CLIENT_ID, or takes --client-id).');
  for (const [name, variable] of env) lines.push('', `# ${variable.about}`, `${name}=${variable.example}`);
  return `${lines.join('\n')}\n`;
}

/** The .gitignore to write: the existing one plus the lines it lacks (undefined: nothing to add). */
export function gitignoreText(dir: string): string | undefined {
  const file = join(dir, GITIGNORE_FILE);
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const have = new Set(current.split(/\r?\n/).map((l) => l.trim()));
  const missing = IGNORED.filter((line) => !have.has(line));
  if (missing.length === 0) return undefined;
  const head = current === '' ? '# written by streamsuites init\n' : current.endsWith('\n') ? current : `${current}\n`;
  return `${head}${missing.join('\n')}\n`;
}

/**
 * Writes the scaffold's files into `dir`, each atomically (temp file, then
 * rename). Nothing is written when the manifest or .env.example exists and
 * `force` is off; .gitignore is only ever added to.
 */
export async function writeScaffold(dir: string, files: Record<string, string | undefined>, force: boolean): Promise<string[]> {
  const replaceable = [MANIFEST_FILE, ENV_EXAMPLE_FILE].filter((name) => files[name] !== undefined && existsSync(join(dir, name)));
  if (replaceable.length > 0 && !force) throw new SS_ERR_CLI_INIT_EXISTS(replaceable.map((name) => join(dir, name)).join(' and '));
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const [name, text] of Object.entries(files)) {
    if (text === undefined) continue;
    await writeFileAtomic(join(dir, name), text);
    written.push(name);
  }
  return written;
}
