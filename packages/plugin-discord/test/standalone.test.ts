/**
 * The standalone control plane (`streamsuites discord <manifest>`): apart
 * from the streaming runtime, it answers from the state that runtime
 * published (written here by a real runtime with plugin-exports), and refuses
 * what would act on the runtime.
 */
import { join } from 'node:path';
import { actionDispatcherRef } from '@streamsuites/kernel';
import { engagementPlugin } from '@streamsuites/plugin-engagement';
import { exportsPlugin } from '@streamsuites/plugin-exports';
import { startTestKernel } from '@streamsuites/testing';
import { describe, expect, it } from 'vitest';
import { fakeDiscord, GUILD, slash, startRuntime, str, tempDir } from './helpers.js';

describe('standalone mode', () => {
  // Checked by giving the standalone plugin the integrated runtime: no creators, /clip runs.
  it('answers /creators, /status, /triggers and /poll results from the published state; /clip and /dryrun are refused with their code', async () => {
    // The streaming runtime, in its own kernel: one creator with a trigger and an open poll, exported.
    const runtimeData = tempDir();
    const runtime = await startTestKernel({
      plugins: [exportsPlugin, engagementPlugin],
      manifest: {
        dataDir: runtimeData,
        creators: {
          daniel: { enable: ['exports', 'engagement'], triggers: [{ type: 'command', params: { command: '!hello' }, actions: [{ type: 'poll.close', params: {} }] }] },
        },
      },
    });
    await runtime.kernel.resolve(actionDispatcherRef).dispatch({ type: 'poll.open', params: { question: 'Best map?', options: ['Dust', 'Mirage'] } }, { creatorId: 'daniel' });
    await runtime.stop();

    // The control plane alone: no creators of its own, reading that runtime's state root.
    const fake = await fakeDiscord();
    const plane = await startRuntime({ fake, creators: {}, plugin: { mode: 'standalone', stateRoot: join(runtimeData, 'state') } });
    await fake.until(() => fake.commands(GUILD).length > 0, { timeoutMs: 10_000, message: 'commands registered' });
    const creators = await fake.interact(slash('creators')).callback();
    expect(creators.data.embeds[0].description).toBe('**daniel**: engagement, exports');
    const status = await fake.interact(slash('status')).callback();
    expect(status.data.embeds[0].fields.map((f: any) => f.name)).toEqual(['daniel']);
    const triggers = await fake.interact(slash('triggers', [str('creator', 'daniel')])).callback();
    expect(triggers.data.embeds[0].description).toContain('`command` {"command":"!hello"}');
    const poll = await fake.interact(slash('poll', [{ name: 'results', type: 1, options: [str('creator', 'daniel')] }])).callback();
    expect(poll.data.embeds[0]).toMatchObject({ title: 'Open poll: Best map?', description: 'Dust: 0\nMirage: 0' });
    const clip = fake.interact(slash('clip', [str('creator', 'daniel')]));
    expect((await clip.callback()).type).toBe(5);
    await fake.until(() => clip.followups().length === 1, { message: 'the refusal' });
    expect(clip.followups()[0].content).toContain('SS_ERR_DISCORD_NOT_AVAILABLE');
    const dryrun = await fake.interact(slash('dryrun', [str('creator', 'daniel'), str('mode', 'on')])).callback();
    expect(dryrun.data.content).toContain('SS_ERR_DISCORD_NOT_AVAILABLE');
    expect(plane.logs.lines.some((l) => l.msg === 'Discord control plane standalone: reading the published state')).toBe(true);
    await plane.stop();
  });
});
