import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { handleStopSignals, type StopSignalsOptions } from '../src/index.js';
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

describe('handleStopSignals (in process)', () => {
  function install(options: Partial<StopSignalsOptions> = {}) {
    let clock = 0;
    const calls: string[] = [];
    const off = handleStopSignals({
      onStop: (signal) => calls.push(`stop:${signal}`),
      onForce: (signal) => calls.push(`force:${signal}`),
      exit: (code) => calls.push(`exit:${code}`),
      now: () => clock,
      ...options,
    });
    return { calls, off, advance: (ms: number) => (clock += ms) };
  }

  it('the first signal stops; by default any later one forces exit 130 after onForce', () => {
    const before = process.listenerCount('SIGINT');
    const h = install();
    try {
      process.emit('SIGINT', 'SIGINT');
      expect(h.calls).toEqual(['stop:SIGINT']);
      process.emit('SIGTERM', 'SIGTERM');
      expect(h.calls).toEqual(['stop:SIGINT', 'force:SIGTERM', 'exit:130']);
    } finally {
      h.off();
    }
    expect(process.listenerCount('SIGINT')).toBe(before);
  });

  it('with repeatWindowMs, repeats within the window count as the first; a later one forces', () => {
    const h = install({ repeatWindowMs: 1000 });
    try {
      process.emit('SIGINT', 'SIGINT');
      h.advance(999);
      process.emit('SIGINT', 'SIGINT');
      process.emit('SIGTERM', 'SIGTERM');
      expect(h.calls).toEqual(['stop:SIGINT']);
      h.advance(1);
      process.emit('SIGINT', 'SIGINT');
      expect(h.calls).toEqual(['stop:SIGINT', 'force:SIGINT', 'exit:130']);
    } finally {
      h.off();
    }
  });

  it('removes its handlers, and listens for SIGHUP only with hangup', () => {
    const counts = () => ['SIGINT', 'SIGTERM', 'SIGHUP'].map((s) => process.listenerCount(s));
    const before = counts();
    const plain = install();
    const hangup = install({ hangup: true });
    const expected = process.platform === 'win32' ? [2, 2, 0] : [2, 2, 1];
    expect(counts().map((n, i) => n - before[i]!)).toEqual(expected);
    plain.off();
    hangup.off();
    expect(counts()).toEqual(before);
  });
});
