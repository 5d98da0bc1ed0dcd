import { fileURLToPath } from 'node:url';
import { spawnScript } from '@streamsuites/kernel/testing';
import { describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));

const runDemo = (args: string[]) => spawnScript(main, args);

/** `name a=1 b=2` counts after a label in the summary line. */
const countsAfter = (summary: string, label: string) => {
  const part = summary.split(`${label} `)[1]?.split(',')[0] ?? '';
  return Object.fromEntries([...part.matchAll(/(\w+)=(\d+)/g)].map(([, id, n]) => [id, Number(n)]));
};

describe.concurrent('demo', () => {
  it('--duration runs three creators, prints a summary and exits 0', async () => {
    const demo = runDemo(['--duration', '2.5']);
    expect(await demo.exited).toBe(0);
    const summary = demo.stdout().split('\n').find((l) => l.startsWith('demo summary:'));
    expect(summary).toMatch(/3 creators/);
    expect(summary).toMatch(/, 0 error\(s\)$/);
    for (const label of ['messages', 'heartbeats']) {
      const counts = countsAfter(summary!, label);
      expect(Object.keys(counts).sort(), label).toEqual(['daniel', 'maya', 'sol']);
      for (const count of Object.values(counts)) expect(count, label).toBeGreaterThan(0);
    }
    expect(Number(/(\d+) triggers fired/.exec(summary!)?.[1])).toBeGreaterThan(0);
    expect(Number(/(\d+) replies received by the chat server/.exec(summary!)?.[1])).toBeGreaterThan(0);
  });

  it('Ctrl-C (SIGINT) stops cleanly and still prints the summary', async () => {
    const demo = runDemo([]);
    await demo.until('demo running');
    demo.child.kill('SIGINT');
    expect(await demo.exited).toBe(0);
    expect(demo.stdout()).toContain('kernel stopped');
    expect(demo.stdout()).toContain('demo summary:');
  });

  it('a bad flag is a usage error (exit 2), not ignored', async () => {
    const demo = runDemo(['--duration', 'soon']);
    expect(await demo.exited).toBe(2);
    expect(demo.stderr()).toContain('SS_ERR_CLI_USAGE');
  });
});
