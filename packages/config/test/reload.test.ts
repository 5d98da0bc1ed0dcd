import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withDefaults } from '@streamsuites/defaults';
import { createKernel, type Kernel, type ManifestIssue } from '@streamsuites/kernel';
import { afterEach, describe, expect, it } from 'vitest';
import { configDirReader } from '../src/index.js';
import { brief, copySample, sample } from './helpers.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

const trigger = (id: string, command: string, text: string) => ({ id, type: 'command', params: { command }, actions: [{ type: 'chat.reply', params: { text } }] });

/** A folder whose creators use no platform (nothing connects out), with triggers. */
function folder(): string {
  const copy = copySample(sample('minimal', 'shared', 'config'));
  cleanups.push(copy.remove);
  const write = (name: string, value: unknown) => writeFileSync(join(copy.dir, name), JSON.stringify({ version: 1, ...(value as object) }, null, 2));
  write('creators.json', { creators: [{ creator_id: 'daniel', display_name: 'Daniel' }] });
  write('system.json', { system: { data_dir: './data', log_level: 'silent' } });
  write('chat_triggers.json', { defaults: [trigger('hello', '!hello', 'hello {user}')], creators: {} });
  mkdirSync(join(copy.root, 'data'), { recursive: true });
  return copy.dir;
}

describe('reloading a configuration folder', () => {
  it('applies a changed folder (a creator added, a trigger changed) and rejects a file written half-way, keeping the running configuration', async () => {
    const dir = folder();
    const kernel: Kernel = await createKernel(withDefaults({ manifest: dir, readers: [configDirReader()], logLevel: 'silent' }));
    cleanups.push(() => kernel.stop());
    await kernel.start();
    expect(Object.keys(kernel.manifest.creators)).toEqual(['daniel']);

    const creators = join(dir, 'creators.json');
    const good = JSON.stringify({ version: 1, creators: [{ creator_id: 'daniel', display_name: 'Daniel' }, { creator_id: 'maya' }] });
    writeFileSync(creators, good);
    writeFileSync(join(dir, 'chat_triggers.json'), JSON.stringify({ version: 1, defaults: [trigger('hello', '!hi', 'hi {user}')] }));
    const summary = await kernel.reload();
    expect(summary.added).toEqual(['maya']);
    expect(summary.updated).toEqual(['daniel']);
    expect((kernel.manifest.creators.daniel!.sections.triggers as { params: { command: string } }[])[0]!.params.command).toBe('!hi');

    writeFileSync(creators, good.slice(0, 60));
    const rejected = await kernel.reload().then(
      () => undefined,
      (error: { code: string; details: { issues: ManifestIssue[] } }) => error,
    );
    expect(rejected?.code).toBe('SS_ERR_RELOAD_REJECTED');
    expect(rejected?.details.issues.map(brief)).toEqual(['creators.json SS_ERR_CONFIG_PARSE / 1:49']);
    expect(Object.keys(kernel.manifest.creators)).toEqual(['daniel', 'maya']);
    expect(readFileSync(creators, 'utf8')).toHaveLength(60);
  });
});
