import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createKernel,
  defineManifestSection,
  definePlugin,
  defineRuntimeHooks,
  manifestSectionsExtensionPoint,
  runtimeHooksExtensionPoint,
  SS_ERR_RELOAD_REJECTED,
  Type,
  type EventPayload,
  type Kernel,
  type ManifestIssue,
} from '../src/index.js';
import { journal, tracePlugin } from './helpers/plugins.js';
import { tempTree } from './helpers/tmp.js';

/**
 * A rules plugin as the default ones are: a creator section `greeting`, a
 * top-level section `limit` (how many creators may run) checked on the
 * whole manifest, and the runtime hooks a reload calls.
 */
function rulesPlugin(log: ReturnType<typeof journal>) {
  const greeting = defineManifestSection({ key: 'greeting', scope: 'creator', schema: Type.String({ minLength: 1 }) });
  const limit = defineManifestSection({ key: 'limit', scope: 'manifest', schema: Type.Integer({ minimum: 1 }) });
  return definePlugin({
    id: 'rules',
    version: '1.0.0',
    kernel: '^0.2.0',
    register(reg) {
      reg.extend(manifestSectionsExtensionPoint, greeting);
      reg.extend(manifestSectionsExtensionPoint, limit);
      reg.extend(
        runtimeHooksExtensionPoint,
        defineRuntimeHooks({
          checkManifest: (_deps, manifest): ManifestIssue[] => {
            const max = limit.read(manifest) ?? Infinity;
            const count = Object.keys(manifest.creators).length;
            return count > max ? [{ code: 'SS_ERR_TEST_LIMIT', path: '/limit', message: `${count} creators, at most ${max}` }] : [];
          },
          creatorUpdated: (_deps, { resolved }, previous) => void log.push(`updated:${resolved.id}:${greeting.read(previous)}->${greeting.read(resolved)}`),
          manifestUpdated: (_deps, manifest, previous) => void log.push(`limit:${limit.read(previous)}->${limit.read(manifest)}`),
        }),
      );
    },
  });
}

let kernel: Kernel | undefined;
afterEach(async () => {
  await kernel?.stop();
  kernel = undefined;
});

async function boot(manifest: unknown) {
  const log = journal();
  const dir = await tempTree({ 'streamsuites.json': JSON.stringify(manifest, null, 2) });
  const file = join(dir, 'streamsuites.json');
  kernel = await createKernel({
    manifest: file,
    plugins: [tracePlugin({ id: 'chat', log }), tracePlugin({ id: 'clips', log }), tracePlugin({ id: 'overlay', dependencies: ['chat'], log }), rulesPlugin(log)],
    logLevel: 'silent',
  });
  await kernel.start();
  log.entries.length = 0;
  // Reading a manifest runs register() again (it only declares things): not part of what a reload does.
  const ran = () => log.entries.filter((e) => !e.startsWith('register:'));
  const write = (next: unknown) => writeFile(file, typeof next === 'string' ? next : JSON.stringify(next, null, 2));
  return { log, ran, file, kernel, write };
}

const base = {
  limit: 3,
  creators: {
    daniel: { enable: ['chat', 'clips'], greeting: 'hi', config: { chat: { label: 'a' } } },
    sol: { enable: ['chat', 'overlay'], greeting: 'hey' },
  },
};

describe('kernel.reload()', () => {
  it('adds and removes creators, and leaves the others running untouched', async () => {
    const { ran, kernel, write } = await boot(base);
    const events: EventPayload<'kernel.reload.applied'>[] = [];
    kernel.bus.on('kernel.reload.applied', (e) => void events.push(e));
    await write({ ...base, creators: { daniel: base.creators.daniel, ana: { enable: ['chat'], greeting: 'yo' } } });
    const summary = await kernel.reload();
    expect(summary).toMatchObject({ added: ['ana'], removed: ['sol'], updated: [], restarted: {}, sections: [] });
    expect(events).toEqual([summary]);
    expect(kernel.creators().sort()).toEqual(['ana', 'daniel']);
    expect(ran()).toEqual(['stop:overlay:sol', 'stop:chat:sol', 'start:chat:ana']);
    expect(kernel.manifest.creators.ana?.sections.greeting).toBe('yo');
  });

  it('restarts only the plugin whose creator config changed (and its dependents), for that creator only', async () => {
    const { ran, kernel, write } = await boot(base);
    await write({
      ...base,
      creators: { daniel: { ...base.creators.daniel, config: { chat: { label: 'b' } } }, sol: { ...base.creators.sol, config: { chat: { label: 'c' } } } },
    });
    const summary = await kernel.reload();
    expect(summary.updated.sort()).toEqual(['daniel', 'sol']);
    expect(summary.restarted).toEqual({ daniel: ['chat'], sol: ['chat', 'overlay'] });
    // daniel's clips and nothing of the other creators stopped; sol's overlay depends on chat, so it restarts around it.
    expect(ran()).toEqual([
      'updated:daniel:hi->hi',
      'stop:chat:daniel',
      'start:chat:daniel',
      'updated:sol:hey->hey',
      'stop:overlay:sol',
      'stop:chat:sol',
      'start:chat:sol',
      'start:overlay:sol',
    ]);
    expect(kernel.status().creators.find((c) => c.id === 'daniel')?.plugins).toEqual({ chat: 'running', clips: 'running' });
  });

  it('a plugin enabled or disabled for a creator is started or stopped alone; a changed section swaps without a restart', async () => {
    const { ran, kernel, write } = await boot(base);
    await write({ ...base, limit: 2, creators: { daniel: { enable: ['chat'], greeting: 'hello', config: { chat: { label: 'a' } } }, sol: { ...base.creators.sol, greeting: 'hola' } } });
    const summary = await kernel.reload();
    expect(summary.restarted).toEqual({});
    expect(summary.sections).toEqual(['limit']);
    expect(ran()).toEqual(['limit:3->2', 'updated:daniel:hi->hello', 'stop:clips:daniel', 'updated:sol:hey->hola']);
    expect(kernel.status().creators.find((c) => c.id === 'daniel')?.plugins).toEqual({ chat: 'running' });
  });

  it('an invalid configuration is rejected with every problem, and the running one stays', async () => {
    const { ran, kernel, write } = await boot(base);
    const rejected: EventPayload<'kernel.reload.rejected'>[] = [];
    kernel.bus.on('kernel.reload.rejected', (e) => void rejected.push(e));
    await write({ ...base, limit: 1, creators: { ...base.creators, ana: { enable: ['chta'], greeting: '' } } });
    const error = await kernel.reload().catch((e: unknown) => e);
    expect(SS_ERR_RELOAD_REJECTED.is(error)).toBe(true);
    const issues = (error as { details: { issues: ManifestIssue[] } }).details.issues;
    expect(issues.map((i) => [i.code, i.path])).toEqual([
      ['SS_ERR_MANIFEST_UNKNOWN_PLUGIN', '/creators/ana/enable/0'],
      ['SS_ERR_MANIFEST_SCHEMA', '/creators/ana/greeting'],
    ]);
    expect(rejected).toHaveLength(1);
    expect(kernel.creators().sort()).toEqual(['daniel', 'sol']);
    expect(ran()).toEqual([]);

    // Valid on its own, but over the whole-manifest limit (checkManifest): rejected too.
    await write({ ...base, limit: 1 });
    const limited = await kernel.reload().catch((e: unknown) => e);
    expect((limited as { details: { issues: ManifestIssue[] } }).details.issues.map((i) => [i.code, i.path])).toEqual([['SS_ERR_TEST_LIMIT', '/limit']]);
    expect(kernel.manifest.sections.limit).toBe(3);
  });

  it('a file caught half-written is never applied; the complete file is', async () => {
    const { kernel, write } = await boot(base);
    const next = JSON.stringify({ ...base, creators: { ...base.creators, ana: { enable: ['chat'], greeting: 'yo' } } }, null, 2);
    await write(next.slice(0, Math.floor(next.length / 2)));
    const error = await kernel.reload().catch((e: unknown) => e);
    expect((error as { details: { issues: ManifestIssue[] } }).details.issues.map((i) => i.code)).toEqual(['SS_ERR_MANIFEST_PARSE']);
    expect(kernel.creators()).not.toContain('ana');
    await write(next);
    await expect(kernel.reload()).resolves.toMatchObject({ added: ['ana'] });
  });

  it('changes a running process cannot take are refused, all of them, naming what needs a restart', async () => {
    const { kernel, write } = await boot(base);
    await write({ ...base, dataDir: './elsewhere', timeouts: { stopMs: 5 }, plugins: { chat: { config: { x: 1 } } } });
    const error = await kernel.reload().catch((e: unknown) => e);
    const issues = (error as { details: { issues: ManifestIssue[] } }).details.issues;
    expect(issues.map((i) => [i.code, i.path])).toEqual([
      ['SS_ERR_RELOAD_RESTART_REQUIRED', '/dataDir'],
      ['SS_ERR_RELOAD_RESTART_REQUIRED', '/timeouts'],
      ['SS_ERR_RELOAD_RESTART_REQUIRED', '/plugins/chat/config'],
    ]);
    expect(issues[0]!.hint).toContain('Restart streamsuites');
  });

  it('reloads run one at a time, in order', async () => {
    const { kernel, write } = await boot(base);
    await write({ ...base, creators: { ...base.creators, ana: { enable: ['chat'], greeting: 'yo' } } });
    const first = kernel.reload();
    const second = kernel.reload();
    expect((await first).added).toEqual(['ana']);
    expect(await second).toMatchObject({ added: [], removed: [], updated: [] });
  });
});
