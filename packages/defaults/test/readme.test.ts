import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { spawnScript } from '@streamsuites/kernel/testing';

const fixture = fileURLToPath(new URL('./fixtures/readme-quickstart.ts', import.meta.url));

it('the README quick start is the fixture, and it runs: replies, a cooldown, a dry-run creator', async () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const block = /## Quick start\s+```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(block).toBe(readFileSync(fixture, 'utf8'));

  const child = spawnScript(fixture, [], { cwd: fileURLToPath(new URL('..', import.meta.url)), env: { ...process.env } });
  const code = await child.exited;
  expect(code, child.stderr()).toBe(0);
  const lines = child.stdout().trim().split('\n').sort();
  expect(lines).toEqual(['[alice] hello, Ann!', '[alice] hello, Bo!', '[bob] (dry run) chat.reply']);
}, 30_000);
