/**
 * Hot reload while chat flows: 5,000 messages from the local Twitch server
 * (which never re-sends), and mid-stream the manifest file changes — the
 * creator's trigger is replaced and a second creator is added — and the
 * kernel reloads it. Every message reaches the bus once and goes through
 * exactly one version of the trigger: the old one for a prefix of the
 * stream, the new one for the rest, never both, never none.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withDefaults } from '@streamsuites/defaults';
import { createKernel, type ChatMessage, type EventPayload, type Kernel } from '@streamsuites/kernel';
import { afterEach, describe, expect, it } from 'vitest';
import twitchPlugin from '../src/index.js';
import { startFakeTwitchChat, type FakeTwitchChat } from '../src/testing.js';

const TOKEN = 'abcdefghijklmnopqrstuvwxyz0123';
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** Lets the event loop run while traffic flows (pacing the stream, not synchronising on anything). */
const pace = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function manifest(chatUrl: string, version: 'v1' | 'v2', creators: string[]) {
  const creator = (channel: string) => ({
    enable: ['twitch'],
    // Dry run: the triggers fire and are recorded, their replies are not sent (5,000 replies would only test the rate limiter).
    dryRun: true,
    config: { twitch: { channel, botLogin: 'ssbot', token: '${env:TWITCH_TOKEN}' } },
    triggers: [{ id: `count-${version}`, type: 'regex', params: { pattern: '^msg \\d+$' }, actions: [{ type: 'chat.reply', params: { text: version } }] }],
  });
  return { plugins: { twitch: { config: { chatUrl } } }, creators: Object.fromEntries(creators.map((c) => [c, creator(c)])) };
}

const joinedBoth = (fake: FakeTwitchChat, channel: string) => () => fake.clients().filter((c) => c.registered && c.channels.includes(channel)).length === 2;

describe('hot reload under load', () => {
  it('adds a creator and changes a trigger while 5,000 messages flow: none lost, none handled twice', async () => {
    const fake = await startFakeTwitchChat();
    cleanup.push(() => fake.close());
    const dir = await mkdtemp(join(tmpdir(), 'ss-reload-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, 'streamsuites.json');
    await writeFile(file, JSON.stringify(manifest(fake.url, 'v1', ['alice'])));
    const kernel: Kernel = await createKernel(withDefaults({ manifest: file, plugins: [twitchPlugin], env: { TWITCH_TOKEN: TOKEN }, logLevel: 'silent' }));
    cleanup.push(() => kernel.stop());

    const delivered = new Map<string, number>();
    kernel.bus.on('chat.message', (m: ChatMessage) => void delivered.set(m.id, (delivered.get(m.id) ?? 0) + 1));
    const fired = new Map<string, string[]>();
    kernel.bus.on('trigger.fired', (e: EventPayload<'trigger.fired'>) => void fired.set(e.messageId, [...(fired.get(e.messageId) ?? []), `${e.creatorId}/${e.triggerId}`]));
    const reloads: EventPayload<'kernel.reload.applied'>[] = [];
    kernel.bus.on('kernel.reload.applied', (e) => void reloads.push(e));

    await kernel.start();
    await fake.until(joinedBoth(fake, 'alice'), { message: 'alice joined on both connections' });

    const alice: string[] = [];
    let n = 0;
    const sayAlice = (count: number) => {
      for (let i = 0; i < count; i++) alice.push(fake.say('alice', `user${n % 97}`, `msg ${n++}`));
    };
    // 1,500 messages before the change.
    for (let i = 0; i < 15; i++) {
      sayAlice(100);
      await pace(20);
    }
    // The file changes and the reload runs while chat keeps coming.
    await writeFile(file, JSON.stringify(manifest(fake.url, 'v2', ['alice', 'bob'])));
    const reload = kernel.reload();
    while (reloads.length === 0) {
      sayAlice(25);
      await pace(5);
      if (alice.length > 4000) break;
    }
    expect(await reload).toMatchObject({ added: ['bob'], updated: ['alice'], removed: [], restarted: {} });
    await fake.until(joinedBoth(fake, 'bob'), { message: 'bob joined on both connections' });
    const bob: string[] = [];
    while (alice.length < 5000) {
      sayAlice(Math.min(100, 5000 - alice.length));
      bob.push(fake.say('bob', 'viewer', `msg ${bob.length}`));
      await pace(10);
    }
    await fake.until(() => [...alice, ...bob].every((id) => fired.has(id)), { timeoutMs: 20_000, message: 'every message went through a trigger' });
    await kernel.idle();

    expect(alice).toHaveLength(5000);
    // Every message reached the bus once (two connections each, deduplicated) and fired exactly one trigger.
    expect([...alice, ...bob].every((id) => delivered.get(id) === 1)).toBe(true);
    expect([...alice, ...bob].every((id) => fired.get(id)!.length === 1)).toBe(true);
    const versions = alice.map((id) => fired.get(id)![0]);
    const switchAt = versions.indexOf('alice/count-v2');
    // The old trigger for a prefix, the new one for the rest: one switch, between two messages.
    expect(switchAt).toBeGreaterThanOrEqual(1500);
    expect(versions.slice(0, switchAt).every((v) => v === 'alice/count-v1')).toBe(true);
    expect(versions.slice(switchAt).every((v) => v === 'alice/count-v2')).toBe(true);
    expect(bob.map((id) => fired.get(id)![0]).every((v) => v === 'bob/count-v2')).toBe(true);
    // alice's chat connections were not restarted: the reload swapped her trigger only.
    expect(reloads[0]!.restarted).toEqual({});
  }, 60_000);
});
