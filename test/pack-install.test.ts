// The packages as an integrator gets them: scripts/pack-check.mjs packs every
// package, installs the tarballs with npm into a temp project outside the
// repository and runs the minimal host, examples/custom-trigger,
// `npx streamsuites validate` and `npx streamsuites run` (against the Twitch
// fake) there. This runs it as `node scripts/pack-check.mjs` would be run by
// hand and checks its verdict. It needs the built dist/ folders (npm test
// builds first) and the npm registry or a warm npm cache.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SCRIPT = resolve(ROOT, 'scripts', 'pack-check.mjs');

function runPackCheck(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [SCRIPT], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => void (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => void (output += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolvePromise({ code, output }));
  });
}

it('the packed tarballs install with npm outside the workspace and run: hosts, the example plugin, validate and run', async () => {
  const { code, output } = await runPackCheck();
  expect(code, output).toBe(0);
  const lines = output.split('\n');
  const passed = lines.filter((line) => line.startsWith('[pack-check] pass ')).map((line) => line.slice('[pack-check] pass '.length).split(':')[0]);
  expect(passed).toEqual(['package shape', 'imports', 'minimal host', 'custom trigger', 'validate', 'run']);
  expect(output).toMatch(/\[pack-check\] 1\/\d+ packed @streamsuites\/cli@/); // plain progress lines when not on a terminal
  expect(output).toContain('replies ["alice: 3x Kappa combo!","bob: PogChamp combo"]');
  // Stopped by SIGINT once both replies arrived (by --duration on Windows, which has no SIGINT for a child).
  expect(output).toContain(`the Twitch fake got ["pong viewer","2x Kappa combo!"]; stopped by ${process.platform === 'win32' ? 'duration' : 'SIGINT'}, exit 0`);
  expect(lines.filter((line) => line.startsWith('[pack-check] ok: '))).toHaveLength(1);
  // Outside the repository, and removed after a pass.
  const project = /\[pack-check\] temp project: (.+)/.exec(output)?.[1];
  expect(project).toBeDefined();
  expect(resolve(project!).startsWith(ROOT)).toBe(false);
  expect(existsSync(dirname(project!))).toBe(false);
}, 12 * 60_000);
