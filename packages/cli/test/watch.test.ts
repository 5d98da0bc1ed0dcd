import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtures, spawnCli } from './helpers.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** Polls `read()` until `text` appears `times` times, or fails after the deadline. */
async function untilCount(read: () => string, text: string, times: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (read().split(text).length - 1 < times) {
    if (Date.now() > deadline) throw new Error(`"${text}" seen ${read().split(text).length - 1} time(s), expected ${times}\n${read()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const creator = (channel: string) => ({ enable: ['hello'], config: { hello: { channel } } });
const manifest = (creators: Record<string, unknown>) =>
  JSON.stringify({ kernel: '^0.2.0', logLevel: 'info', plugins: { hello: { package: '@fixture/plugin-hello', config: { greeting: 'hi' } } }, creators }, null, 2);

describe('streamsuites run --watch', () => {
  it('applies each saved change without a restart; a half-written or invalid file is printed and the running one stays', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ss-cli-watch-'));
    dirs.push(dir);
    await symlink(join(fixtures, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const file = join(dir, 'streamsuites.json');
    await writeFile(file, manifest({ daniel: creator('daniel') }));
    const run = spawnCli(['run', file, '--watch']);
    await untilCount(run.stdout, 'hello-started:daniel', 1);
    await untilCount(run.stderr, 'watching 1 file(s) for changes', 1);

    // A creator added: started, daniel untouched.
    await writeFile(file, manifest({ daniel: creator('daniel'), maya: creator('maya') }));
    await untilCount(run.stdout, 'hello-started:maya', 1);
    await untilCount(run.stderr, 'reloaded ', 1);
    expect(run.stderr()).toContain(`reloaded ${file}: added maya`);

    // Caught half-written: not JSON, rejected, nothing changes.
    const next = manifest({ maya: creator('maya'), ana: creator('ana') });
    await writeFile(file, next.slice(0, 40));
    await untilCount(run.stderr, 'reload rejected', 1);
    expect(run.stderr()).toContain('SS_ERR_MANIFEST_PARSE');

    // Complete but wrong (a misspelt key): every problem printed with its line, nothing changes.
    await writeFile(file, manifest({ daniel: creator('daniel'), maya: { ...creator('maya'), enabel: [] } }));
    await untilCount(run.stderr, 'reload rejected', 2);
    expect(run.stderr()).toMatch(/\/creators\/maya\/enabel \(line \d+, column \d+\): unknown key "enabel" \[SS_ERR_MANIFEST_UNKNOWN_KEY\]/);
    expect(run.stdout()).not.toContain('hello-stopped');

    // The finished write: daniel removed, ana added.
    await writeFile(file, next);
    await untilCount(run.stdout, 'hello-started:ana', 1);
    await untilCount(run.stdout, 'hello-stopped:daniel', 1);
    expect(run.stdout()).not.toContain('hello-stopped:maya');

    run.child.kill('SIGINT');
    expect(await run.exited, run.stderr()).toBe(0);
  }, 60_000);
});

describe('watchAndReload on a configuration folder', () => {
  it('a change to any JSON file of the folder reloads it, and so does a JSON file added to the folder', async () => {
    const { readdir, readFile } = await import('node:fs/promises');
    const { createKernel, definePlugin, defineManifestSection, manifestSectionsExtensionPoint, Type } = await import('@streamsuites/kernel');
    const { watchAndReload } = await import('../src/commands/watch.js');
    const dir = await mkdtemp(join(tmpdir(), 'ss-cli-watch-dir-'));
    dirs.push(dir);
    await writeFile(join(dir, 'a.json'), JSON.stringify({ greeting: 'hi' }));
    await writeFile(join(dir, 'b.json'), JSON.stringify({ greeting: 'yo' }));
    // A toy folder format: each <id>.json is a creator with a greeting (the reference folders are read by @streamsuites/config the same way).
    const reader = {
      id: 'toy',
      accepts: async (path: string) => path === dir,
      async read(path: string) {
        const names = (await readdir(path)).filter((n) => n.endsWith('.json')).sort();
        const creators: Record<string, unknown> = {};
        for (const name of names) creators[name.slice(0, -5)] = { enable: [], greeting: (JSON.parse(await readFile(join(path, name), 'utf8')) as { greeting: string }).greeting };
        return { source: path, baseDir: path, value: { creators }, issues: [], files: names.map((n) => join(path, n)), locate: () => undefined };
      },
    };
    const section = defineManifestSection({ key: 'greeting', scope: 'creator', schema: Type.String() });
    const plugin = definePlugin({ id: 'greet', version: '1.0.0', kernel: '^0.2.0', register: (reg) => reg.extend(manifestSectionsExtensionPoint, section) });
    const kernel = await createKernel({ manifest: dir, readers: [reader], plugins: [plugin], logLevel: 'silent' });
    await kernel.start();
    let stderr = '';
    const stop = watchAndReload(kernel, { stdout: () => {}, stderr: (t) => void (stderr += t), env: {}, cwd: dir }, { debounceMs: 50 });
    try {
      expect(stderr).toContain('watching 2 file(s) for changes');
      await writeFile(join(dir, 'b.json'), JSON.stringify({ greeting: 'hey' }));
      await untilCount(() => stderr, 'reloaded ', 1);
      expect(kernel.creator('b')?.sections.greeting).toBe('hey');
      await writeFile(join(dir, 'c.json'), JSON.stringify({ greeting: 'hello' }));
      await untilCount(() => stderr, 'reloaded ', 2);
      expect(kernel.creators().sort()).toEqual(['a', 'b', 'c']);
      expect(stderr).toContain(`reloaded ${dir}: added c`);
    } finally {
      stop();
      await kernel.stop();
    }
  });
});
