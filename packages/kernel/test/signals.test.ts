import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const host = fileURLToPath(new URL('./fixtures/signal-host.ts', import.meta.url));

function startHost(args: string[] = []) {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@streamsuites/source', host, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const w of waiters.filter((w) => stdout.includes(w.text))) w.resolve();
  });
  child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    exited,
    output: () => stdout,
    errors: () => stderr,
    /** Resolves when stdout contains `text`. */
    until: (text: string) =>
      stdout.includes(text) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ text, resolve })),
  };
}

describe.concurrent('signal handling (child process)', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} runs every stop hook, then exits 0`, async () => {
      const host = startHost();
      await host.until('ready');
      host.child.kill(signal);
      expect(await host.exited).toBe(0);
      expect(host.output()).toBe('ready\ncreator-stop:alice\nplugin-stop\n');
      expect(host.errors()).toBe('');
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
