import { chatMessage, startTestKernel } from '@streamsuites/testing';
import { triggerRegistryRef, type ChatMessage } from '@streamsuites/kernel';
import { describe, expect, it } from 'vitest';
import storeSqlite from '../src/index.js';
import { tempDir } from './helpers.js';

const message = (id: string, creatorId: string, user: string): ChatMessage =>
  chatMessage({ id, creatorId, receivedAt: 0, text: '!clip 30', author: { id: user, login: user, displayName: user } });

describe('trigger cooldowns on SQLite', () => {
  it('user, creator and global cooldowns survive a restart of the process state', async () => {
    const dataDir = tempDir();
    let now = Date.UTC(2026, 10, 27, 12);
    const clock = { now: () => now };
    const trigger = {
      id: 'clip',
      type: 'command',
      params: { command: '!clip' },
      cooldown: { user: '10m', creator: '2m', global: '1m' },
      actions: [{ type: 'chat.reply', params: { text: 'clipping' } }],
    };
    const manifest = {
      dataDir,
      dryRun: true,
      plugins: { 'store-sqlite': {} },
      creators: { alice: { enable: ['store-sqlite'], triggers: [trigger] }, bob: { enable: ['store-sqlite'], triggers: [trigger] } },
    };
    // The registry's evaluate() is what the chat pipeline runs: it applies and persists cooldowns.
    const fire = async (t: Awaited<ReturnType<typeof startTestKernel>>, id: string, creatorId: string, user: string) =>
      (await t.kernel.resolveFor(creatorId, triggerRegistryRef).evaluate(message(id, creatorId, user))).length > 0;

    const first = await startTestKernel({ plugins: [storeSqlite], manifest, clock });
    expect(await fire(first, 'a1', 'alice', 'ann')).toBe(true);
    await first.stop();

    now += 90_000; // global (1m) expired; creator (2m) and user (10m) still running
    const second = await startTestKernel({ plugins: [storeSqlite], manifest, clock });
    expect(await fire(second, 'b1', 'bob', 'ann')).toBe(true); // other creator: only global applied, and it expired
    expect(await fire(second, 'a2', 'alice', 'cy')).toBe(false); // alice's creator cooldown survived the restart
    now += 60_000;
    expect(await fire(second, 'a3', 'alice', 'ann')).toBe(false); // ann's user cooldown on alice (10m) survived
    expect(await fire(second, 'a4', 'alice', 'cy')).toBe(true);
    await second.stop();
  });
});
