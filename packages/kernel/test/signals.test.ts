import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { spawnScript } from '../src/testing.js';

const host = fileURLToPath(new URL('./fixtures/signal-host.ts', import.meta.url));
const startHost = (args: string[] = []) => spawnScript(host, args);

describe.concurrent('signal handling (child process)', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} runs every stop hook, then exits 0`, async () => {
      const host = startHost();
      await host.until('ready');
      host.child.kill(signal);
      expect(await host.exited).toBe(0);
      expect(host.stdout()).toBe('ready\ncreator-stop:alice\nplugin-stop\n');
      expect(host.stderr()).toBe('');
    });
  }

  it('a second signal forces exit (130) while stop hangs', async () => {
    const host = startHost(['--hang-on-stop']);
    await host.until('ready');
    host.child.kill('SIGTERM');
    await host.until('plugin-stop');
    host.child.kill('SIGTERM');
    expect(await host.exited).toBe(130);
  });
});
