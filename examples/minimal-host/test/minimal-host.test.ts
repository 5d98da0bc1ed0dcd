import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));

it('boots the kernel with its plugin, greets on each creator, and stops cleanly', async () => {
  const { stdout, stderr } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '--conditions=@streamsuites/source', main],
    { timeout: 15_000 },
  );
  expect(stdout.trim().split('\n').sort()).toEqual(['[alice] hello, Viewer!', '[bob] hey, Viewer!']);
  expect(stderr).toBe('');
});
