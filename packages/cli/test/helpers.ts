import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnScript } from '@streamsuites/testing';
import { main, type CliIO } from '../src/index.js';

export const fixtures = fileURLToPath(new URL('./fixtures/host/', import.meta.url));
const bin = fileURLToPath(new URL('../src/bin.ts', import.meta.url));

/** Runs the CLI in-process with captured output. */
export async function cli(argv: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env, cwd: fixtures };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/** Runs the real `streamsuites` bin (from source) in a child process. */
export function spawnCli(argv: string[], env: Record<string, string> = {}) {
  return spawnScript(bin, argv, { cwd: fixtures, env: { PATH: process.env.PATH ?? '', ...env } });
}

const packagesDir = fileURLToPath(new URL('../../', import.meta.url));

/** Links node_modules/@streamsuites/* in `dir` to this workspace's packages, as `npm install` would install them. */
export function linkWorkspacePackages(dir: string): void {
  mkdirSync(join(dir, 'node_modules', '@streamsuites'), { recursive: true });
  for (const name of readdirSync(packagesDir)) {
    const manifest = join(packagesDir, name, 'package.json');
    if (!existsSync(manifest)) continue;
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name: string };
    symlinkSync(join(packagesDir, name), join(dir, 'node_modules', pkg.name), 'dir');
  }
}
