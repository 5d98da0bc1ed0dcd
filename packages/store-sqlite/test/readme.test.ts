import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { spawnScript } from '@streamsuites/testing';
import { fixture, tempDirInPackage } from './helpers.js';

it('the README quick start is the fixture, and it keeps its count across two runs', async () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const block = /## Quick start\s+```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(block).toBe(readFileSync(fixture('readme-quickstart.ts'), 'utf8'));

  // The script's folder has no dependencies; tsx must resolve from the working directory.
  const cwd = tempDirInPackage();
  const outputs: string[] = [];
  for (let run = 0; run < 2; run++) {
    const child = spawnScript(fixture('readme-quickstart.ts'), [], { cwd, env: { ...process.env } });
    const code = await child.exited;
    expect(code, child.stderr()).toBe(0);
    outputs.push(child.stdout());
  }
  expect(outputs[0]).toContain('run 1, log row 1');
  expect(outputs[0]).toContain('job ran with { run: 1 }');
  expect(outputs[1]).toContain('run 2, log row 2');
  expect(outputs[1]).toContain('job ran with { run: 2 }');
});
